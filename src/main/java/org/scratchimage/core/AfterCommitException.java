package org.scratchimage.core;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writing a file after the layout was committed failed: the archive or a result file. The image in the layout is
 * complete and current; the next build writes the file again.
 */
public final class AfterCommitException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    AfterCommitException(Path file, IOException cause) {
        super(cause.getMessage(), cause);
        this.file = file;
    }

    /** @return the file that could not be written */
    public Path file() {
        return file;
    }
}
