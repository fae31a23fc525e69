package org.scratchimage.core.packages;

import java.nio.file.Path;

/**
 * A file the package metadata adds to the image: made by the build ({@code content}), or copied from the sysroot
 * ({@code source}), never both.
 *
 * @param path the path inside the image, relative, such as {@code var/lib/dpkg/status.d/libc6}
 * @param content the bytes, or {@code null} for a copy
 * @param source the sysroot's file, every link in its path already resolved inside the sysroot, or {@code null}
 * @param origin what it is, for error messages, such as {@code the dpkg status of libc6}
 */
public record MetadataFile(String path, byte[] content, Path source, String origin) {}
