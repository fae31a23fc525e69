package org.scratchimage.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.scratchimage.core.elf.ElfFile;
import org.scratchimage.core.elf.ElfFormatException;
import org.scratchimage.core.image.FileStamp;
import org.scratchimage.core.oci.AtomicFile;

/**
 * What the last build read of its files' ELF headers, by path and stamp, in {@code .<name>.scratch-elf} beside the
 * layout: a build that changed one file of a large tree opens only that file, not every program and library of the
 * layers it reuses. A file whose stamp differs, or was too recent to trust when it was read, is read again. Only the
 * results of this build are written back, and only when they differ from what was loaded.
 */
final class ElfHeaders {
    static final String HEADER = "scratch-elf 1";
    private static final String NOT_ELF = "-";

    /** Reads every header again and keeps nothing: for plans made outside a build. */
    static final ElfHeaders NONE = new ElfHeaders(null, Map.of(), 0);

    /** One file's result: {@code elf} empty for a file that is not ELF. A file ELF but cut off is read each time. */
    private record Result(FileStamp stamp, boolean full, Optional<ElfFile> elf) {}

    private final Path file;
    private final Map<String, Result> loaded;
    private final Map<String, Result> used = new LinkedHashMap<>();
    private final long trustedBefore;

    private ElfHeaders(Path file, Map<String, Result> loaded, long trustedBefore) {
        this.file = file;
        this.loaded = loaded;
        this.trustedBefore = trustedBefore;
    }

    /**
     * @param layout the layout folder, whose sibling holds the results
     * @param plannedAt when the planning began: a stamp at or after {@link Fingerprints#RACY_MILLIS} before it is not
     *     trusted, as for the layers
     */
    static ElfHeaders load(Path layout, long plannedAt, BuildListener listener) throws IOException {
        Path dir = layout.toAbsolutePath().normalize();
        Path file = dir.resolveSibling("." + dir.getFileName() + ".scratch-elf");
        Map<String, Result> loaded = new HashMap<>();
        try {
            List<String> lines = Arrays.asList(Files.readString(file, StandardCharsets.UTF_8).split("\n"));
            if (!lines.isEmpty() && lines.get(0).equals(HEADER)) {
                for (String line : lines.subList(1, lines.size())) {
                    parse(line, loaded);
                }
            }
        } catch (NoSuchFileException e) {
            // The first build.
        } catch (java.nio.file.FileSystemException e) {
            // Such as an output folder below a file: no headers, and the build reports what is wrong.
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            // Not written by this code, or cut short: read every header again.
            listener.debug("Reading every ELF header again: " + file + " is not a record of this version (" + e
                    + ")");
            loaded.clear();
        }
        return new ElfHeaders(file, loaded, plannedAt - Fingerprints.RACY_MILLIS);
    }

    /**
     * @param full whether the dynamic section is needed too ({@link ElfFile#read}), or the header alone
     *     ({@link ElfFile#readHeader})
     * @return the file's ELF view, from the last build's result when its stamp is the same, else read
     */
    synchronized Optional<ElfFile> read(Path source, FileStamp stamp, boolean full)
            throws IOException, ElfFormatException {
        String key = source.toAbsolutePath().toString();
        Result known = stamp == null ? null : loaded.get(key);
        if (known != null && known.stamp().equals(stamp) && (known.full() || !full)) {
            remember(key, known);
            return known.elf();
        }
        Optional<ElfFile> elf = full ? ElfFile.read(source) : ElfFile.readHeader(source);
        remember(key, new Result(stamp, full, elf));
        return elf;
    }

    /** Keeps a result for the next build, unless its stamp was too recent to trust. */
    private void remember(String key, Result result) {
        if (file != null && result.stamp() != null && !result.stamp().changedSince(trustedBefore)) {
            used.put(key, result);
        }
    }

    /** Writes this build's results, unless they are what was loaded. */
    synchronized void save() throws IOException {
        if (file == null || used.equals(loaded)) {
            return;
        }
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (Map.Entry<String, Result> entry : used.entrySet()) {
            Result r = entry.getValue();
            FileStamp s = r.stamp();
            List<String> fields = new ArrayList<>(List.of(entry.getKey(), Long.toString(s.size()),
                    Long.toString(s.mtimeSeconds()), Integer.toString(s.mtimeNanos()), Long.toString(s.ctimeSeconds()),
                    Integer.toString(s.ctimeNanos()), Long.toString(s.inode()), Long.toString(s.device()),
                    Integer.toString(s.mode()), r.full() ? "full" : "header"));
            if (r.elf().isEmpty()) {
                fields.add(NOT_ELF);
            } else {
                ElfFile elf = r.elf().get();
                fields.addAll(List.of("elf", Integer.toString(elf.elfClass()), Boolean.toString(elf.littleEndian()),
                        Integer.toString(elf.machine()), orNull(elf.interpreter()), orNull(elf.soname()),
                        orNull(elf.rpath()), orNull(elf.runpath())));
                fields.addAll(elf.needed());
            }
            Escapes.line(text, fields.toArray(String[]::new));
        }
        AtomicFile.replace(file, text);
    }

    private static void parse(String line, Map<String, Result> loaded) {
        String[] f = Escapes.fields(line);
        FileStamp stamp = new FileStamp(Long.parseLong(f[1]), Long.parseLong(f[2]), Integer.parseInt(f[3]),
                Long.parseLong(f[4]), Integer.parseInt(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]),
                Integer.parseInt(f[8]));
        boolean full = switch (f[9]) {
            case "full" -> true;
            case "header" -> false;
            default -> throw new IllegalArgumentException(f[9]);
        };
        Result result = switch (f[10]) {
            case NOT_ELF -> new Result(stamp, full, Optional.empty());
            case "elf" -> new Result(stamp, full, Optional.of(new ElfFile(Integer.parseInt(f[11]),
                    Boolean.parseBoolean(f[12]), Integer.parseInt(f[13]), nullOr(f[14]), List.of(f).subList(18,
                            f.length), nullOr(f[15]), nullOr(f[16]), nullOr(f[17]))));
            default -> throw new IllegalArgumentException(f[10]);
        };
        loaded.put(f[0], result);
    }

    /** {@code null} is written as a lone NUL, which no ELF string holds. */
    private static String orNull(String value) {
        return value == null ? "\0" : value;
    }

    private static String nullOr(String value) {
        return value.equals("\0") ? null : value;
    }
}
