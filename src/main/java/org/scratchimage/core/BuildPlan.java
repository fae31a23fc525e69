package org.scratchimage.core;

import java.util.List;
import org.scratchimage.core.image.ImagePlan;

/**
 * The validated images of one build.
 *
 * @param images one image, or one per platform of {@code <platforms>} in their order
 * @param indexed whether the tags name an image index of {@code images} ({@code <platforms>}) rather than the one
 *     image's manifest
 */
record BuildPlan(List<ImagePlan> images, boolean indexed) {
    BuildPlan {
        images = List.copyOf(images);
    }

    /** @return the first image, whose name, tags, time and settings every image shares */
    ImagePlan first() {
        return images.get(0);
    }
}
