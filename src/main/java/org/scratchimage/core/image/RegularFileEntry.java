package org.scratchimage.core.image;

import java.nio.file.Path;

/**
 * A regular file copied from the host.
 *
 * @param path the path inside the image
 * @param source the host file, already resolved; read once, when the layer is written
 * @param size the size seen when the build was planned; the writer fails if the file changed since
 * @param mode permission bits
 * @param uid owner id
 * @param gid group id
 * @param origin the declaration, for error messages
 * @param followLinks whether {@code source} may be a symbolic link to follow: true for a declared {@code <binary>}
 *     or {@code <file>}, false for a file found in a copied tree, which must not turn into a link to elsewhere
 *     between planning and writing
 * @param stamp what the stat of {@code source} said when the build was planned, or {@code null} if it was not
 *     taken; the up-to-date check uses it instead of a second stat
 */
public record RegularFileEntry(String path, Path source, long size, int mode, long uid, long gid, String origin,
        boolean followLinks, FileStamp stamp) implements LayerEntry {

    /** A file without a recorded stamp. */
    public RegularFileEntry(String path, Path source, long size, int mode, long uid, long gid, String origin,
            boolean followLinks) {
        this(path, source, size, mode, uid, gid, origin, followLinks, null);
    }

    /** A file whose source may be a link, as for {@code <binary>} and {@code <file>}. */
    public RegularFileEntry(String path, Path source, long size, int mode, long uid, long gid, String origin) {
        this(path, source, size, mode, uid, gid, origin, true);
    }
}
