package org.scratchimage.maven;

import java.util.List;

/**
 * A {@code <directory>}: without {@code <source>} an empty directory; with one, a host tree copied into the
 * image. Symbolic links inside the tree are kept as links and never followed.
 *
 * @since 0.1.0
 */
public class ImageDirectory {
    /** Host directory to copy; relative paths resolve against the project base directory. */
    String source;
    /** Absolute path inside the image; {@code /} copies the tree into the root. */
    String path;
    /** Octal permission bits of the directory at {@code path}; default {@code 0755}. */
    String mode;
    /** Numeric owner id of everything this directory adds; default {@code 0}. */
    String uid;
    /** Numeric group id of everything this directory adds; default {@code 0}. */
    String gid;
    /** Mode of every copied file; default {@code 0755} where the host file is executable by its owner, else {@code 0644}. */
    String fileMode;
    /** Mode of every copied subdirectory; default {@code 0755}. */
    String directoryMode;
    /** Ant-style patterns, relative to {@code source}, of what to copy; default {@code **}. */
    List<String> includes;
    /** Ant-style patterns, relative to {@code source}, of what to leave out. */
    List<String> excludes;
    /**
     * Whether every ELF file of the tree gets its interpreter and shared libraries: {@code true} (the default) or
     * {@code false}, in any case. Any other value fails the build.
     *
     * @since 0.1.0
     */
    String resolveLibraries;
    /**
     * The layer this directory, with its whole copied tree, goes to; default {@code app}. Lowercase letters and digits joined by '.', '_' or '-'.
     *
     * @since 0.1.0
     */
    String layer;
}
