package org.scratchimage.core.image;

/**
 * One validated entry of the image, in one of its layers. Paths are relative to the image root, without a
 * leading or trailing slash; the root itself is the empty string.
 */
public sealed interface LayerEntry permits RegularFileEntry, GeneratedFileEntry, DirectoryEntry, SymlinkEntry {

    /** @return the path inside the image, relative, without a trailing slash; {@code ""} for the root */
    String path();

    /** @return the permission bits, including setuid, setgid and sticky, never file type bits */
    int mode();

    /** @return the owner id */
    long uid();

    /** @return the group id */
    long gid();

    /** @return the declaration that produced this entry, for error messages */
    String origin();
}
