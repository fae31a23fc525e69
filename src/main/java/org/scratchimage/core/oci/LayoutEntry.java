package org.scratchimage.core.oci;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code index.json} lists under names: one image, or the image index of a multi-platform image. The
 * registry takes both at its {@code /manifests/} endpoint, so both are a manifest here.
 */
public sealed interface LayoutEntry permits LayoutImage, LayoutIndex {
    /** @return the descriptor of the image manifest or image index */
    Descriptor manifest();

    /** @return its bytes exactly as stored, whose digest is {@code manifest().digest()} */
    byte[] manifestBytes();

    /** @return its {@code io.containerd.image.name} annotations ({@code image:tag}), in the index's order */
    List<String> names();

    /** @return the images it holds: an image itself, or each platform's image of an index, in its order */
    List<LayoutImage> images();

    /** @return the configs and layers of its images, each once, in the order of {@link #images()} */
    default List<Descriptor> blobs() {
        Map<String, Descriptor> blobs = new LinkedHashMap<>();
        for (LayoutImage image : images()) {
            blobs.putIfAbsent(image.config().digest(), image.config());
            for (Descriptor layer : image.layers()) {
                blobs.putIfAbsent(layer.digest(), layer);
            }
        }
        return List.copyOf(blobs.values());
    }
}
