package org.scratchimage.core.oci;

/** The OCI media types this plugin writes. */
public final class MediaTypes {
    public static final String INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String CONFIG = "application/vnd.oci.image.config.v1+json";
    /** The config of an artifact that needs none, such as a referrer: the blob {@code {}}. */
    public static final String EMPTY = "application/vnd.oci.empty.v1+json";
    /** An SPDX document in JSON: the artifact type of the SBOM referrer, and the media type of its one layer. */
    public static final String SPDX_JSON = "application/spdx+json";

    /** The layer media types a runtime applies: a tar, plain, gzip- or zstd-compressed. */
    private static final String LAYER = "application/vnd.oci.image.layer.v1.tar";

    private MediaTypes() {}

    /** @return whether {@code mediaType} is an OCI image layer: {@code tar}, {@code tar+gzip} or {@code tar+zstd} */
    public static boolean isLayer(String mediaType) {
        return LAYER.equals(mediaType) || (LAYER + "+gzip").equals(mediaType) || (LAYER + "+zstd").equals(mediaType);
    }
}
