package org.scratchimage.core;

/**
 * A {@code <binary>} as the user wrote it: an executable copied from the host. Values are unparsed strings
 * so that validation can quote them; {@code null} means "not set". Make one with {@link #builder()}.
 *
 * @param source host path, relative ones resolve against the project base directory
 * @param path absolute path inside the image
 * @param mode octal permission bits, default 0755
 * @param uid owner id, default 0
 * @param gid group id, default 0
 * @param resolveLibraries whether an ELF program gets its interpreter and shared libraries; {@code null} means yes
 * @param layer the name of the layer it goes to; {@code null} means {@code app}
 */
public record BinarySpec(String source, String path, String mode, String uid, String gid, Boolean resolveLibraries,
        String layer) {

    /** @return a builder with nothing set */
    public static Builder builder() {
        return new Builder();
    }

    /** Named setters for a {@link BinarySpec}; what is not set stays {@code null}. */
    public static final class Builder {
        private String source;
        private String path;
        private String mode;
        private String uid;
        private String gid;
        private Boolean resolveLibraries;
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

        /** @param resolveLibraries whether an ELF program gets its interpreter and shared libraries */
        public Builder resolveLibraries(Boolean resolveLibraries) {
            this.resolveLibraries = resolveLibraries;
            return this;
        }

        /** @param layer the layer it goes to */
        public Builder layer(String layer) {
            this.layer = layer;
            return this;
        }

        /** @return the binary */
        public BinarySpec build() {
            return new BinarySpec(source, path, mode, uid, gid, resolveLibraries, layer);
        }
    }
}
