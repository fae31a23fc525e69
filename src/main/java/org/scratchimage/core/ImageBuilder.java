package org.scratchimage.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import org.scratchimage.core.archive.ArchiveResult;
import org.scratchimage.core.archive.ImageArchive;
import org.scratchimage.core.image.Compression;
import org.scratchimage.core.image.FileDigest;
import org.scratchimage.core.image.ImageLayer;
import org.scratchimage.core.image.ImagePlan;
import org.scratchimage.core.oci.Descriptor;
import org.scratchimage.core.oci.FolderKey;
import org.scratchimage.core.oci.LayoutLock;
import org.scratchimage.core.oci.MediaTypes;
import org.scratchimage.core.oci.OciJson;
import org.scratchimage.core.oci.OciLayout;
import org.scratchimage.core.oci.UnsafeOutputDirectoryException;

/**
 * Builds a from-scratch image into an OCI image layout: validates the whole request first, so that bad
 * input writes nothing, then streams the layers and commits the layout atomically.
 */
public final class ImageBuilder {
    /** This plugin's version, recorded in the image history. */
    public static final String VERSION = readVersion();

    private final BuildListener listener;

    /** @param listener receives the builder's decisions, results and warnings, one line each */
    public ImageBuilder(BuildListener listener) {
        this.listener = Objects.requireNonNull(listener);
    }

    /** @param debug receives every message of the build, one line each */
    public ImageBuilder(Consumer<String> debug) {
        this(BuildListener.of(Objects.requireNonNull(debug)));
    }

    /**
     * @throws InvalidConfigurationException for a mistake in the request, before anything is written
     * @throws IOException if reading a source or writing the layout fails; the previous layout is left intact
     */
    public BuildResult build(BuildRequest request) throws InvalidConfigurationException, IOException {
        // Before any source is stamped: a source changed later than this is too recent to be trusted by its stamp.
        long plannedAt = System.currentTimeMillis();
        ImagePlan plan = ImagePlanner.plan(request, listener);
        // One key for the lock, the state and the layout: out and alias -> out are one folder, built in turns.
        Path output = FolderKey.of(outputDirectory(request));
        Path archive = ArchiveTarget.of(request);
        ImageSbom sbom = ImageSbom.of(request, plan);
        Fingerprints fingerprints = Fingerprints.of(plan, VERSION, plannedAt);
        if (sbom != null) {
            fingerprints = fingerprints.withImageInput(sbom.fingerprint());
        }
        if (archive != null && plan.compression() == Compression.ZSTD) {
            listener.warn("The archive " + archive + " holds zstd layers (<compression>zstd</compression>), which"
                    + " Docker before 25 cannot load; Docker 25 and later, containerd, podman and skopeo can. Fix: set"
                    + " <compression>gzip</compression> if the archive must load on older Docker");
        }
        // Read-only and decided from what the last build recorded: only a layout it wrote can match.
        Optional<BuildState.Current> current = check(output, fingerprints, sbom);
        if (current.isPresent()) {
            BuildResult result = upToDate(plan, output, current.get(), archive, sbom);
            // Nothing to write at all: no lock, and nothing but a few small files read.
            if ((archive == null || current.get().holdsArchive(archive))
                    && (sbom == null || sbom.current(current.get().sbom().digest()))
                    && ResultFiles.current(request.resultDirectory(), result)) {
                if (archive != null) {
                    listener.info("Archive up to date: " + archive);
                }
                return result;
            }
        }
        // Refused before locking, so that no lock file is made beside a folder that is not ours.
        openLayout(output);
        try (LayoutLock lock = LayoutLock.acquire(output, listener::info)) {
            OciLayout layout = openLayout(output);
            if (current.isPresent()) {
                // Only the archive or the result files are behind: unless another build committed meanwhile.
                current = check(output, fingerprints, sbom);
            }
            BuildResult result;
            byte[] document = null;
            if (current.isPresent()) {
                result = upToDate(plan, output, current.get(), archive, sbom);
            } else {
                // Read under the lock: the layers another build recorded are only taken from the layout it committed.
                Map<String, BuildResult.Layer> reusable = BuildState.reusable(output);
                LayerReasons reasons = LayerReasons.of(output, plan, VERSION, request.baseDirectory());
                Written written = write(plan, fingerprints, reusable, reasons, layout, sbom);
                if (sbom != null) {
                    // Before the state that names the layers: a layer the state offers for reuse has its files here.
                    LayerFiles.write(output, written.files());
                }
                BuildState.record(output, fingerprints, reasons, written.result(), written.manifestSize(),
                        written.configSize());
                result = written.result().withArchive(archive);
                document = written.document();
            }
            if (sbom != null) {
                try {
                    if (document != null) {
                        sbom.write(document);
                    } else if (!sbom.current(result.sbom().digest())) {
                        sbom.restore(output, result.sbom().digest());
                    }
                } catch (IOException e) {
                    throw new AfterCommitException(sbom.file(), e);
                }
                listener.debug("SBOM " + sbom.file() + ": " + result.sbom().digest() + ", referrer "
                        + result.sbom().referrer());
            }
            if (archive != null) {
                if (current.isPresent() && current.get().holdsArchive(archive)) {
                    listener.info("Archive up to date: " + archive);
                } else {
                    try {
                        writeArchive(output, archive, plan);
                    } catch (IOException e) {
                        throw new AfterCommitException(archive, e);
                    }
                }
            }
            try {
                ResultFiles.write(request.resultDirectory(), result, listener);
            } catch (IOException e) {
                throw new AfterCommitException(request.resultDirectory(), e);
            }
            return result;
        }
    }

    /** The recorded layout, if it is current; with an SBOM, only if the state records its referrer. */
    private static Optional<BuildState.Current> check(Path output, Fingerprints fingerprints, ImageSbom sbom)
            throws IOException {
        Optional<BuildState.Current> current = BuildState.check(output, fingerprints.image());
        return current.filter(c -> sbom == null || c.sbom() != null);
    }

    /** The result of a build that found {@code current} already built from the same inputs. */
    private static BuildResult upToDate(ImagePlan plan, Path output, BuildState.Current current, Path archive,
            ImageSbom sbom) {
        List<BuildResult.Layer> layers = new ArrayList<>();
        for (int i = 0; i < plan.layers().size(); i++) {
            BuildResult.Layer recorded = current.layers().get(i).layer();
            layers.add(new BuildResult.Layer(plan.layers().get(i).name(), recorded.digest(), recorded.size(),
                    recorded.diffId(), recorded.entries(), true));
        }
        BuildResult.Sbom recorded = current.sbom();
        return new BuildResult(plan, output, current.manifestDigest(), current.configDigest(), layers, true, archive,
                sbom == null ? null : new BuildResult.Sbom(sbom.file(), recorded.digest(), recorded.size(),
                        recorded.referrer(), recorded.referrerSize()));
    }

    /** Writes the archive of the committed layout, and records it in the state so that the next build may skip it. */
    private void writeArchive(Path output, Path archive, ImagePlan plan) throws IOException {
        Files.createDirectories(archive.getParent());
        ArchiveResult written = ImageArchive.write(output, archive, plan.created().getEpochSecond());
        BuildState.recordArchive(output, archive);
        listener.info(String.format(Locale.ROOT, "Archive %s: %s, loads as %s", archive, Sizes.human(written.size()),
                String.join(", ", written.repoTags())));
    }

    /**
     * A build's result and the sizes of its manifest and config, which the up-to-date state records.
     *
     * @param files with an SBOM, the checksums of each layer's files by diff_id, else {@code null}
     * @param document with an SBOM, its bytes, else {@code null}
     */
    private record Written(BuildResult result, long manifestSize, long configSize,
            Map<String, List<FileDigest>> files, byte[] document) {}

    private Written write(ImagePlan plan, Fingerprints fingerprints, Map<String, BuildResult.Layer> reusable,
            LayerReasons reasons, OciLayout layout, ImageSbom sbom) throws IOException {
        try (OciLayout.Transaction transaction = layout.begin()) {
            String mediaType = plan.compression().mediaType();
            List<BuildResult.Layer> layers = new ArrayList<>();
            List<Descriptor> descriptors = new ArrayList<>();
            // The checksums of the files of the layers the last build recorded: read only to reuse one of them.
            Map<String, List<FileDigest>> recorded = null;
            Map<String, List<FileDigest>> files = new LinkedHashMap<>();
            for (int i = 0; i < plan.layers().size(); i++) {
                ImageLayer layer = plan.layers().get(i);
                BuildResult.Layer previous = reusable.get(fingerprints.layers().get(i));
                boolean unrecorded = false;
                if (previous != null && sbom != null) {
                    recorded = recorded != null ? recorded : LayerFiles.read(layout.directory());
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
                    if (sbom != null) {
                        files.put(previous.diffId(), recorded.get(previous.diffId()));
                    }
                } else {
                    Path file = transaction.newStagingFile();
                    LayerWriter.Layer written;
                    try (OutputStream out = OciLayout.output(file)) {
                        written = LayerWriter.write(layer.entries(), plan.created().getEpochSecond(),
                                plan.compression(), plan.compressionLevel(), sbom != null, out);
                    }
                    descriptor = transaction.addBlob(file, written.digest(), written.size(), mediaType);
                    result = new BuildResult.Layer(layer.name(), written.digest(), written.size(), written.diffId(),
                            written.entries(), false);
                    if (sbom != null) {
                        files.put(written.diffId(), written.files());
                    }
                }
                listener.info(String.format(Locale.ROOT, "Layer %s: %d entries, %s, %s, %s", result.name(),
                        result.entries(), Sizes.human(result.size()), result.digest(), result.reused() ? "reused"
                                : "written (" + (unrecorded ? "the SBOM lists its files, whose checksums the"
                                        + " previous build did not record"
                                        : reasons.why(i, fingerprints.layers().get(i))) + ")"));
                listener.debug("Layer " + result.name() + " diff_id " + result.diffId());
                layers.add(result);
                descriptors.add(descriptor);
            }
            Descriptor config = transaction.addBlob(OciJson.config(plan.platform(), plan.created(), plan.config(),
                    layers.stream().map(BuildResult.Layer::diffId).toList(),
                    layers.stream().map(BuildResult.Layer::name).toList(), OciLayout.CREATED_BY_PREFIX + VERSION),
                    MediaTypes.CONFIG);
            Descriptor manifest = transaction.addBlob(
                    OciJson.manifest(config, descriptors, plan.created(), plan.annotations()), MediaTypes.MANIFEST);
            ImageSbom.Written document = null;
            if (sbom != null) {
                List<FileDigest> all = new ArrayList<>();
                files.values().forEach(all::addAll);
                document = sbom.addTo(transaction, plan, manifest, all, "scratch-maven-plugin-" + VERSION);
            }
            transaction.commit(OciJson.index(manifest, plan.platform(), plan.image(), plan.tags(),
                    document == null ? null : document.referrer(), MediaTypes.SPDX_JSON));
            listener.debug("Config " + config.digest());
            return new Written(new BuildResult(plan, layout.directory(), manifest.digest(), config.digest(), layers,
                    false, null, document == null ? null : document.result(sbom.file())), manifest.size(),
                    config.size(), sbom == null ? null : files, document == null ? null : document.bytes());
        }
    }

    /** Like a source, a relative output directory resolves against the project, not the JVM's working directory. */
    static Path outputDirectory(BuildRequest request) throws InvalidConfigurationException {
        if (request.outputDirectory() == null || request.outputDirectory().toString().isEmpty()) {
            throw new InvalidConfigurationException("<outputDirectory>", null, "is not set",
                    "set it to a new or empty folder, such as ${project.build.directory}/oci (the default)");
        }
        Path base = request.baseDirectory();
        return base == null ? request.outputDirectory() : base.resolve(request.outputDirectory());
    }

    private static OciLayout openLayout(Path directory) throws InvalidConfigurationException, IOException {
        try {
            return OciLayout.open(directory);
        } catch (UnsafeOutputDirectoryException e) {
            throw new InvalidConfigurationException("<outputDirectory>", e.directory().toString(), e.getMessage()
                    + "; the plugin only replaces an OCI layout it wrote itself and never deletes what it did not write",
                    "point <outputDirectory> at a new or empty folder, such as ${project.build.directory}/oci,"
                            + " or remove this folder yourself if it is safe to");
        }
    }

    private static String readVersion() {
        Properties properties = new Properties();
        try (InputStream in = ImageBuilder.class.getResourceAsStream("scratch.properties")) {
            if (in == null) {
                throw new IllegalStateException("scratch.properties is missing from the plugin jar");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
    }
}
