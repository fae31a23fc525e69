package org.scratchimage.maven;

/**
 * A {@code <binary>}: an executable copied from the host into the image, mode 0755 unless set.
 *
 * @since 0.1.0
 */
public class ImageBinary {
    /** Host path; relative paths resolve against the project base directory. A host symlink is copied as its content. */
    String source;
    /** Absolute path inside the image. */
    String path;
    /** Octal permission bits, such as {@code 755} or {@code 4755}; default {@code 0755}. */
    String mode;
    /** Numeric owner id; default {@code 0}. */
    String uid;
    /** Numeric group id; default {@code 0}. */
    String gid;
    /**
     * Whether a dynamically linked program gets its interpreter and shared libraries: {@code true} (the default) or
     * {@code false}, in any case. Any other value fails the build.
     *
     * @since 0.1.0
     */
    String resolveLibraries;
    /**
     * The layer this binary goes to; default {@code app}. Lowercase letters and digits joined by '.', '_' or '-'.
     *
     * @since 0.1.0
     */
    String layer;
}
