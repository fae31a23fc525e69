package org.scratchimage.maven;

/**
 * A {@code <symlink>}: a symbolic link created in the image, owned by 0:0.
 *
 * @since 0.1.0
 */
public class ImageSymlink {
    /** Absolute path of the link inside the image. */
    String path;
    /** The link's destination, stored exactly as written: relative ({@code busybox}) or absolute ({@code /bin/busybox}). */
    String target;
    /**
     * The layer this link goes to; default {@code app}. Lowercase letters and digits joined by '.', '_' or '-'.
     *
     * @since 0.1.0
     */
    String layer;
}
