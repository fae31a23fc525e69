package org.scratchimage.core.image;

/** How the layer blob is compressed. */
public enum Compression {
    /** Deterministic gzip: fixed header, raw deflate, CRC32 and size trailer. */
    GZIP("application/vnd.oci.image.layer.v1.tar+gzip"),
    /** The plain tar. */
    NONE("application/vnd.oci.image.layer.v1.tar");

    private final String mediaType;

    Compression(String mediaType) {
        this.mediaType = mediaType;
    }

    /** @return the OCI media type of a layer compressed this way */
    public String mediaType() {
        return mediaType;
    }
}
