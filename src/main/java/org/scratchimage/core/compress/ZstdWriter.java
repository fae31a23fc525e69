package org.scratchimage.core.compress;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * One Zstandard frame, compressed by zstd's own worker threads. With at least one worker, zstd cuts the input
 * into jobs whose size depends on the level only, so the bytes do not depend on the number of threads; they do
 * depend on the level and the zstd version, which the plugin pins. No checksum is written: the layer's SHA-256
 * digest already covers every byte.
 */
public final class ZstdWriter extends CompressingStream {
    /** zstd's default level. */
    public static final int DEFAULT_LEVEL = 3;

    private final OutputStream out;
    private final ZstdOutputStreamNoFinalizer zstd;
    private boolean finished;

    /** Compresses with as many worker threads as the JVM has processors. */
    public ZstdWriter(OutputStream out, int level) throws IOException {
        this(out, level, Runtime.getRuntime().availableProcessors());
    }

    /** @param threads zstd worker threads, at least one; the output is the same for every value */
    public ZstdWriter(OutputStream out, int level, int threads) throws IOException {
        this.out = out;
        // zstd closes its frame by closing its stream: that close must not reach ours.
        OutputStream keepOpen = new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
        this.zstd = new ZstdOutputStreamNoFinalizer(keepOpen, RecyclingBufferPool.INSTANCE)
                .setLevel(level)
                .setWorkers(Math.max(1, threads))
                .setChecksum(false);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        if (finished) {
            throw new IOException("zstd stream already finished");
        }
        zstd.write(data, offset, length);
    }

    @Override
    public void flush() throws IOException {
        // Flushing zstd would end a block early and change the bytes; only pass the call on.
        out.flush();
    }

    @Override
    public void finish() throws IOException {
        if (!finished) {
            finished = true;
            zstd.close();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            finish();
        } finally {
            out.close();
        }
    }
}
