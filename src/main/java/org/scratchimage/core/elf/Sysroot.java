package org.scratchimage.core.elf;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves absolute paths of the target system inside a sysroot, as a chroot would: symbolic links are
 * followed with their absolute targets taken relative to the sysroot and {@code ..} stopping at its root, so a
 * link never leads out of it (an arm64 root filesystem's {@code /lib64 -> /lib} stays in the sysroot).
 */
public final class Sysroot {
    private static final int MAX_LINKS = 40;

    private Sysroot() {}

    /**
     * @param absolute a path of the target system, starting with '/'
     * @return the host path it designates, with every symbolic link resolved; it may not exist
     */
    public static Path resolve(Path sysroot, String absolute) throws IOException {
        Deque<String> pending = new ArrayDeque<>(split(absolute));
        List<String> resolved = new ArrayList<>();
        int links = 0;
        while (!pending.isEmpty()) {
            String segment = pending.pop();
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (!resolved.isEmpty()) {
                    resolved.remove(resolved.size() - 1);
                }
                continue;
            }
            Path candidate = join(sysroot, resolved).resolve(segment);
            HostReads.note(candidate);
            if (Files.isSymbolicLink(candidate)) {
                if (++links > MAX_LINKS) {
                    throw new FileSystemLoopException(sysroot + absolute);
                }
                String target = Files.readSymbolicLink(candidate).toString();
                if (target.startsWith("/")) {
                    resolved.clear();
                }
                List<String> parts = split(target);
                for (int i = parts.size() - 1; i >= 0; i--) {
                    pending.push(parts.get(i));
                }
            } else {
                resolved.add(segment);
            }
        }
        Path result = join(sysroot, resolved);
        HostReads.note(result);
        return result;
    }

    private static List<String> split(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        return parts;
    }

    private static Path join(Path sysroot, List<String> segments) {
        Path path = sysroot;
        for (String segment : segments) {
            path = path.resolve(segment);
        }
        return path;
    }
}
