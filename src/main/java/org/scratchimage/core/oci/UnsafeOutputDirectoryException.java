package org.scratchimage.core.oci;

import java.nio.file.Path;

/** The output directory holds something this plugin did not write, so it refuses to touch it. */
public final class UnsafeOutputDirectoryException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Path directory;

    UnsafeOutputDirectoryException(Path directory, String problem) {
        super(problem);
        this.directory = directory;
    }

    /** @return the directory that was refused */
    public Path directory() {
        return directory;
    }
}
