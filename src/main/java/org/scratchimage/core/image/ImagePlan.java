package org.scratchimage.core.image;

import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import org.scratchimage.core.packages.PackageMetadata;

/**
 * A validated image, ready to be written.
 *
 * @param image the image name
 * @param tags the tags, in declared order, without duplicates
 * @param platform the platform
 * @param created the build timestamp, in whole seconds: every mtime, {@code created} and the
 *     {@code org.opencontainers.image.created} annotation
 * @param compression the compression of every layer
 * @param compressionLevel the level of {@code compression}, within its range
 * @param entries every entry of the image in tar order: the root first, then sorted by the UTF-8 bytes of their paths
 * @param layers the layers, bottom first, none empty; together they hold exactly {@code entries}
 * @param config the runtime configuration
 * @param annotations the user's manifest annotations, sorted
 * @param packages the Debian packages that own files of the image, {@link PackageMetadata#NONE} when
 *     {@code <packageMetadata>} is off or none was found
 */
public record ImagePlan(
        String image,
        List<String> tags,
        Platform platform,
        Instant created,
        Compression compression,
        int compressionLevel,
        List<LayerEntry> entries,
        List<ImageLayer> layers,
        ContainerConfig config,
        SortedMap<String, String> annotations,
        PackageMetadata packages) {

    public ImagePlan {
        tags = List.copyOf(tags);
        entries = List.copyOf(entries);
        layers = List.copyOf(layers);
        packages = packages == null ? PackageMetadata.NONE : packages;
    }

    /** An image without package information. */
    public ImagePlan(String image, List<String> tags, Platform platform, Instant created, Compression compression,
            int compressionLevel, List<LayerEntry> entries, List<ImageLayer> layers, ContainerConfig config,
            SortedMap<String, String> annotations) {
        this(image, tags, platform, created, compression, compressionLevel, entries, layers, config, annotations,
                PackageMetadata.NONE);
    }
}
