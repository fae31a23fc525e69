package org.scratchimage.testing.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/** Reads at most {@code bytesPerSecond} on average: the proxy's slow link, which makes the client's upload slow. */
final class SlowInputStream extends FilterInputStream {
    private final long bytesPerSecond;
    private final long start = System.nanoTime();
    private long read;

    SlowInputStream(InputStream in, long bytesPerSecond) {
        super(in);
        this.bytesPerSecond = bytesPerSecond;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        // Small reads keep the pace even: at most a tenth of a second's worth at once.
        int n = super.read(buffer, offset, (int) Math.max(1, Math.min(length, bytesPerSecond / 10)));
        if (n > 0) {
            read += n;
            long due = start + read * 1_000_000_000L / bytesPerSecond;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while slowing an upload");
                }
            }
        }
        return n;
    }
}
