package org.scratchimage.core;

/**
 * A {@code <symlink>} as the user wrote it. Make one with {@link #builder()}.
 *
 * @param path absolute path of the link inside the image
 * @param target the link's destination, stored exactly as written (relative or absolute)
 * @param layer the name of the layer it goes to; {@code null} means {@code app}
 */
public record SymlinkSpec(String path, String target, String layer) {

    /** @return a builder with nothing set */
    public static Builder builder() {
        return new Builder();
    }

    /** Named setters for a {@link SymlinkSpec}; what is not set stays {@code null}. */
    public static final class Builder {
        private String path;
        private String target;
        private String layer;

        private Builder() {}

        /** @param path absolute path of the link inside the image */
        public Builder path(String path) {
            this.path = path;
            return this;
        }

        /** @param target the link's destination, as written */
        public Builder target(String target) {
            this.target = target;
            return this;
        }

        /** @param layer the layer it goes to */
        public Builder layer(String layer) {
            this.layer = layer;
            return this;
        }

        /** @return the symlink */
        public SymlinkSpec build() {
            return new SymlinkSpec(path, target, layer);
        }
    }
}
