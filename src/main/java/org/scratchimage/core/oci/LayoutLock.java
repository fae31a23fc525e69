package org.scratchimage.core.oci;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Serialises builds that write the same layout: two Maven processes, or two modules of one {@code -T} reactor.
 * The second waits until the first has committed, then replaces its layout, so the folder always ends as one
 * complete layout.
 *
 * <p>The lock file is {@code .<name>.scratch-lock} beside the layout folder, not inside it, so the layout holds
 * nothing but the layout; it is left in place, because deleting a lock file races with the next build that
 * opens it. Within one JVM a {@link ReentrantLock} per lock file comes first, since file locks belong to the
 * whole process.
 */
public final class LayoutLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock lock;

    private LayoutLock(ReentrantLock local, FileChannel channel, FileLock lock) {
        this.local = local;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Blocks until no other build writes {@code directory}.
     *
     * @param directory the layout folder by its {@link FolderKey}: two names of one folder must give one lock file
     * @param waiting told once if another build holds the lock
     */
    public static LayoutLock acquire(Path directory, Consumer<String> waiting) throws IOException {
        Path dir = directory.toAbsolutePath().normalize();
        Path parent = dir.getParent();
        if (parent == null) {
            throw new IOException("cannot lock " + dir + ": it has no parent folder");
        }
        Files.createDirectories(parent);
        Path file = parent.resolve("." + dir.getFileName() + ".scratch-lock");
        ReentrantLock local = IN_PROCESS.computeIfAbsent(file, f -> new ReentrantLock());
        boolean told = false;
        if (!local.tryLock()) {
            waiting.accept("Waiting for another build of this JVM that writes " + dir);
            told = true;
            local.lock();
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                if (!told) {
                    waiting.accept("Waiting for another process that writes " + dir + " (lock " + file + ")");
                }
                lock = channel.lock();
            }
            return new LayoutLock(local, channel, lock);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            local.unlock();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
            channel.close();
        } finally {
            local.unlock();
        }
    }
}
