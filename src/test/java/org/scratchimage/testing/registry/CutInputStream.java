package org.scratchimage.testing.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** A request body that fails after a number of bytes, so that the forwarded request breaks part-way. */
final class CutInputStream extends FilterInputStream {
    private long left;

    CutInputStream(InputStream in, long cutAfter) {
        super(in);
        this.left = cutAfter;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (left <= 0) {
            throw new IOException("fault: request body cut");
        }
        int read = super.read(buffer, offset, (int) Math.min(length, left));
        if (read > 0) {
            left -= read;
        }
        return read;
    }
}
