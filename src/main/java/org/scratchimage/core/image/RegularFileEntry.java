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
 */
public record RegularFileEntry(String path, Path source, long size, int mode, long uid, long gid, String origin)
        implements LayerEntry {}
