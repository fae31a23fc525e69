package org.scratchimage.core.oci;

import java.util.List;
import org.scratchimage.core.image.Platform;

/**
 * One image of the layout: a manifest and the names it is listed under.
 *
 * @param manifest the manifest's descriptor
 * @param manifestBytes the manifest exactly as stored, whose digest is {@code manifest.digest()}
 * @param config the config's descriptor
 * @param layers the layers' descriptors, bottom first
 * @param platform the platform the index gives, or {@code null} if it gives none
 * @param names its {@code io.containerd.image.name} annotations ({@code image:tag}), in the index's order
 */
public record LayoutImage(Descriptor manifest, byte[] manifestBytes, Descriptor config, List<Descriptor> layers,
        Platform platform, List<String> names) implements LayoutEntry {

    public LayoutImage {
        layers = List.copyOf(layers);
        names = List.copyOf(names);
    }

    /** @return this image alone */
    @Override
    public List<LayoutImage> images() {
        return List.of(this);
    }
}
