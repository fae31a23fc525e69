package org.scratchimage.core.elf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The library directories of {@code <sysroot>/etc/ld.so.conf}, following its {@code include} globs the way
 * ldconfig does: patterns relative to the including file's folder, matches in sorted order, comments and
 * {@code hwcap} lines ignored.
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

    /** Globs only the last segment, which is what ld.so.conf files use ({@code /etc/ld.so.conf.d/*.conf}). */
    private List<String> glob(String pattern) throws IOException {
        int slash = pattern.lastIndexOf('/');
        String folder = pattern.substring(0, slash + 1);
        String name = pattern.substring(slash + 1);
        Path dir = Sysroot.resolve(sysroot, folder.isEmpty() ? "/" : folder);
        List<String> matches = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return matches;
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + name);
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path entry : stream) {
                if (matcher.matches(entry.getFileName())) {
                    matches.add(folder + entry.getFileName());
                }
            }
        }
        matches.sort(null);
        return matches;
    }
}
