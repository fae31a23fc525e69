package org.scratchimage.core.oci;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A file replaced as a whole: a reader sees the old bytes or the new ones, never a part. Each write goes to a
 * temporary file of its own in the same folder, so two builds writing at once leave one whole file.
 */
public final class AtomicFile {
    private AtomicFile() {}

    /**
     * Writes {@code bytes} to a temporary file in {@code file}'s folder (created if needed), forces it to disk and
     * renames it over {@code file}; in the same folder, so the rename never crosses file systems.
     */
    public static void write(Path file, byte[] bytes) throws IOException {
        store(file, bytes, true);
    }

    /**
     * Replaces {@code file} with {@code text} in UTF-8, like {@link #write} but without forcing it to disk: for the
     * records a build keeps for the next one, which a crash may lose or empty, since a record that cannot be read is
     * no record and the next build does the work again.
     */
    public static void replace(Path file, CharSequence text) throws IOException {
        store(file, text.toString().getBytes(StandardCharsets.UTF_8), false);
    }

    private static void store(Path file, byte[] bytes, boolean force) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                if (force) {
                    channel.force(true);
                }
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
