package org.scratchimage.core.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.scratchimage.core.compress.DigestingOutputStream;

/**
 * The body of a blob PUT: the file streamed with its {@code Content-Length}, its SHA-256 computed while it is read.
 * The last piece is held back until the digest is known: if the bytes do not match, the body fails before it is
 * complete, so that the registry never commits them, and {@link #damaged()} says why.
 */
final class BlobBody {
    /** How often progress is reported at most. */
    static final long PROGRESS_NANOS = 3_000_000_000L;

    /** Hears how many bytes went out. */
    interface Progress {
        void sent(long bytes, long total);
    }

    private final Path file;
    private final String digest;
    private final long size;
    private final Progress progress;
    private volatile String damage;

    BlobBody(Path file, String digest, long size, Progress progress) {
        this.file = file;
        this.digest = digest;
        this.size = size;
        this.progress = progress;
    }

    /** @return a fresh publisher, reading the file from its start */
    HttpRequest.BodyPublisher publisher() {
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
            try {
                return new Checking(Files.newInputStream(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }), size);
    }

    /** @return why the file's bytes did not match the digest or size, or null */
    String damaged() {
        return damage;
    }

    /** @return whether an empty file matches, for an empty body is never read */
    static boolean emptyMatches(String digest) {
        return digest.equals(DigestingOutputStream.digestOf(new byte[0]));
    }

    private final class Checking extends FilterInputStream {
        private final MessageDigest sha256 = DigestingOutputStream.newSha256();
        private long read;
        private long reported = System.nanoTime();

        Checking(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n < 0) {
                if (read < size) {
                    throw fail("the file has " + read + " bytes, not " + size);
                }
                return n;
            }
            read += n;
            sha256.update(buffer, offset, n);
            if (read > size) {
                throw fail("the file has more than " + size + " bytes");
            }
            if (read == size) {
                String actual = "sha256:" + HexFormat.of().formatHex(sha256.digest());
                if (!actual.equals(digest)) {
                    throw fail("its bytes have the digest " + actual);
                }
            }
            long now = System.nanoTime();
            if (now - reported >= PROGRESS_NANOS) {
                reported = now;
                progress.sent(read, size);
            }
            return n;
        }

        @Override
        public long skip(long n) {
            return 0;
        }

        private IOException fail(String why) {
            damage = why;
            return new IOException("blob " + digest + " in " + file + " is damaged: " + why);
        }
    }
}
