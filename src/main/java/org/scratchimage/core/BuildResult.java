package org.scratchimage.core;

import java.nio.file.Path;
import java.util.List;
import org.scratchimage.core.image.ImagePlan;

/**
 * What a build wrote: one image, or one per platform of {@code <platforms>} under an image index.
 *
 * @param layout the layout directory
 * @param images the image, or the images in the order of {@code <platforms>}
 * @param index the image index the tags name, or {@code null} for a single-platform build, whose tags name the
 *     manifest
 * @param upToDate whether the layout on disk already was this build, so nothing was written to it
 * @param archive the archive of the layout, written or found up to date, or {@code null} if none was asked for
 */
public record BuildResult(Path layout, List<Image> images, Index index, boolean upToDate, Path archive) {

    public BuildResult {
        images = List.copyOf(images);
        if (images.isEmpty() || (index == null && images.size() != 1)) {
            throw new IllegalArgumentException(images.size() + " images, " + (index == null ? "no" : "an") + " index");
        }
    }

    /**
     * One image of the build.
     *
     * @param plan the validated image; for a build found up to date by the inputs of the last one
     *     ({@code .<name>.scratch-inputs}), nothing is planned and the plan holds only the image's name, tags,
     *     platform, time and compression, without entries, layers, config or packages
     * @param manifestDigest the digest of the image manifest: the image's identity
     * @param manifestSize its size
     * @param configDigest the digest of the image configuration
     * @param configSize its size
     * @param layers the layers, bottom first, as in the manifest
     * @param sbom the image's SBOM, or {@code null} if none was asked for
     */
    public record Image(ImagePlan plan, String manifestDigest, long manifestSize, String configDigest, long configSize,
            List<Layer> layers, Sbom sbom) {
        public Image {
            layers = List.copyOf(layers);
        }

        /** @return the number of entries of all layers */
        public long entries() {
            return layers.stream().mapToLong(Layer::entries).sum();
        }

        /** @return the size of all layer blobs */
        public long layersSize() {
            return layers.stream().mapToLong(Layer::size).sum();
        }
    }

    /**
     * The image index of a multi-platform build.
     *
     * @param digest its digest, which the tags name
     * @param size its size
     */
    public record Index(String digest, long size) {}

    /**
     * The SBOM of an image: a file, and a referrer in the layout whose one layer holds the same bytes.
     *
     * @param file the SPDX JSON document, {@code ${project.build.directory}/${project.build.finalName}-sbom.spdx.json}
     *     (in a multi-platform build, with the platform before {@code .spdx.json})
     * @param digest the digest of its bytes, which is also the referrer's layer
     * @param size their size
     * @param referrer the referrer manifest in the layout
     * @param referrerSize its size
     */
    public record Sbom(Path file, String digest, long size, String referrer, long referrerSize) {}

    /**
     * One layer of an image.
     *
     * @param name the layer's name
     * @param digest the digest of the blob as stored
     * @param size the size of the blob as stored
     * @param diffId the sha256 of the uncompressed tar
     * @param entries the number of tar entries
     * @param reused whether the blob was taken from the previous layout, or from another platform of this build,
     *     instead of being written again
     */
    public record Layer(String name, String digest, long size, String diffId, long entries, boolean reused) {}

    /** @return this result with {@code archive} */
    public BuildResult withArchive(Path archive) {
        return new BuildResult(layout, images, index, upToDate, archive);
    }

    /** @return the digest the tags name: the image index's, else the manifest's */
    public String digest() {
        return index != null ? index.digest() : manifestDigest();
    }

    /** @return the first image: the only one of a single-platform build */
    public Image image() {
        return images.get(0);
    }

    /** @return the plan of the first image, whose name, tags, time and compression every image shares */
    public ImagePlan plan() {
        return image().plan();
    }

    /** @return the manifest digest of the first image */
    public String manifestDigest() {
        return image().manifestDigest();
    }

    /** @return the config digest of the first image */
    public String configDigest() {
        return image().configDigest();
    }

    /** @return the layers of the first image */
    public List<Layer> layers() {
        return image().layers();
    }

    /** @return the SBOM of the first image, or {@code null} */
    public Sbom sbom() {
        return image().sbom();
    }

    /** @return the number of entries of all layers of the first image */
    public long entries() {
        return image().entries();
    }

    /** @return the size of all layer blobs of the first image */
    public long layersSize() {
        return image().layersSize();
    }

    /** @return the digest of the blob of a single-layer image */
    public String layerDigest() {
        return only().digest();
    }

    /** @return the size of the blob of a single-layer image */
    public long layerSize() {
        return only().size();
    }

    /** @return the diff_id of a single-layer image */
    public String diffId() {
        return only().diffId();
    }

    private Layer only() {
        if (layers().size() != 1) {
            throw new IllegalStateException("the image has " + layers().size() + " layers, not one");
        }
        return layers().get(0);
    }
}
