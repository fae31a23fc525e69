package org.scratchimage.core.compress;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip stream whose bytes depend on the input, the level, the block size and the zlib in use, and never on
 * the number of threads. {@link java.util.zip.GZIPOutputStream} wrote the OS byte 0 up to JDK 15 and 255 from JDK
 * 16; this writes a fixed 10-byte header itself ({@code 1f 8b 08}, no flags, MTIME 0, XFL 0, OS 255 "unknown"),
 * then raw deflate, then CRC32 and the input size modulo 2^32, both little-endian.
 *
 * <p>The deflate stream is made the way {@code pigz} makes it, so that every core compresses: the input is cut
 * into blocks of {@link #BLOCK_SIZE} bytes; each is compressed on its own, primed with the previous 32 KiB of input
 * as dictionary (so the ratio stays that of one stream), and ended with a sync flush, the last one with the final
 * block. Blocks are compressed by a pool of threads and written in order; at most two blocks per thread are in
 * flight, so memory does not grow with the input.
 */
public final class GzipWriter extends CompressingStream {
    /** zlib's default level, which {@code gzip} also uses. */
    public static final int DEFAULT_LEVEL = 6;
    /** The size of the blocks compressed apart; part of the format: another size gives other bytes. */
    public static final int BLOCK_SIZE = 128 * 1024;
    static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    private static final int DICTIONARY = 32 * 1024;
    /** Deflate never grows a block by more than a few bytes per 16 KiB; a sync flush adds five. */
    private static final int MAX_COMPRESSED = BLOCK_SIZE + BLOCK_SIZE / 64 + 1024;

    /** A compressed block in a reused buffer, and the input block to give back once it is written. */
    private record Compressed(byte[] output, int length, byte[] input) {}

    private final OutputStream out;
    private final int level;
    private final ExecutorService pool;
    private final int maxInFlight;
    private final ArrayDeque<Future<Compressed>> inFlight = new ArrayDeque<>();
    /** Input blocks and output buffers are reused, so compressing a large layer makes next to no garbage. */
    private final ArrayDeque<byte[]> freeBlocks = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<byte[]> freeOutputs = new ConcurrentLinkedQueue<>();
    private final CRC32 crc = new CRC32();
    private byte[] block = new byte[BLOCK_SIZE];
    private int filled;
    private byte[] dictionary;
    private long inputSize;
    private boolean finished;

    /** Compresses on as many threads as the JVM has processors. */
    public GzipWriter(OutputStream out, int level) throws IOException {
        this(out, level, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Writes the header at once. The stream {@code out} is closed by {@link #close()}.
     *
     * @param threads how many blocks are compressed at once; the output is the same for every value
     */
    public GzipWriter(OutputStream out, int level, int threads) throws IOException {
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("gzip level " + level + " is not between 0 and 9");
        }
        this.out = out;
        this.level = level;
        int workers = Math.max(1, threads);
        this.pool = workers == 1 ? null : Executors.newFixedThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, "scratch-gzip");
            thread.setDaemon(true);
            return thread;
        });
        this.maxInFlight = 2 * workers;
        out.write(HEADER);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        if (finished) {
            throw new IOException("gzip stream already finished");
        }
        crc.update(data, offset, length);
        inputSize += length;
        while (length > 0) {
            int n = Math.min(length, BLOCK_SIZE - filled);
            System.arraycopy(data, offset, block, filled, n);
            filled += n;
            offset += n;
            length -= n;
            if (filled == BLOCK_SIZE) {
                submit(false);
            }
        }
    }

    /** Compresses the block so far; the next one is primed with its last 32 KiB. */
    private void submit(boolean last) throws IOException {
        byte[] data = block;
        int length = filled;
        byte[] primer = dictionary;
        dictionary = Arrays.copyOfRange(data, Math.max(0, length - DICTIONARY), length);
        filled = 0;
        if (pool == null) {
            Compressed compressed = compress(data, length, primer, last, level, output());
            write(compressed);
            block = compressed.input();
            return;
        }
        while (inFlight.size() >= maxInFlight) {
            writeOldest();
        }
        byte[] output = output();
        inFlight.add(pool.submit(() -> compress(data, length, primer, last, level, output)));
        byte[] free = freeBlocks.poll();
        block = free != null ? free : new byte[BLOCK_SIZE];
    }

    private byte[] output() {
        byte[] free = freeOutputs.poll();
        return free != null ? free : new byte[MAX_COMPRESSED];
    }

    private void write(Compressed compressed) throws IOException {
        out.write(compressed.output(), 0, compressed.length());
        freeOutputs.add(compressed.output());
    }

    private void writeOldest() throws IOException {
        try {
            Compressed compressed = inFlight.poll().get();
            write(compressed);
            freeBlocks.add(compressed.input());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing");
        } catch (ExecutionException e) {
            throw new IOException("compressing a block failed", e.getCause());
        }
    }

    /** One deflater and output buffer per thread, reset for each block: no native state is made per block. */
    private static final ThreadLocal<Deflater[]> DEFLATERS = ThreadLocal.withInitial(() -> new Deflater[10]);

    /** One block as raw deflate into {@code output}: with a sync flush, or for the last one the final deflate block. */
    private static Compressed compress(byte[] data, int length, byte[] primer, boolean last, int level, byte[] output) {
        Deflater[] deflaters = DEFLATERS.get();
        if (deflaters[level] == null) {
            deflaters[level] = new Deflater(level, true);
        }
        Deflater deflater = deflaters[level];
        deflater.reset();
        if (primer != null && primer.length > 0) {
            deflater.setDictionary(primer);
        }
        deflater.setInput(data, 0, length);
        int written = 0;
        if (last) {
            deflater.finish();
        }
        boolean full;
        do {
            int space = output.length - written;
            int n = last
                    ? deflater.deflate(output, written, space)
                    : deflater.deflate(output, written, space, Deflater.SYNC_FLUSH);
            written += n;
            // A full buffer may hide more output: grow it and ask again, as Deflater's contract says.
            full = n == space;
            if (full) {
                output = Arrays.copyOf(output, output.length * 2);
            }
        } while (full || (last ? !deflater.finished() : !deflater.needsInput()));
        return new Compressed(output, written, data);
    }

    /** Compresses what is left, writes every block in order and the trailer; the underlying stream stays open. */
    @Override
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        try {
            submit(true);
            while (!inFlight.isEmpty()) {
                writeOldest();
            }
        } finally {
            shutdown();
        }
        long checksum = crc.getValue();
        long size = inputSize & 0xffffffffL;
        out.write(new byte[] {
            (byte) checksum, (byte) (checksum >>> 8), (byte) (checksum >>> 16), (byte) (checksum >>> 24),
            (byte) size, (byte) (size >>> 8), (byte) (size >>> 16), (byte) (size >>> 24)
        });
    }

    private void shutdown() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    @Override
    public void flush() throws IOException {
        // Compressing a partial block early would change the output; only pass the call on.
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            finish();
        } finally {
            shutdown();
            out.close();
        }
    }
}
