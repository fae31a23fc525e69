package org.scratchimage.core.image;

/**
 * A regular file whose content the build made, such as a package's {@code var/lib/dpkg/status.d/<package>}; small,
 * held in memory, and fingerprinted by its content.
 *
 * @param path the path inside the image
 * @param content the file's bytes; not copied, never modified
 * @param mode permission bits
 * @param uid owner id
 * @param gid group id
 * @param origin what made it, for error messages
 */
public record GeneratedFileEntry(String path, byte[] content, int mode, long uid, long gid, String origin)
        implements LayerEntry {

    /** @return the size of the content in bytes */
    public long size() {
        return content.length;
    }
}
