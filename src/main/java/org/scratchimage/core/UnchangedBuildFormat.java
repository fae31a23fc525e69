package org.scratchimage.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.scratchimage.core.image.Compression;
import org.scratchimage.core.image.FileStamp;
import org.scratchimage.core.image.ImagePlan;
import org.scratchimage.core.image.Platform;
import org.scratchimage.core.oci.AtomicFile;

/**
 * The text of {@link UnchangedBuild}'s record, {@code .<name>.scratch-inputs}: a header, the request's and the build's
 * fingerprints, one {@code image} line per image (name, time, compression, level, platform, SBOM file and its
 * trusted stamp, tags), the result files with their trusted stamps ({@code R}), then the inputs by folder: a
 * {@code D} line names a folder, an {@code L} ({@code lstat}) or {@code S} ({@code stat}) line one name in it with
 * its stamp (size, mtime, ctime, inode, device, mode) or {@code -} for nothing there. Fields are tab-separated and
 * escaped ({@link Escapes}); the inputs, most of the file, are parsed from its bytes. Read strictly: anything else
 * is no record.
 */
final class UnchangedBuildFormat {
    static final String HEADER = "scratch-inputs 2";

    /** What the result of an up-to-date build names of one image, besides what the state records. */
    record Summary(String image, List<String> tags, Platform platform, long created, Compression compression,
            int level, Path sbom, FileStamp sbomStamp) {
        ImagePlan plan() {
            return new ImagePlan(image, tags, platform, Instant.ofEpochSecond(created), compression, level, List.of(),
                    List.of(), null, new TreeMap<>(), null);
        }
    }

    /** One consulted path: as {@code lstat} or {@code stat} saw it, {@code null} for absent. */
    record Input(Path path, boolean follow, FileStamp stamp) {}

    /**
     * @param results the result files with the stamps they had once found current, else empty: outputs, trusted
     *     like the SBOM files
     */
    record Recorded(String request, String build, boolean indexed, List<Summary> images, List<Input> results,
            List<Input> inputs) {
        Recorded with(List<Summary> images, List<Input> results) {
            return new Recorded(request, build, indexed, images, results, inputs);
        }
    }

    private UnchangedBuildFormat() {}

    /** Writes the record atomically, under a name of its own first. */
    static void write(Path file, Recorded recorded) throws IOException {
        StringBuilder text = new StringBuilder(64 + 96 * recorded.inputs().size());
        text.append(HEADER).append('\n');
        Escapes.line(text, "request", recorded.request());
        Escapes.line(text, "build", recorded.build());
        Escapes.line(text, "indexed", Boolean.toString(recorded.indexed()));
        for (Summary image : recorded.images()) {
            List<String> fields = new ArrayList<>(List.of("image", image.image(), Long.toString(image.created()),
                    image.compression().name(), Integer.toString(image.level()), image.platform().os(),
                    image.platform().architecture(), orDash(image.platform().variant()),
                    image.sbom() == null ? "-" : image.sbom().toString()));
            fields.addAll(stampFields(image.sbomStamp()));
            fields.addAll(image.tags());
            Escapes.line(text, fields.toArray(String[]::new));
        }
        for (Input output : recorded.results()) {
            List<String> fields = new ArrayList<>(List.of("R", output.path().toString()));
            fields.addAll(stampFields(output.stamp()));
            Escapes.line(text, fields.toArray(String[]::new));
        }
        // By folder: one line names it, one line per name in it, so a tree's folder is written and parsed once.
        Path folder = null;
        for (Input input : recorded.inputs()) {
            Path parent = input.path().getParent();
            if (parent == null) {
                parent = input.path();
            }
            if (!parent.equals(folder)) {
                Escapes.line(text, "D", parent.toString());
                folder = parent;
            }
            text.append(input.follow() ? "S\t" : "L\t").append(Escapes.escape(parent.equals(input.path()) ? "."
                    : input.path().getFileName().toString()));
            appendStamp(text, input.stamp());
            text.append('\n');
        }
        // Two builds of the folder may record at once: each writes a whole record.
        AtomicFile.replace(file, text);
    }

    /** @return the record, or empty if there is none or it is not one this version wrote */
    static Optional<Recorded> read(Path file, BuildListener listener) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (FileSystemException e) {
            // Such as an output folder below a file: no record, and the planning reports what is wrong.
            return Optional.empty();
        }
        try {
            List<String> head = new ArrayList<>();
            List<Summary> images = new ArrayList<>();
            List<Input> results = new ArrayList<>();
            List<Input> inputs = new ArrayList<>(bytes.length / 64);
            Path folder = null;
            for (int at = 0, end; at < bytes.length; at = end + 1) {
                end = indexOf(bytes, (byte) '\n', at);
                byte kind = bytes[at];
                if (head.size() == 4 && (kind == 'L' || kind == 'S') && bytes[at + 1] == '\t') {
                    // The inputs, most of the record: parsed from the bytes, without a string per field.
                    if (folder == null) {
                        throw new IllegalArgumentException("a name before its folder");
                    }
                    int tab = indexOf(bytes, (byte) '\t', at + 2);
                    String name = Escapes.unescape(new String(bytes, at + 2, tab - at - 2, StandardCharsets.UTF_8));
                    inputs.add(new Input(name.equals(".") ? folder : folder.resolve(name), kind == 'S',
                            stamp(bytes, tab + 1, end)));
                    continue;
                }
                String line = new String(bytes, at, end - at, StandardCharsets.UTF_8);
                if (head.size() < 4) {
                    head.add(line);
                    continue;
                }
                String[] f = Escapes.fields(line);
                if (f[0].equals("image")) {
                    // The tags follow the SBOM file's stamp: one field when there is none, else eight.
                    List<String> tags = List.of(f).subList(f[9].equals("-") ? 10 : 17, f.length);
                    images.add(new Summary(f[1], tags, new Platform(f[5], f[6], dashOrNull(f[7])),
                            Long.parseLong(f[2]), Compression.valueOf(f[3]), Integer.parseInt(f[4]),
                            dashOrNull(f[8]) == null ? null : Path.of(f[8]), stamp(f, 9)));
                } else if (f[0].equals("R")) {
                    results.add(new Input(Path.of(f[1]), false, stamp(f, 2)));
                } else if (f[0].equals("D")) {
                    folder = Path.of(f[1]);
                } else {
                    return Optional.empty();
                }
            }
            if (head.size() < 4 || !head.get(0).equals(HEADER) || images.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Recorded(value(head.get(1), "request"), value(head.get(2), "build"),
                    Boolean.parseBoolean(value(head.get(3), "indexed")), images, results, inputs));
        } catch (IllegalArgumentException | IndexOutOfBoundsException | ArithmeticException e) {
            // Not written by this code, or cut short: a record that cannot be read is no record, and the build plans.
            listener.debug("Planning again: " + file + " is not a record of this version (" + e + ")");
            return Optional.empty();
        }
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new IllegalArgumentException("cut off");
    }

    /** @return the stamp written from {@code at} to {@code end}: eight numbers, or {@code -} for none */
    private static FileStamp stamp(byte[] bytes, int at, int end) {
        if (bytes[at] == '-' && at + 1 == end) {
            return null;
        }
        long[] n = new long[8];
        int field = 0;
        long value = 0;
        boolean digits = false;
        boolean negative = false;
        for (int i = at; i <= end; i++) {
            byte b = i < end ? bytes[i] : (byte) '\t';
            if (b == '\t') {
                if (!digits || field == 8 || (!negative && value == Long.MIN_VALUE)) {
                    throw new IllegalArgumentException("stamp");
                }
                n[field++] = negative ? value : -value;
                value = 0;
                digits = false;
                negative = false;
            } else if (b == '-' && !digits && !negative) {
                // A time before 1970, or an inode number past 2^63 as Java's long reads it.
                negative = true;
            } else if (b >= '0' && b <= '9' && value >= (Long.MIN_VALUE + (b - '0')) / 10) {
                // Summed below zero, as Long.parseLong does, so that Long.MIN_VALUE is read too.
                value = value * 10 - (b - '0');
                digits = true;
            } else {
                throw new IllegalArgumentException("stamp");
            }
        }
        if (field != 8) {
            throw new IllegalArgumentException("stamp");
        }
        return new FileStamp(n[0], n[1], Math.toIntExact(n[2]), n[3], Math.toIntExact(n[4]), n[5], n[6],
                Math.toIntExact(n[7]));
    }

    /** @return the stamp's eight numbers as fields, or {@code -} for none: {@link #appendStamp}'s, one by one */
    static List<String> stampFields(FileStamp stamp) {
        StringBuilder text = new StringBuilder(96);
        appendStamp(text, stamp);
        return List.of(text.substring(1).split("\t"));
    }

    /**
     * Appends the stamp's fields, each after a tab: size, mtime and ctime (seconds, nanoseconds), inode, device,
     * mode; or {@code -}. Without a string per number, as a record has 20,000 stamps.
     */
    private static void appendStamp(StringBuilder text, FileStamp stamp) {
        if (stamp == null) {
            text.append("\t-");
            return;
        }
        text.append('\t').append(stamp.size()).append('\t').append(stamp.mtimeSeconds()).append('\t')
                .append(stamp.mtimeNanos()).append('\t').append(stamp.ctimeSeconds()).append('\t')
                .append(stamp.ctimeNanos()).append('\t').append(stamp.inode()).append('\t').append(stamp.device())
                .append('\t').append(stamp.mode());
    }

    private static FileStamp stamp(String[] f, int at) {
        if (f[at].equals("-")) {
            return null;
        }
        return new FileStamp(Long.parseLong(f[at]), Long.parseLong(f[at + 1]), Integer.parseInt(f[at + 2]),
                Long.parseLong(f[at + 3]), Integer.parseInt(f[at + 4]), Long.parseLong(f[at + 5]),
                Long.parseLong(f[at + 6]), Integer.parseInt(f[at + 7]));
    }

    private static String value(String line, String key) {
        String[] f = Escapes.fields(line);
        if (f.length != 2 || !f[0].equals(key)) {
            throw new IllegalArgumentException(key);
        }
        return f[1];
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }

    private static String dashOrNull(String value) {
        return value.equals("-") ? null : value;
    }
}
