package org.scratchimage.core.oci;

import java.util.List;

/**
 * The image index of a multi-platform image and the names it is listed under.
 *
 * @param manifest the index's descriptor
 * @param manifestBytes the index exactly as stored, whose digest is {@code manifest.digest()}
 * @param images each platform's image, in the index's order, each with the platform the index gives and no
 *     names
 * @param names its {@code io.containerd.image.name} annotations ({@code image:tag}), in the index's order
 */
public record LayoutIndex(Descriptor manifest, byte[] manifestBytes, List<LayoutImage> images, List<String> names)
        implements LayoutEntry {

    public LayoutIndex {
        images = List.copyOf(images);
        names = List.copyOf(names);
    }
}
