package org.scratchimage.core.packages;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The per-package files of a dpkg database, {@code var/lib/dpkg/info/<package>[:<arch>].list} and {@code .md5sums}:
 * which files a package owns, and their MD5 sums. A file that cannot be read is reported to {@code warn}, naming it,
 * and its package is left out.
 *
 * <p>Its files are not noted as inputs of the build one by one ({@code elf.HostReads}): dpkg writes each one new
 * and renames it into place, and rewrites {@code status}, on every install, upgrade and removal, so the stamps of
 * the {@code info} folder and of {@code status} change with them. A host's 700 {@code .list} files would otherwise
 * cost an unchanged build 700 stats.
 */
final class DpkgInfo {
    private static final Pattern MD5 = Pattern.compile("[0-9a-f]{32}");

    private final Path info;
    private final Consumer<String> warn;

    /** @param info the {@code info} folder, resolved inside the sysroot */
    DpkgInfo(Path info, Consumer<String> warn) {
        this.info = info;
        this.warn = warn;
    }

    /** @return the package's {@code .list}, or {@code null} when it has none or it cannot be read (reported) */
    byte[] list(InstalledPackage pkg) {
        return read(pkg, ".list");
    }

    /**
     * @param files image path to the spellings of its source as an absolute path of the sysroot, first match wins
     * @return the package's {@code md5sums} of these files, each under its image path, sorted; {@code null} if it
     *     has none of them
     */
    byte[] md5sums(InstalledPackage pkg, Map<String, List<String>> files) {
        byte[] bytes = read(pkg, ".md5sums");
        if (bytes == null) {
            return null;
        }
        Map<String, String> sums = new HashMap<>();
        int number = 0;
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            number++;
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 35 || !line.startsWith("  ", 32) || !MD5.matcher(line.substring(0, 32)).matches()) {
                warn.accept(file(pkg, ".md5sums") + ": line " + number + " is not \"MD5  path\"; it is left out");
                continue;
            }
            sums.put("/" + line.substring(34), line.substring(0, 32));
        }
        Map<String, String> lines = new TreeMap<>();
        files.forEach((path, spellings) -> {
            for (String spelling : spellings) {
                String sum = sums.get(spelling);
                if (sum != null) {
                    lines.put(path, sum);
                    return;
                }
            }
        });
        if (lines.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        lines.forEach((path, sum) -> out.append(sum).append("  ").append(path).append('\n'));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @return the bytes of {@code info/<package>[:<arch>]<suffix>}, or {@code null} if missing or unreadable; a
     *     {@code Multi-Arch: same} package's files carry the architecture
     */
    private byte[] read(InstalledPackage pkg, String suffix) {
        String plain = pkg.name + suffix;
        String qualified = pkg.name + ":" + pkg.architecture + suffix;
        for (String name : pkg.multiArchSame ? List.of(qualified, plain) : List.of(plain, qualified)) {
            Path file = info.resolve(name);
            try {
                if (Files.isSymbolicLink(file)) {
                    warn.accept(file + " is a symbolic link, which dpkg never makes; package " + pkg.name
                            + " is left out of the package metadata");
                    return null;
                }
                return Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                // Try the other name.
            } catch (IOException e) {
                warn.accept("Could not read " + file + ": " + e + "; package " + pkg.name + " is left out of the"
                        + " package metadata");
                return null;
            }
        }
        return null;
    }

    private Path file(InstalledPackage pkg, String suffix) {
        Path qualified = info.resolve(pkg.name + ":" + pkg.architecture + suffix);
        return Files.exists(qualified) ? qualified : info.resolve(pkg.name + suffix);
    }
}
