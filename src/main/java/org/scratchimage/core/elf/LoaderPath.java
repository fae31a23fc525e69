package org.scratchimage.core.elf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The directories a dynamic loader searches by itself, with no {@code ld.so.cache} and no {@code LD_LIBRARY_PATH}:
 * the only ones an image, which has neither, can count on. They differ between loaders of one architecture (Debian's
 * multiarch glibc: {@code /lib/<triplet>:/usr/lib/<triplet>:/lib:/usr/lib}; Fedora's: {@code /lib64:/usr/lib64};
 * musl: {@code /lib:/usr/local/lib:/usr/lib}), so they are read from the loader itself.
 *
 * @param loader the interpreter path these are for, or {@code null} when no program names one
 * @param directories absolute directories, in the order the loader searches them
 * @param readsLdSoConf whether the loader's cache comes from {@code /etc/ld.so.conf} (glibc); musl never reads it
 */
record LoaderPath(String loader, List<String> directories, boolean readsLdSoConf) {
    static final List<String> MUSL = List.of("/lib", "/usr/local/lib", "/usr/lib");
    /** glibc's ld.so is about 250 KiB, musl's libc under 1 MiB: a bigger "loader" is not one we know. */
    private static final long MAX_LOADER_BYTES = 16L << 20;

    LoaderPath {
        directories = List.copyOf(directories);
    }

    /**
     * @param interpreter the {@code PT_INTERP} path
     * @param hostFile the loader's bytes, or {@code null} if neither the image nor the sysroot holds it
     */
    static LoaderPath of(String interpreter, Path hostFile, Path sysroot, ElfFile reference) throws IOException {
        String name = interpreter.substring(interpreter.lastIndexOf('/') + 1);
        boolean musl = name.startsWith("ld-musl-");
        byte[] bytes = hostFile != null && Files.isRegularFile(hostFile) && Files.size(hostFile) <= MAX_LOADER_BYTES
                ? Files.readAllBytes(hostFile)
                : null;
        if (bytes != null && musl) {
            List<String> path = colonList(bytes);
            return new LoaderPath(interpreter, path.isEmpty() ? MUSL : path, false);
        }
        if (bytes != null) {
            List<String> systemDirs = systemDirs(bytes);
            if (!systemDirs.isEmpty()) {
                return new LoaderPath(interpreter, systemDirs, true);
            }
        }
        return musl ? new LoaderPath(interpreter, MUSL, false) : guess(interpreter, sysroot, reference);
    }

    /** For a loader whose bytes say nothing, or when no program names one: glibc's path for the sysroot's layout. */
    static LoaderPath guess(String interpreter, Path sysroot, ElfFile reference) throws IOException {
        String triplet = ElfMachine.multiarchTriplet(reference);
        List<String> directories;
        if (triplet != null && (Files.isDirectory(Sysroot.resolve(sysroot, "/usr/lib/" + triplet))
                || Files.isDirectory(Sysroot.resolve(sysroot, "/lib/" + triplet)))) {
            directories = List.of("/lib/" + triplet, "/usr/lib/" + triplet, "/lib", "/usr/lib");
        } else if (reference.elfClass() == 64 && (Files.isDirectory(Sysroot.resolve(sysroot, "/usr/lib64"))
                || Files.isDirectory(Sysroot.resolve(sysroot, "/lib64")))) {
            directories = List.of("/lib64", "/usr/lib64");
        } else {
            directories = List.of("/lib", "/usr/lib");
        }
        return new LoaderPath(interpreter, directories, true);
    }

    /** @return where the libraries of this architecture usually are, in any of the layouts above */
    static List<String> usualDirectories(ElfFile reference) {
        String triplet = ElfMachine.multiarchTriplet(reference);
        List<String> usual = new ArrayList<>();
        if (triplet != null) {
            usual.addAll(List.of("/lib/" + triplet, "/usr/lib/" + triplet));
        }
        if (reference.elfClass() == 64) {
            usual.addAll(List.of("/lib64", "/usr/lib64"));
        }
        usual.addAll(List.of("/lib", "/usr/lib", "/usr/local/lib"));
        return List.copyOf(usual);
    }

    /**
     * glibc's ld.so holds its built-in path as consecutive NUL-terminated strings, each ending in '/' (SYSTEM_DIRS of
     * {@code elf/dl-load.c}: {@code "/lib/x86_64-linux-gnu/\0/usr/lib/x86_64-linux-gnu/\0/lib/\0/usr/lib/\0"}).
     *
     * @return the first run of two or more such strings naming a lib folder, without the trailing '/'; empty if none
     */
    static List<String> systemDirs(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '/' || i > 0 && printable(bytes[i - 1])) {
                continue;
            }
            List<String> run = new ArrayList<>();
            int start = i;
            while (start < bytes.length && bytes[start] == '/') {
                int end = start;
                while (end < bytes.length && printable(bytes[end])) {
                    end++;
                }
                String dir = new String(bytes, start, end - start, StandardCharsets.US_ASCII);
                if (end >= bytes.length || bytes[end] != 0 || dir.length() < 2 || !dir.endsWith("/")
                        || !dir.contains("lib")) {
                    break;
                }
                run.add(dir.substring(0, dir.length() - 1));
                start = end + 1;
            }
            if (run.size() >= 2) {
                return run;
            }
        }
        return List.of();
    }

    /** musl's default is one NUL-terminated string, {@code "/lib:/usr/local/lib:/usr/lib"}. */
    private static List<String> colonList(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '/' || i > 0 && printable(bytes[i - 1])) {
                continue;
            }
            int end = i;
            while (end < bytes.length && printable(bytes[end])) {
                end++;
            }
            if (end < bytes.length && bytes[end] == 0) {
                String value = new String(bytes, i, end - i, StandardCharsets.US_ASCII);
                if (value.matches("/[^:]*lib[^:]*(:/[^:]*lib[^:]*)+")) {
                    return List.of(value.split(":"));
                }
            }
            i = end;
        }
        return List.of();
    }

    private static boolean printable(byte b) {
        return b > ' ' && b < 127;
    }
}
