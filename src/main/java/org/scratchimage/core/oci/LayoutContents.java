package org.scratchimage.core.oci;

import java.nio.file.Path;
import java.util.List;

/**
 * A layout as read.
 *
 * @param directory the layout folder, absolute
 * @param entries its images and image indexes, one per distinct digest, in the order of {@code index.json}
 * @param referrers the referrers it lists, in the order of {@code index.json}; always empty from
 *     {@link LayoutReader#readImages}
 */
public record LayoutContents(Path directory, List<LayoutEntry> entries, List<LayoutReferrer> referrers) {

    public LayoutContents {
        entries = List.copyOf(entries);
        referrers = List.copyOf(referrers);
    }

    /** @return the images {@code index.json} lists itself, not those of an image index */
    public List<LayoutImage> images() {
        return entries.stream().filter(LayoutImage.class::isInstance).map(LayoutImage.class::cast).toList();
    }

    /** @return the image indexes {@code index.json} lists */
    public List<LayoutIndex> indexes() {
        return entries.stream().filter(LayoutIndex.class::isInstance).map(LayoutIndex.class::cast).toList();
    }

    /** @return the referrers whose subject is {@code image} */
    public List<LayoutReferrer> referrersOf(LayoutImage image) {
        return referrers.stream().filter(r -> r.subject().digest().equals(image.manifest().digest())).toList();
    }

    /** @return the file of a blob the layout holds */
    public Path blob(Descriptor descriptor) {
        return directory.resolve("blobs").resolve("sha256").resolve(descriptor.hex());
    }
}
