package org.scratchimage.core;

import java.nio.file.Path;
import java.util.List;
import org.scratchimage.core.image.ImagePlan;

/**
 * What a build wrote.
 *
 * @param plan the validated image
 * @param layout the layout directory
 * @param manifestDigest the digest of the image manifest: the image's identity
 * @param configDigest the digest of the image configuration
 * @param layers the layers, bottom first, as in the manifest
 * @param upToDate whether the layout on disk already was this image, so nothing was written to it
 * @param archive the archive of the image, written or found up to date, or {@code null} if none was asked for
 * @param sbom the image's SBOM, or {@code null} if none was asked for
 */
public record BuildResult(
        ImagePlan plan,
        Path layout,
        String manifestDigest,
        String configDigest,
        List<Layer> layers,
        boolean upToDate,
        Path archive,
        Sbom sbom) {

    public BuildResult {
        layers = List.copyOf(layers);
    }

    /** A result without an SBOM. */
    public BuildResult(ImagePlan plan, Path layout, String manifestDigest, String configDigest, List<Layer> layers,
            boolean upToDate, Path archive) {
        this(plan, layout, manifestDigest, configDigest, layers, upToDate, archive, null);
    }

    /**
     * The SBOM of the image: a file, and a referrer in the layout whose one layer holds the same bytes.
     *
     * @param file the SPDX JSON document, {@code ${project.build.directory}/${project.build.finalName}-sbom.spdx.json}
     * @param digest the digest of its bytes, which is also the referrer's layer
     * @param size their size
     * @param referrer the referrer manifest in the layout
     * @param referrerSize its size
     */
    public record Sbom(Path file, String digest, long size, String referrer, long referrerSize) {}

    /**
     * One layer of the image.
     *
     * @param name the layer's name
     * @param digest the digest of the blob as stored
     * @param size the size of the blob as stored
     * @param diffId the sha256 of the uncompressed tar
     * @param entries the number of tar entries
     * @param reused whether the blob was taken from the previous layout instead of being written again
     */
    public record Layer(String name, String digest, long size, String diffId, long entries, boolean reused) {}

    /** @return this result with {@code archive} */
    public BuildResult withArchive(Path archive) {
        return new BuildResult(plan, layout, manifestDigest, configDigest, layers, upToDate, archive, sbom);
    }

    /** @return the number of entries of all layers */
    public long entries() {
        return layers.stream().mapToLong(Layer::entries).sum();
    }

    /** @return the size of all layer blobs */
    public long layersSize() {
        return layers.stream().mapToLong(Layer::size).sum();
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
        if (layers.size() != 1) {
            throw new IllegalStateException("the image has " + layers.size() + " layers, not one");
        }
        return layers.get(0);
    }
}
