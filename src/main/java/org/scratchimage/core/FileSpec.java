package org.scratchimage.core;

/**
 * A {@code <file>} as the user wrote it: a regular, non-executable file copied from the host. Values are
 * unparsed strings; {@code null} means "not set".
 *
 * @param source host path, relative ones resolve against the project base directory
 * @param path absolute path inside the image
 * @param mode octal permission bits, default 0644
 * @param uid owner id, default 0
 * @param gid group id, default 0
 * @param layer the name of the layer it goes to; {@code null} means {@code app}
 */
public record FileSpec(String source, String path, String mode, String uid, String gid, String layer) {

    /** A file in the default layer. */
    public FileSpec(String source, String path, String mode, String uid, String gid) {
        this(source, path, mode, uid, gid, null);
    }
}
