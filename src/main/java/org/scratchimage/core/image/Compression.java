package org.scratchimage.core.image;

/** How the layer blobs are compressed. */
public enum Compression {
    /** Deterministic gzip: fixed header, raw deflate in parallel blocks, CRC32 and size trailer. Levels 1 to 9. */
    GZIP("application/vnd.oci.image.layer.v1.tar+gzip", 6, 1, 9),
    /** Zstandard, multi-threaded with output independent of the thread count. Levels 1 to 19. */
    ZSTD("application/vnd.oci.image.layer.v1.tar+zstd", 3, 1, 19),
    /** The plain tar. */
    NONE("application/vnd.oci.image.layer.v1.tar", 0, 0, 0);

    private final String mediaType;
    private final int defaultLevel;
    private final int minLevel;
    private final int maxLevel;

    Compression(String mediaType, int defaultLevel, int minLevel, int maxLevel) {
        this.mediaType = mediaType;
        this.defaultLevel = defaultLevel;
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
    }

    /** @return the level used when none is configured */
    public int defaultLevel() {
        return defaultLevel;
    }

    /** @return the lowest level accepted */
    public int minLevel() {
        return minLevel;
    }

    /** @return the highest level accepted */
    public int maxLevel() {
        return maxLevel;
    }

    /** @return the OCI media type of a layer compressed this way */
    public String mediaType() {
        return mediaType;
    }
}
