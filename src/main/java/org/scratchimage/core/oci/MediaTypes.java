package org.scratchimage.core.oci;

/** The OCI media types this plugin writes. */
public final class MediaTypes {
    public static final String INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String CONFIG = "application/vnd.oci.image.config.v1+json";

    private MediaTypes() {}
}
