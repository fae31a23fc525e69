package org.scratchimage.core.image;

/**
 * A directory.
 *
 * @param path the path inside the image; {@code ""} for the root
 * @param mode permission bits
 * @param uid owner id
 * @param gid group id
 * @param origin the declaration, for error messages
 */
public record DirectoryEntry(String path, int mode, long uid, long gid, String origin) implements LayerEntry {}
