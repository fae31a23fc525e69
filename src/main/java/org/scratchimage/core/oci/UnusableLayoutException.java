package org.scratchimage.core.oci;

import java.nio.file.Path;

/**
 * A layout that cannot be pushed: there is none, or it is damaged (a blob missing, of the wrong size, or whose bytes
 * do not match its digest). The user fixes it by building the image (again).
 */
public final class UnusableLayoutException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Path directory;
    private final String problem;
    private final String fix;

    UnusableLayoutException(Path directory, String problem, String fix) {
        super(problem + ". Fix: " + fix);
        this.directory = directory;
        this.problem = problem;
        this.fix = fix;
    }

    /** @return the layout folder */
    public Path directory() {
        return directory;
    }

    /** @return what is wrong, naming the folder, without the fix */
    public String problem() {
        return problem;
    }

    /** @return what the user should do */
    public String fix() {
        return fix;
    }
}
