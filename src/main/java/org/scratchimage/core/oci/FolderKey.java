package org.scratchimage.core.oci;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The one path of a folder, whatever name it was reached by: the builds that write a layout take turns, keep their
 * state and recognise each other by it.
 *
 * <p>It is the real path of the folder's nearest existing ancestor, followed by the components that do not exist
 * yet, resolved as the kernel would once they exist: {@code a/link/../b} is {@code b} beside the link's target, not
 * beside the link; a link that dangles is followed to where it points, since that is where the folder will be
 * created. Two paths that name the same folder, now or once it is created, have the same key; {@code normalize()}
 * alone keys {@code out} and {@code alias -> out} apart.
 */
public final class FolderKey {
    /** Linux's limit on the links followed in one path (MAXSYMLINKS): past it, the path cannot be created either. */
    private static final int MAX_LINKS = 40;

    private FolderKey() {}

    /**
     * @param folder a folder, existing or not, absolute or relative to the working directory
     * @return its key: absolute, normalised, with every link that exists along it resolved
     * @throws FileSystemException if it leads through more than 40 links, such as a loop of links
     */
    public static Path of(Path folder) throws IOException {
        Path absolute = folder.toAbsolutePath();
        Path current = absolute.getRoot();
        Deque<String> todo = new ArrayDeque<>();
        for (Path name : absolute) {
            todo.add(name.toString());
        }
        int links = 0;
        while (!todo.isEmpty()) {
            String name = todo.removeFirst();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                // current is real (or below a missing folder, which holds no links): its parent is the real one.
                current = current.getParent() == null ? current : current.getParent();
                continue;
            }
            Path next = current.resolve(name);
            if (!isLink(next)) {
                current = next;
                continue;
            }
            if (++links > MAX_LINKS) {
                throw new FileSystemException(absolute.toString(), null, "Too many levels of symbolic links");
            }
            Path target = Files.readSymbolicLink(next);
            if (target.isAbsolute()) {
                current = target.getRoot();
            }
            Deque<String> expanded = new ArrayDeque<>();
            for (Path part : target) {
                expanded.add(part.toString());
            }
            while (!expanded.isEmpty()) {
                todo.addFirst(expanded.removeLast());
            }
        }
        // Every link is resolved; the file system's own name of what exists (its case, on a file system that
        // ignores case) comes from toRealPath.
        Path existing = current;
        while (existing.getParent() != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        return existing.toRealPath().resolve(existing.relativize(current));
    }

    /**
     * Whether {@code path} is a link. A name below a missing folder or below a file is none, nor is one the build
     * user may not look at: writing there fails later, with the file system's own error.
     */
    private static boolean isLink(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isSymbolicLink();
        } catch (FileSystemException e) {
            return false;
        }
    }
}
