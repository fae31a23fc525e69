package org.scratchimage.core;

import java.util.List;

/**
 * A {@code <directory>} as the user wrote it: an empty directory, or with a {@code source} a host tree
 * copied into the image. Values are unparsed strings; {@code null} means "not set". Make one with
 * {@link #builder()}.
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

    /** @return a builder with nothing set */
    public static Builder builder() {
        return new Builder();
    }

    /** Named setters for a {@link DirectorySpec}; what is not set stays {@code null}, or empty for the lists. */
    public static final class Builder {
        private String source;
        private String path;
        private String mode;
        private String uid;
        private String gid;
        private String fileMode;
        private String directoryMode;
        private List<String> includes;
        private List<String> excludes;
        private Boolean resolveLibraries;
        private String layer;

        private Builder() {}

        /** @param source host directory to copy; not set for an empty directory */
        public Builder source(String source) {
            this.source = source;
            return this;
        }

        /** @param path absolute path inside the image */
        public Builder path(String path) {
            this.path = path;
            return this;
        }

        /** @param mode octal permission bits of the directory at {@code path} */
        public Builder mode(String mode) {
            this.mode = mode;
            return this;
        }

        /** @param uid owner id of everything this declaration adds */
        public Builder uid(String uid) {
            this.uid = uid;
            return this;
        }

        /** @param gid group id of everything this declaration adds */
        public Builder gid(String gid) {
            this.gid = gid;
            return this;
        }

        /** @param fileMode mode of every copied file */
        public Builder fileMode(String fileMode) {
            this.fileMode = fileMode;
            return this;
        }

        /** @param directoryMode mode of every copied subdirectory */
        public Builder directoryMode(String directoryMode) {
            this.directoryMode = directoryMode;
            return this;
        }

        /** @param includes Ant-style patterns of the tree's paths to copy */
        public Builder includes(List<String> includes) {
            this.includes = includes;
            return this;
        }

        /** @param excludes Ant-style patterns of the tree's paths to leave out */
        public Builder excludes(List<String> excludes) {
            this.excludes = excludes;
            return this;
        }

        /** @param resolveLibraries whether the tree's ELF files get their interpreters and shared libraries */
        public Builder resolveLibraries(Boolean resolveLibraries) {
            this.resolveLibraries = resolveLibraries;
            return this;
        }

        /** @param layer the layer the directory and its tree go to */
        public Builder layer(String layer) {
            this.layer = layer;
            return this;
        }

        /** @return the directory */
        public DirectorySpec build() {
            return new DirectorySpec(source, path, mode, uid, gid, fileMode, directoryMode, includes, excludes,
                    resolveLibraries, layer);
        }
    }
}
