package org.scratchimage.core.compress;

import java.io.IOException;
import java.io.OutputStream;

/** A compressor whose stream can be completed without closing what it writes to. */
public abstract class CompressingStream extends OutputStream {

    /** Writes everything still pending and the format's end; the underlying stream stays open. */
    public abstract void finish() throws IOException;
}
