package org.scratchimage.maven;

/**
 * A {@code <file>}: a non-executable file copied from the host into the image, mode 0644 unless set.
 *
 * @since 0.1.0
 */
public class ImageFile {
    /** Host path; relative paths resolve against the project base directory. A host symlink is copied as its content. */
    String source;
    /** Absolute path inside the image. */
    String path;
    /** Octal permission bits, such as {@code 640}; default {@code 0644}. */
    String mode;
    /** Numeric owner id; default {@code 0}. */
    String uid;
    /** Numeric group id; default {@code 0}. */
    String gid;
    /**
     * The layer this file goes to; default {@code app}. Lowercase letters and digits joined by '.', '_' or '-'.
     *
     * @since 0.1.0
     */
    String layer;
}
