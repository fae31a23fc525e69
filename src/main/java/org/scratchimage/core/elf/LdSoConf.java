package org.scratchimage.core.elf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The library directories of {@code <sysroot>/etc/ld.so.conf}, following its {@code include} globs the way
 * ldconfig does: patterns relative to the including file's folder, expanded by glob(3)'s rules (see {@link Glob}),
 * matches in sorted order, comments and {@code hwcap} lines ignored.
 */
final class LdSoConf {
    private static final int MAX_DEPTH = 16;

    private final Path sysroot;
    private final Set<Path> visited = new HashSet<>();
    private final Set<String> directories = new LinkedHashSet<>();

    private LdSoConf(Path sysroot) {
        this.sysroot = sysroot;
    }

    /** @return absolute directories inside the sysroot, in the order ldconfig reads them; empty if there is no file */
    static List<String> directories(Path sysroot) throws IOException {
        LdSoConf conf = new LdSoConf(sysroot);
        conf.read("/etc/ld.so.conf", 0);
        return new ArrayList<>(conf.directories);
    }

    private void read(String path, int depth) throws IOException {
        Path file = Sysroot.resolve(sysroot, path);
        if (depth > MAX_DEPTH || !Files.isRegularFile(file) || !visited.add(file.toAbsolutePath().normalize())) {
            return;
        }
        String folder = path.substring(0, path.lastIndexOf('/') + 1);
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).trim();
            if (line.isEmpty() || line.startsWith("hwcap ")) {
                continue;
            }
            if (line.startsWith("include ") || line.startsWith("include\t")) {
                for (String pattern : line.substring(8).trim().split("\\s+")) {
                    for (String match : glob(pattern.startsWith("/") ? pattern : folder + pattern)) {
                        read(match, depth + 1);
                    }
                }
                continue;
            }
            for (String entry : line.split("[\\s:,]+")) {
                int equals = entry.indexOf('=');
                String dir = equals >= 0 ? entry.substring(0, equals) : entry;
                if (dir.startsWith("/")) {
                    directories.add(dir.length() > 1 && dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir);
                }
            }
        }
    }

    /**
     * Expands an absolute pattern as glob(3) does for ldconfig, segment by segment inside the sysroot: a segment
     * without {@code *}, {@code ?}, {@code [} or a backslash is a plain name, the others are matched against the
     * folder's entries (with {@code .} and {@code ..}, as readdir gives them) by {@link Glob}.
     * The paths come back sorted as whole paths, like glob's.
     */
    private List<String> glob(String pattern) throws IOException {
        List<String> paths = List.of("");
        for (String segment : pattern.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            List<String> next = new ArrayList<>();
            for (String prefix : paths) {
                if (!Glob.isPattern(segment)) {
                    next.add(prefix + "/" + segment);
                    continue;
                }
                Path folder = Sysroot.resolve(sysroot, prefix.isEmpty() ? "/" : prefix);
                if (!Files.isDirectory(folder)) {
                    continue;
                }
                List<String> names = new ArrayList<>(List.of(".", ".."));
                try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
                    stream.forEach(entry -> names.add(entry.getFileName().toString()));
                }
                for (String name : names) {
                    if (Glob.matches(segment, name)) {
                        next.add(prefix + "/" + name);
                    }
                }
            }
            paths = next;
        }
        List<String> matches = new ArrayList<>(paths);
        matches.sort(null);
        return matches;
    }
}
