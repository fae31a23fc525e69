package org.scratchimage.core;

/**
 * A {@code <file>} as the user wrote it: a regular, non-executable file copied from the host. Values are
 * unparsed strings; {@code null} means "not set". Make one with {@link #builder()}.
 *
 * @param source host path, relative ones resolve against the project base directory
 * @param path absolute path inside the image
 * @param mode octal permission bits, default 0644
 * @param uid owner id, default 0
 * @param gid group id, default 0
 * @param layer the name of the layer it goes to; {@code null} means {@code app}
 */
public record FileSpec(String source, String path, String mode, String uid, String gid, String layer) {

    /** @return a builder with nothing set */
    public static Builder builder() {
        return new Builder();
    }

    /** Named setters for a {@link FileSpec}; what is not set stays {@code null}. */
    public static final class Builder {
        private String source;
        private String path;
        private String mode;
        private String uid;
        private String gid;
        private String layer;

        private Builder() {}

        /** @param source host path, relative to the project base directory or absolute */
        public Builder source(String source) {
            this.source = source;
            return this;
        }

        /** @param path absolute path inside the image */
        public Builder path(String path) {
            this.path = path;
            return this;
        }

        /** @param mode octal permission bits */
        public Builder mode(String mode) {
            this.mode = mode;
            return this;
        }

        /** @param uid owner id */
        public Builder uid(String uid) {
            this.uid = uid;
            return this;
        }

        /** @param gid group id */
        public Builder gid(String gid) {
            this.gid = gid;
            return this;
        }

        /** @param layer the layer it goes to */
        public Builder layer(String layer) {
            this.layer = layer;
            return this;
        }

        /** @return the file */
        public FileSpec build() {
            return new FileSpec(source, path, mode, uid, gid, layer);
        }
    }
}
