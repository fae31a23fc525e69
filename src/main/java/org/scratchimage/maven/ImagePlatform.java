package org.scratchimage.maven;

/**
 * A {@code <platform>} of {@code <platforms>}: one image of a multi-platform build.
 *
 * @since 0.1.0
 */
public class ImagePlatform {
    /** The platform, {@code os/arch[/variant]} with Go's names, such as {@code linux/arm64}. */
    String name;
    /**
     * The platform's root file system, default {@code /}: absolute {@code <source>}s, shared libraries, the package
     * metadata and the CA bundle are found inside it, links never leading out of it. Relative sources are the
     * project's, the same for every platform.
     */
    String sysroot;
}
