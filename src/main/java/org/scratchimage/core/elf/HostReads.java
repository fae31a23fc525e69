package org.scratchimage.core.elf;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The host paths a build's planning consulted besides the files it copies: folders it listed, files it read, and
 * paths it looked for and did not find (a library's negative lookups). A build whose request is unchanged and whose
 * consulted paths stat as they did plans the same image, so the next build can skip its planning
 * ({@code core.UnchangedBuild}).
 *
 * <p>Noted into every recording open at the time, from any thread: the planning notes from deep inside the loader's
 * search, the dpkg reader and the tree walk, and a parameter through every call would only carry this one set. A
 * build running beside another in the same JVM ({@code -T}) may so record the other's paths too; a path too many
 * costs at most a planning that was not needed, never an image that is out of date.
 */
public final class HostReads {
    private static final Set<Recording> OPEN = ConcurrentHashMap.newKeySet();

    private HostReads() {}

    /** @return a recording of every path noted until it is closed */
    public static Recording start() {
        Recording recording = new Recording();
        OPEN.add(recording);
        return recording;
    }

    /** Notes a path as {@code lstat} sees it: a link itself, a folder's listing, a file's content, or its absence. */
    public static void note(Path path) {
        if (!OPEN.isEmpty()) {
            Path absolute = path.toAbsolutePath();
            for (Recording recording : OPEN) {
                recording.described.add(absolute);
            }
        }
    }

    /** Notes a path as {@code stat} sees it: what its links lead to, such as a declared tree's root. */
    public static void noteFollowed(Path path) {
        if (!OPEN.isEmpty()) {
            Path absolute = path.toAbsolutePath();
            for (Recording recording : OPEN) {
                recording.followed.add(absolute);
            }
        }
    }

    /** The paths noted while it was open. */
    public static final class Recording implements AutoCloseable {
        private final Set<Path> described = ConcurrentHashMap.newKeySet();
        private final Set<Path> followed = ConcurrentHashMap.newKeySet();

        private Recording() {}

        /** @return the paths noted with {@link #note}: their links not followed */
        public Set<Path> described() {
            return Set.copyOf(described);
        }

        /** @return the paths noted with {@link #noteFollowed}: their links followed */
        public Set<Path> followed() {
            return Set.copyOf(followed);
        }

        @Override
        public void close() {
            OPEN.remove(this);
        }
    }
}
