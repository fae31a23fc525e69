package org.scratchimage.core.tar;

import java.io.IOException;
import org.scratchimage.core.image.RegularFileEntry;

/** A host file changed size between planning and writing; the layer being written is discarded. */
public final class SourceChangedException extends IOException {
    private static final long serialVersionUID = 1L;

    SourceChangedException(RegularFileEntry file, long bytesRead) {
        super(file.source() + " changed while the layer was written: expected " + file.size() + " bytes, "
                + (bytesRead < 0 ? "found more" : "found " + bytesRead)
                + ". Nothing was written to the layout; build again once the file is stable (files under /proc and"
                + " /sys report sizes they do not hold: copy such a file to a regular one and declare that)");
    }
}
