package org.scratchimage.core.registry;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.scratchimage.core.compress.DigestingOutputStream;

/**
 * The body of a blob PUT: the file streamed with its {@code Content-Length}, its SHA-256 computed while it is read.
 * The last piece is held back until the digest is known: if the bytes do not match, the body fails before it is
 * complete, so that the registry never commits them, and {@link #damaged()} says why.
 *
 * <p>Why not the JDK's {@code BodyPublishers.ofFile} or {@code ofInputStream}: both allocate a new 16 KiB heap array
 * for every piece, so a 183 MiB layer leaves 183 MiB of garbage, and with the default heap (a quarter of the
 * memory) the young generation grows to hold it: W2's cold build and push peaked at 330 MiB of resident memory,
 * 258 MiB for the push alone (bench/run, 2026-11-30). Here each subscription reads the file with a
 * {@link FileChannel} into a few direct buffers that it uses again once the client has consumed them. A buffer is
 * consumed when it has nothing left: the client advances a direct buffer's position only after the bytes went to
 * the socket (or, over TLS, into the engine's own buffer). A buffer still in flight is never refilled; when all are
 * in flight, a new heap buffer is used, which costs garbage and nothing else.
 */
final class BlobBody {
    /** How often progress is reported at most. */
    static final long PROGRESS_NANOS = 3_000_000_000L;

    /** The size of a piece: large enough that the client's per-piece work is small against the copying. */
    static final int CHUNK = 256 * 1024;

    /** How many direct buffers one reading of the file uses again. */
    static final int POOLED = 4;

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

    /** @return a fresh publisher: each subscription reads the file from its start */
    HttpRequest.BodyPublisher publisher() {
        return HttpRequest.BodyPublishers.fromPublisher(subscriber -> {
            Objects.requireNonNull(subscriber, "subscriber");
            subscriber.onSubscribe(new Reading(subscriber));
        }, size);
    }

    /** @return why the file's bytes did not match the digest or size, or null */
    String damaged() {
        return damage;
    }

    /** @return whether an empty file matches, for an empty body is never read */
    static boolean emptyMatches(String digest) {
        return digest.equals(DigestingOutputStream.digestOf(new byte[0]));
    }

    /**
     * One reading of the file, as a subscription: pieces go out only on demand, one thread at a time (whichever
     * thread asks while no other is in {@link #drain()}), and a cancelled or finished reading closes the file.
     */
    private final class Reading implements Flow.Subscription {
        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger work = new AtomicInteger();
        private volatile boolean cancelled;
        private volatile IllegalArgumentException badRequest;

        // Touched only by the thread in drain().
        private final List<ByteBuffer> pool = new ArrayList<>(POOLED);
        private final MessageDigest sha256 = DigestingOutputStream.newSha256();
        private FileChannel channel;
        private long read;
        private long reported = System.nanoTime();
        private boolean finished;

        Reading(Flow.Subscriber<? super ByteBuffer> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                badRequest = new IllegalArgumentException("a subscriber requested " + n + " pieces");
            } else {
                demand.accumulateAndGet(n, (left, more) -> left + more < 0 ? Long.MAX_VALUE : left + more);
            }
            drain();
        }

        @Override
        public void cancel() {
            cancelled = true;
            drain();
        }

        private void drain() {
            if (work.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            do {
                emit();
                missed = work.addAndGet(-missed);
            } while (missed != 0);
        }

        private void emit() {
            while (!finished) {
                if (cancelled) {
                    finish();
                    return;
                }
                if (badRequest != null) {
                    finish();
                    subscriber.onError(badRequest);
                    return;
                }
                if (demand.get() == 0) {
                    return;
                }
                ByteBuffer piece;
                try {
                    piece = next();
                } catch (IOException e) {
                    finish();
                    subscriber.onError(e);
                    return;
                }
                if (piece == null) {
                    finish();
                    subscriber.onComplete();
                    return;
                }
                demand.decrementAndGet();
                subscriber.onNext(piece);
            }
        }

        /** @return the next piece, or null after the last; the last is returned only if the digest matches */
        private ByteBuffer next() throws IOException {
            if (read == size) {
                return null;
            }
            if (channel == null) {
                channel = FileChannel.open(file, StandardOpenOption.READ);
            }
            ByteBuffer piece = take((int) Math.min(CHUNK, size - read));
            while (piece.hasRemaining()) {
                if (channel.read(piece) < 0) {
                    throw fail("the file has " + (read + piece.position()) + " bytes, not " + size);
                }
            }
            piece.flip();
            read += piece.remaining();
            sha256.update(piece);
            piece.rewind();
            if (read == size) {
                if (channel.read(ByteBuffer.allocate(1)) > 0) {
                    throw fail("the file has more than " + size + " bytes");
                }
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
            return piece;
        }

        /** @return an empty buffer for {@code length} bytes: a consumed one of the pool, a new one, or a heap one */
        private ByteBuffer take(int length) {
            for (ByteBuffer buffer : pool) {
                if (!buffer.hasRemaining()) {
                    return buffer.clear().limit(length);
                }
            }
            if (pool.size() < POOLED) {
                ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
                pool.add(buffer);
                return buffer.limit(length);
            }
            return ByteBuffer.allocate(length);
        }

        private void finish() {
            finished = true;
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // Read-only: closing loses nothing; the body's outcome is already decided.
                }
                channel = null;
            }
        }

        private IOException fail(String why) {
            damage = why;
            return new IOException("blob " + digest + " in " + file + " is damaged: " + why);
        }
    }
}
