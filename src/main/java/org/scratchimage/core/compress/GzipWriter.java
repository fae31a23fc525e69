package org.scratchimage.core.compress;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip stream whose bytes depend on the input and the zlib in use only. {@link java.util.zip.GZIPOutputStream}
 * wrote the OS byte 0 up to JDK 15 and 255 from JDK 16; this writes a fixed 10-byte header itself
 * ({@code 1f 8b 08}, no flags, MTIME 0, XFL 0, OS 255 "unknown"), raw deflate, then CRC32 and the input size
 * modulo 2^32, both little-endian.
 */
public final class GzipWriter extends FilterOutputStream {
    /** zlib's default level, which {@code gzip} also uses. */
    public static final int DEFAULT_LEVEL = 6;
    static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private final byte[] buffer = new byte[64 * 1024];
    private long inputSize;
    private boolean finished;

    /** Writes the header at once. The stream {@code out} is closed by {@link #close()}. */
    public GzipWriter(OutputStream out, int level) throws IOException {
        super(out);
        this.deflater = new Deflater(level, true);
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
        deflater.setInput(data, offset, length);
        while (!deflater.needsInput()) {
            drain(Deflater.NO_FLUSH);
        }
    }

    /** Completes the deflate stream and writes the trailer; the underlying stream stays open. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        deflater.finish();
        while (!deflater.finished()) {
            drain(Deflater.NO_FLUSH);
        }
        deflater.end();
        long checksum = crc.getValue();
        long size = inputSize & 0xffffffffL;
        out.write(new byte[] {
            (byte) checksum, (byte) (checksum >>> 8), (byte) (checksum >>> 16), (byte) (checksum >>> 24),
            (byte) size, (byte) (size >>> 8), (byte) (size >>> 16), (byte) (size >>> 24)
        });
    }

    private void drain(int flush) throws IOException {
        int n = deflater.deflate(buffer, 0, buffer.length, flush);
        if (n > 0) {
            out.write(buffer, 0, n);
        }
    }

    @Override
    public void flush() throws IOException {
        // Flushing the deflater would change the output; only pass the call on.
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            finish();
        } finally {
            deflater.end();
            out.close();
        }
    }
}
