package org.scratchimage.core;

import java.util.List;

/**
 * A {@code <directory>} as the user wrote it: an empty directory, or with a {@code source} a host tree
 * copied into the image. Values are unparsed strings; {@code null} means "not set".
 *
 * @param source host directory to copy, or {@code null} for an empty directory
 * @param path absolute path inside the image
 * @param mode octal permission bits of the directory at {@code path}, default 0755
 * @param uid owner id of everything this declaration adds, default 0
 * @param gid group id of everything this declaration adds, default 0
 * @param fileMode mode of every copied file; default 0755 where the host file is executable by its owner, else 0644
 * @param directoryMode mode of every copied subdirectory, default 0755
 * @param includes Ant-style patterns of the tree's paths to copy; empty means {@code **}
 * @param excludes Ant-style patterns of the tree's paths to leave out
 * @param resolveLibraries whether the tree's ELF files get their interpreters and shared libraries; {@code null}
 *     means yes
 * @param layer the name of the layer the directory and its tree go to; {@code null} means {@code app}
 */
public record DirectorySpec(
        String source,
        String path,
        String mode,
        String uid,
        String gid,
        String fileMode,
        String directoryMode,
        List<String> includes,
        List<String> excludes,
        Boolean resolveLibraries,
        String layer) {

    public DirectorySpec {
        includes = Copies.list(includes);
        excludes = Copies.list(excludes);
    }

    /** A directory in the default layer. */
    public DirectorySpec(String source, String path, String mode, String uid, String gid, String fileMode,
            String directoryMode, List<String> includes, List<String> excludes, Boolean resolveLibraries) {
        this(source, path, mode, uid, gid, fileMode, directoryMode, includes, excludes, resolveLibraries, null);
    }

    /** A directory in the default layer whose ELF files' libraries are resolved. */
    public DirectorySpec(String source, String path, String mode, String uid, String gid, String fileMode,
            String directoryMode, List<String> includes, List<String> excludes) {
        this(source, path, mode, uid, gid, fileMode, directoryMode, includes, excludes, null, null);
    }
}
