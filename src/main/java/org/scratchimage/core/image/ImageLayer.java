package org.scratchimage.core.image;

import java.util.List;

/**
 * One layer of the image: the entries declared into it, with the root and every parent directory they need, so
 * that the layer unpacks on its own and applying the layers in order gives the whole image.
 *
 * @param name the layer's name, such as {@code app} or {@code libraries}
 * @param entries the layer's entries in tar order
 */
public record ImageLayer(String name, List<LayerEntry> entries) {

    public ImageLayer {
        entries = List.copyOf(entries);
    }
}
