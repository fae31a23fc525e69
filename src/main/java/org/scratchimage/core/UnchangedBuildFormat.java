package org.scratchimage.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
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
 * escaped ({@link Escapes}); the inputs, most of the file, are {@link RecordedInputs}, read one by one as they are
 * statted. Read strictly: anything else is no record.
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
            RecordedInputs inputs) {
        Recorded with(List<Summary> images, List<Input> results) {
            return new Recorded(request, build, indexed, images, results, inputs);
        }
    }

    private UnchangedBuildFormat() {}

    /** Writes the record atomically, under a name of its own first. */
    static void write(Path file, Recorded recorded) throws IOException {
        StringBuilder text = new StringBuilder(1024);
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
        byte[] head = text.toString().getBytes(StandardCharsets.UTF_8);
        byte[] inputs = recorded.inputs().bytes();
        byte[] whole = Arrays.copyOf(head, head.length + inputs.length);
        System.arraycopy(inputs, 0, whole, head.length, inputs.length);
        // Two builds of the folder may record at once: each writes a whole record.
        AtomicFile.replace(file, whole);
    }

    /**
     * Reads the record up to its inputs, which {@link RecordedInputs#first} reads one at a time.
     *
     * @param debug receives why a file that is there is no record
     * @return the record, or empty if there is none or it is not one this version wrote
     */
    static Optional<Recorded> read(Path file, Consumer<String> debug) throws IOException {
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
            int at = 0;
            for (int end; at < bytes.length; at = end + 1) {
                end = RecordedInputs.indexOf(bytes, (byte) '\n', at);
                String line = new String(bytes, at, end - at, StandardCharsets.UTF_8);
                if (head.size() < 4) {
                    head.add(line);
                    continue;
                }
                String[] f = Escapes.fields(line);
                if (f[0].equals("D")) {
                    // The inputs begin.
                    break;
                } else if (f[0].equals("image")) {
                    // The tags follow the SBOM file's stamp: one field when there is none, else eight.
                    List<String> tags = List.of(f).subList(f[9].equals("-") ? 10 : 17, f.length);
                    images.add(new Summary(f[1], tags, new Platform(f[5], f[6], dashOrNull(f[7])),
                            Long.parseLong(f[2]), Compression.valueOf(f[3]), Integer.parseInt(f[4]),
                            dashOrNull(f[8]) == null ? null : Path.of(f[8]), stamp(f, 9)));
                } else if (f[0].equals("R")) {
                    results.add(new Input(Path.of(f[1]), false, stamp(f, 2)));
                } else if (f[0].equals("L") || f[0].equals("S")) {
                    throw new IllegalArgumentException("a name before its folder");
                } else {
                    return Optional.empty();
                }
            }
            if (head.size() < 4 || !head.get(0).equals(HEADER) || images.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Recorded(value(head.get(1), "request"), value(head.get(2), "build"),
                    Boolean.parseBoolean(value(head.get(3), "indexed")), images, results,
                    RecordedInputs.read(bytes, at)));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            debug.accept(notARecord(file, e));
            return Optional.empty();
        }
    }

    /** Not written by this code, or cut short: a record that cannot be read is no record, and the build plans. */
    static String notARecord(Path file, RuntimeException e) {
        return "Planning again: " + file + " is not a record of this version (" + e + ")";
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
    static void appendStamp(StringBuilder text, FileStamp stamp) {
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
