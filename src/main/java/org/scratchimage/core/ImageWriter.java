package org.scratchimage.core;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scratchimage.core.image.FileDigest;
import org.scratchimage.core.image.ImageLayer;
import org.scratchimage.core.image.ImagePlan;
import org.scratchimage.core.image.Platform;
import org.scratchimage.core.oci.Descriptor;
import org.scratchimage.core.oci.MediaTypes;
import org.scratchimage.core.oci.OciJson;
import org.scratchimage.core.oci.OciLayout;

/**
 * Writes the images of a build into one transaction of the layout and commits it: for each image, bottom first, each
 * layer taken from the last build or from an earlier image of this one when its fingerprint matches, else streamed
 * through {@link LayerWriter}; then its config, its manifest and its SBOM referrer; then, with {@code <platforms>},
 * the image index; last {@code index.json}, whose rename is the commit.
 *
 * <p>A layer of the same inputs on several platforms (the application's jar, a config file) has one fingerprint:
 * it is written once and every later platform takes its blob.
 */
final class ImageWriter {
    private final BuildPlan plan;
    private final List<Fingerprints> fingerprints;
    private final Map<String, BuildResult.Layer> reusable;
    private final List<LayerReasons> reasons;
    private final List<ImageSbom> sboms;
    private final BuildListener listener;
    /** The layers of this build so far, by fingerprint, with the platform that first had each. */
    private final Map<String, Taken> taken = new HashMap<>();
    /** With an SBOM, the checksums of the files of every layer of this build, by diff_id. */
    private final Map<String, List<FileDigest>> files = new LinkedHashMap<>();
    /** The checksums the last build recorded, read only to reuse one of its layers. */
    private Map<String, List<FileDigest>> recorded;

    private record Taken(BuildResult.Layer layer, Platform platform) {}

    /**
     * A build's result.
     *
     * @param result what was written
     * @param files with an SBOM, the checksums of each layer's files by diff_id, else {@code null}
     * @param documents with an SBOM, each image's document, else {@code null}
     */
    record Written(BuildResult result, Map<String, List<FileDigest>> files, List<byte[]> documents) {}

    /**
     * @param fingerprints each image's, in the order of {@code plan.images()}
     * @param reusable the layers the last build recorded, by fingerprint
     * @param reasons why each image's layers are written, in the same order
     * @param sboms each image's SBOM, in the same order, or {@code null} for none
     */
    private ImageWriter(BuildPlan plan, List<Fingerprints> fingerprints, Map<String, BuildResult.Layer> reusable,
            List<LayerReasons> reasons, List<ImageSbom> sboms, BuildListener listener) {
        this.plan = plan;
        this.fingerprints = fingerprints;
        this.reusable = reusable;
        this.reasons = reasons;
        this.sboms = sboms;
        this.listener = listener;
    }

    static Written write(BuildPlan plan, List<Fingerprints> fingerprints, Map<String, BuildResult.Layer> reusable,
            List<LayerReasons> reasons, OciLayout layout, List<ImageSbom> sboms, BuildListener listener)
            throws IOException {
        return new ImageWriter(plan, fingerprints, reusable, reasons, sboms, listener).write(layout);
    }

    private Written write(OciLayout layout) throws IOException {
        try (OciLayout.Transaction transaction = layout.begin()) {
            List<BuildResult.Image> images = new ArrayList<>();
            List<Descriptor> manifests = new ArrayList<>();
            List<Descriptor> referrers = new ArrayList<>();
            List<byte[]> documents = new ArrayList<>();
            for (int k = 0; k < plan.images().size(); k++) {
                ImagePlan image = plan.images().get(k);
                List<BuildResult.Layer> layers = new ArrayList<>();
                List<Descriptor> descriptors = new ArrayList<>();
                for (int i = 0; i < image.layers().size(); i++) {
                    BuildResult.Layer layer = layer(transaction, layout.directory(), k, i);
                    layers.add(layer);
                    descriptors.add(new Descriptor(image.compression().mediaType(), layer.digest(), layer.size()));
                }
                Descriptor config = transaction.addBlob(OciJson.config(image.platform(), image.created(),
                        image.config(), layers.stream().map(BuildResult.Layer::diffId).toList(),
                        layers.stream().map(BuildResult.Layer::name).toList(),
                        OciLayout.CREATED_BY_PREFIX + ImageBuilder.VERSION), MediaTypes.CONFIG);
                Descriptor manifest = transaction.addBlob(
                        OciJson.manifest(config, descriptors, image.created(), image.annotations()),
                        MediaTypes.MANIFEST);
                listener.debug("Config " + config.digest() + platformOf(image));
                BuildResult.Sbom sbom = null;
                if (sboms != null) {
                    // Each diff_id once, in layer order: a layer twice in an image lists its files once.
                    Map<String, List<FileDigest>> ofImage = new LinkedHashMap<>();
                    for (BuildResult.Layer layer : layers) {
                        ofImage.putIfAbsent(layer.diffId(), files.get(layer.diffId()));
                    }
                    List<FileDigest> all = new ArrayList<>();
                    ofImage.values().forEach(all::addAll);
                    ImageSbom.Written document = sboms.get(k).addTo(transaction, image, manifest, all,
                            "scratch-maven-plugin-" + ImageBuilder.VERSION);
                    referrers.add(document.referrer());
                    documents.add(document.bytes());
                    sbom = document.result(sboms.get(k).file());
                }
                manifests.add(manifest);
                images.add(new BuildResult.Image(image, manifest.digest(), manifest.size(), config.digest(),
                        config.size(), layers, sbom));
            }
            ImagePlan first = plan.first();
            BuildResult.Index index = null;
            if (plan.indexed()) {
                Descriptor imageIndex = transaction.addBlob(OciJson.imageIndex(manifests,
                        plan.images().stream().map(ImagePlan::platform).toList(), first.created(),
                        first.annotations()), MediaTypes.INDEX);
                index = new BuildResult.Index(imageIndex.digest(), imageIndex.size());
                transaction.commit(OciJson.index(imageIndex, null, first.image(), first.tags(), referrers,
                        MediaTypes.SPDX_JSON));
            } else {
                transaction.commit(OciJson.index(manifests.get(0), first.platform(), first.image(), first.tags(),
                        referrers, MediaTypes.SPDX_JSON));
            }
            return new Written(new BuildResult(layout.directory(), images, index, false, null),
                    sboms == null ? null : files, sboms == null ? null : documents);
        }
    }

    /** Takes layer {@code i} of image {@code k} from this build, or from the last one, or writes it. */
    private BuildResult.Layer layer(OciLayout.Transaction transaction, Path directory, int k, int i)
            throws IOException {
        ImagePlan image = plan.images().get(k);
        ImageLayer layer = image.layers().get(i);
        String fingerprint = fingerprints.get(k).layers().get(i);
        String mediaType = image.compression().mediaType();
        Taken same = taken.get(fingerprint);
        if (same != null) {
            BuildResult.Layer earlier = same.layer();
            BuildResult.Layer result = new BuildResult.Layer(layer.name(), earlier.digest(), earlier.size(),
                    earlier.diffId(), earlier.entries(), true);
            report(result, image, "the same as " + same.platform() + "'s");
            return result;
        }
        BuildResult.Layer previous = reusable.get(fingerprint);
        boolean unrecorded = false;
        if (previous != null && sboms != null) {
            recorded = recorded != null ? recorded : LayerFiles.read(directory);
            // Its files' checksums come from the record, never from its files: without them it is written.
            unrecorded = !recorded.containsKey(previous.diffId());
            previous = unrecorded ? null : previous;
        }
        Descriptor descriptor = previous == null
                ? null
                : transaction.reuseBlob(previous.digest(), previous.size(), mediaType);
        BuildResult.Layer result;
        if (descriptor != null) {
            result = new BuildResult.Layer(layer.name(), previous.digest(), previous.size(), previous.diffId(),
                    previous.entries(), true);
            if (sboms != null) {
                files.put(previous.diffId(), recorded.get(previous.diffId()));
            }
            report(result, image, "reused");
        } else {
            Path file = transaction.newStagingFile();
            LayerWriter.Layer written;
            try (OutputStream out = OciLayout.output(file)) {
                written = LayerWriter.write(layer.entries(), image.created().getEpochSecond(), image.compression(),
                        image.compressionLevel(), sboms != null, out);
            }
            transaction.addBlob(file, written.digest(), written.size(), mediaType);
            result = new BuildResult.Layer(layer.name(), written.digest(), written.size(), written.diffId(),
                    written.entries(), false);
            if (sboms != null) {
                files.put(written.diffId(), written.files());
            }
            report(result, image, "written (" + (unrecorded ? "the SBOM lists its files, whose checksums the"
                    + " previous build did not record" : reasons.get(k).why(i, fingerprint)) + ")");
        }
        taken.put(fingerprint, new Taken(result, image.platform()));
        return result;
    }

    private void report(BuildResult.Layer layer, ImagePlan image, String how) {
        listener.info(String.format(Locale.ROOT, "Layer %s%s: %d entries, %s, %s, %s", layer.name(), platformOf(image),
                layer.entries(), Sizes.human(layer.size()), layer.digest(), how));
        listener.debug("Layer " + layer.name() + platformOf(image) + " diff_id " + layer.diffId());
    }

    /** @return {@code " (linux/arm64)"} in a multi-platform build, else nothing */
    private String platformOf(ImagePlan image) {
        return plan.indexed() ? " (" + image.platform() + ")" : "";
    }
}
