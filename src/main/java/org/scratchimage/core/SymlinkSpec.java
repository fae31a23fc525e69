package org.scratchimage.core;

/**
 * A {@code <symlink>} as the user wrote it.
 *
 * @param path absolute path of the link inside the image
 * @param target the link's destination, stored exactly as written (relative or absolute)
 */
public record SymlinkSpec(String path, String target) {}
