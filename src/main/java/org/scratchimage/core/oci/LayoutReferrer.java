package org.scratchimage.core.oci;

import java.util.List;

/**
 * An artifact about an image of the layout, such as its SBOM: a manifest with a {@code subject}.
 *
 * @param manifest the manifest's descriptor
 * @param manifestBytes the manifest exactly as stored
 * @param artifactType its {@code artifactType}, or the empty string if it has none
 * @param subject the image manifest it refers to, one of the layout's images
 * @param blobs its config, then its layers, each once
 */
public record LayoutReferrer(Descriptor manifest, byte[] manifestBytes, String artifactType, Descriptor subject,
        List<Descriptor> blobs) {

    public LayoutReferrer {
        blobs = List.copyOf(blobs);
    }
}
