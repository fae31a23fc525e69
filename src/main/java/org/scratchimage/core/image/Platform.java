package org.scratchimage.core.image;

/**
 * An OCI platform, with Go's GOOS and GOARCH names.
 *
 * @param os e.g. {@code linux}
 * @param architecture e.g. {@code amd64}
 * @param variant e.g. {@code v7}, or {@code null}
 */
public record Platform(String os, String architecture, String variant) {

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
