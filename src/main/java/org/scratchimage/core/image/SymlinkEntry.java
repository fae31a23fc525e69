package org.scratchimage.core.image;

/**
 * A symbolic link; its mode is always 0777, as on Linux.
 *
 * @param path the path of the link inside the image
 * @param target the destination, stored exactly as declared or as read from the host link
 * @param uid owner id
 * @param gid group id
 * @param origin the declaration, for error messages
 */
public record SymlinkEntry(String path, String target, long uid, long gid, String origin) implements LayerEntry {
    /** The mode Linux gives every symbolic link. */
    public static final int MODE = 0777;

    @Override
    public int mode() {
        return MODE;
    }
}
