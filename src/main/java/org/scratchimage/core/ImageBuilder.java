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
import org.scratchimage.core.elf.HostReads;
import org.scratchimage.core.image.Compression;
import org.scratchimage.core.image.ImagePlan;
import org.scratchimage.core.image.Platform;
import org.scratchimage.core.oci.FolderKey;
import org.scratchimage.core.oci.LayoutLock;
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
    public BuildResult build(BuildRequest given) throws InvalidConfigurationException, IOException {
        // <java> links a runtime from the project's jars, which its expansion reads: such a build always plans.
        String requestFingerprint = given.java() == null ? RequestFingerprint.of(given, VERSION) : null;
        if (requestFingerprint != null) {
            Optional<UnchangedBuild.Found> found = UnchangedBuild.check(given, requestFingerprint, listener);
            Optional<BuildResult> done = found.isEmpty() ? Optional.empty()
                    : found.get().complete() ? Optional.of(found.get().result()) : finish(given, found.get());
            if (done.isPresent()) {
                if (found.get().complete() && done.get().archive() != null) {
                    listener.info("Archive up to date: " + done.get().archive());
                }
                return done.get();
            }
        }
        // Before the planning's clock starts: a runtime linked now is older than it, and can be trusted by its stamp.
        BuildRequest request = JavaApplication.expand(given, listener);
        // Before any source is stamped: a source changed later than this is too recent to be trusted by its stamp.
        long plannedAt = System.currentTimeMillis();
        BuildPlan plan;
        // Without an output folder the planning reports that mistake, or an earlier one.
        ElfHeaders headers = Values.isBlank(request.outputDirectory() == null ? null
                : request.outputDirectory().toString()) ? ElfHeaders.NONE
                : ElfHeaders.load(FolderKey.of(outputDirectory(request)), plannedAt, listener);
        try (HostReads.Recording reads = HostReads.start()) {
            plan = ImagePlanner.planAll(request, listener, headers);
            Built built = build(request, plan, plannedAt);
            // Beside a layout the build now knows to be its own.
            headers.save();
            if (requestFingerprint != null) {
                UnchangedBuild.record(built.output(), requestFingerprint, built.fingerprint(), plan, built.sboms(),
                        reads, plannedAt, listener);
            }
            return built.result();
        }
    }

    /**
     * Writes what an unchanged build found behind beside its layout (the archive, an SBOM file, the result files),
     * under the lock and without planning.
     *
     * @return the result, or empty when another build changed the layout meanwhile: then the build plans
     */
    private Optional<BuildResult> finish(BuildRequest request, UnchangedBuild.Found found)
            throws InvalidConfigurationException, IOException {
        BuildResult result = found.result();
        Path output = result.layout();
        openLayout(output);
        try (LayoutLock lock = LayoutLock.acquire(output, listener::info)) {
            openLayout(output);
            Optional<BuildState.Current> current = BuildState.check(output, found.build());
            if (current.isEmpty()) {
                return Optional.empty();
            }
            for (BuildResult.Image image : result.images()) {
                BuildResult.Sbom sbom = image.sbom();
                if (sbom != null && !ImageSbom.holds(sbom.file(), sbom.digest())) {
                    try {
                        ImageSbom.restore(sbom.file(), output, sbom.digest());
                    } catch (IOException e) {
                        throw new AfterCommitException(sbom.file(), e);
                    }
                }
            }
            writeArchiveAndResults(request, output, result, current, found.created());
            return Optional.of(result);
        }
    }

    /** A build's result, with what {@link UnchangedBuild} records of it. */
    private record Built(BuildResult result, Path output, String fingerprint, List<ImageSbom> sboms) {}

    private Built build(BuildRequest request, BuildPlan plan, long plannedAt)
            throws InvalidConfigurationException, IOException {
        // One key for the lock, the state and the layout: out and alias -> out are one folder, built in turns.
        Path output = FolderKey.of(outputDirectory(request));
        Path archive = ArchiveTarget.of(request);
        List<ImageSbom> sboms = null;
        List<Fingerprints> fingerprints = new ArrayList<>();
        for (ImagePlan image : plan.images()) {
            ImageSbom sbom = ImageSbom.of(request, image, plan.indexed());
            Fingerprints each = Fingerprints.of(image, VERSION, plannedAt);
            if (sbom != null) {
                sboms = sboms == null ? new ArrayList<>() : sboms;
                sboms.add(sbom);
                each = each.withImageInput(sbom.fingerprint());
            }
            fingerprints.add(each);
        }
        String fingerprint = fingerprint(plan, fingerprints);
        if (archive != null && plan.first().compression() == Compression.ZSTD) {
            listener.warn("The archive " + archive + " holds zstd layers (<compression>zstd</compression>), which"
                    + " Docker before 25 cannot load; Docker 25 and later, containerd, podman and skopeo can. Fix: set"
                    + " <compression>gzip</compression> if the archive must load on older Docker");
        }
        // Read-only and decided from what the last build recorded: only a layout it wrote can match.
        Optional<BuildState.Current> current = check(output, fingerprint, sboms);
        if (current.isPresent()) {
            BuildResult result = upToDate(plan, output, current.get(), archive, sboms);
            // Nothing to write at all: no lock, and nothing but a few small files read.
            if ((archive == null || current.get().holdsArchive(archive)) && sbomsCurrent(sboms, result)
                    && ResultFiles.current(request.resultDirectory(), result)) {
                if (archive != null) {
                    listener.info("Archive up to date: " + archive);
                }
                return new Built(result, output, fingerprint, sboms);
            }
        }
        // Refused before locking, so that no lock file is made beside a folder that is not ours.
        openLayout(output);
        try (LayoutLock lock = LayoutLock.acquire(output, listener::info)) {
            OciLayout layout = openLayout(output);
            if (current.isPresent()) {
                // Only the archive or the result files are behind: unless another build committed meanwhile.
                current = check(output, fingerprint, sboms);
            }
            BuildResult result;
            List<byte[]> documents = null;
            if (current.isPresent()) {
                result = upToDate(plan, output, current.get(), archive, sboms);
            } else {
                // Read under the lock: the layers another build recorded are only taken from the layout it committed.
                Map<String, BuildResult.Layer> reusable = BuildState.reusable(output);
                List<LayerReasons> reasons = new ArrayList<>();
                for (int k = 0; k < plan.images().size(); k++) {
                    reasons.add(LayerReasons.of(output, plan.images().get(k), VERSION, request.baseDirectory(), k,
                            plan.indexed()));
                }
                ImageWriter.Written written = ImageWriter.write(plan, fingerprints, reusable, reasons, layout, sboms,
                        listener);
                if (sboms != null) {
                    // Before the state that names the layers: a layer the state offers for reuse has its files here.
                    LayerFiles.write(output, written.files());
                }
                BuildState.record(output, fingerprint, fingerprints, reasons, written.result());
                result = written.result().withArchive(archive);
                documents = written.documents();
            }
            if (sboms != null) {
                writeSboms(sboms, result, documents, output);
            }
            writeArchiveAndResults(request, output, result, current, plan.first().created().getEpochSecond());
            return new Built(result, output, fingerprint, sboms);
        }
    }

    /**
     * The last steps of a build, after its layout is committed or found current: the archive unless the state says
     * it holds this layout, then the result files. A failure here leaves the layout as it is.
     *
     * @param current the state the layout was found up to date by, or empty when this build committed it
     * @param created the image's time, in seconds, for the archive's entries
     */
    private void writeArchiveAndResults(BuildRequest request, Path output, BuildResult result,
            Optional<BuildState.Current> current, long created) throws IOException {
        Path archive = result.archive();
        if (archive != null && current.isPresent() && current.get().holdsArchive(archive)) {
            listener.info("Archive up to date: " + archive);
        } else if (archive != null) {
            try {
                writeArchive(output, archive, created, request.hostArchitecture());
            } catch (IOException e) {
                throw new AfterCommitException(archive, e);
            }
        }
        try {
            ResultFiles.write(request.resultDirectory(), result, listener);
        } catch (IOException e) {
            throw new AfterCommitException(request.resultDirectory(), e);
        }
    }

    /**
     * @return the fingerprint of the whole build: the image's, or with {@code <platforms>} one of every image's in
     *     their order
     */
    private static String fingerprint(BuildPlan plan, List<Fingerprints> fingerprints) {
        if (!plan.indexed()) {
            return fingerprints.get(0).image();
        }
        FieldDigest sha = new FieldDigest().text("index").number(fingerprints.size());
        for (Fingerprints each : fingerprints) {
            sha.text(each.image());
        }
        return sha.hex();
    }

    /** The recorded layout, if it is current; with SBOMs, only if the state records their referrers. */
    private static Optional<BuildState.Current> check(Path output, String fingerprint, List<ImageSbom> sboms)
            throws IOException {
        Optional<BuildState.Current> current = BuildState.check(output, fingerprint);
        return current.filter(c -> sboms == null || c.recordsSboms());
    }

    private static boolean sbomsCurrent(List<ImageSbom> sboms, BuildResult result) throws IOException {
        if (sboms == null) {
            return true;
        }
        for (int k = 0; k < sboms.size(); k++) {
            if (!sboms.get(k).current(result.images().get(k).sbom().digest())) {
                return false;
            }
        }
        return true;
    }

    /** Writes each SBOM file: the document just made, or the layout's copy when the file is not current. */
    private void writeSboms(List<ImageSbom> sboms, BuildResult result, List<byte[]> documents, Path output)
            throws IOException {
        for (int k = 0; k < sboms.size(); k++) {
            ImageSbom sbom = sboms.get(k);
            BuildResult.Sbom written = result.images().get(k).sbom();
            try {
                if (documents != null) {
                    sbom.write(documents.get(k));
                } else if (!sbom.current(written.digest())) {
                    sbom.restore(output, written.digest());
                }
            } catch (IOException e) {
                throw new AfterCommitException(sbom.file(), e);
            }
            listener.debug("SBOM " + sbom.file() + ": " + written.digest() + ", referrer " + written.referrer());
        }
    }

    /** The result of a build that found {@code current} already built from the same inputs. */
    private static BuildResult upToDate(BuildPlan plan, Path output, BuildState.Current current, Path archive,
            List<ImageSbom> sboms) {
        return upToDate(plan.images(), output, current, archive, sboms == null ? null
                : sboms.stream().map(ImageSbom::file).toList());
    }

    /**
     * @param plans the images, or what {@link UnchangedBuild} recorded of them
     * @param sboms each image's SBOM file, or {@code null} for none
     */
    static BuildResult upToDate(List<ImagePlan> plans, Path output, BuildState.Current current, Path archive,
            List<Path> sboms) {
        List<BuildResult.Image> images = new ArrayList<>();
        for (int k = 0; k < plans.size(); k++) {
            BuildState.Image state = current.images().get(k);
            List<BuildResult.Layer> layers = new ArrayList<>();
            for (BuildState.Recorded layer : state.layers()) {
                BuildResult.Layer recorded = layer.layer();
                layers.add(new BuildResult.Layer(recorded.name(), recorded.digest(), recorded.size(),
                        recorded.diffId(), recorded.entries(), true));
            }
            BuildResult.Sbom sbom = state.sbom();
            images.add(new BuildResult.Image(plans.get(k), state.manifestDigest(), state.manifestSize(),
                    state.configDigest(), state.configSize(), layers, sboms == null ? null
                            : new BuildResult.Sbom(sboms.get(k), sbom.digest(), sbom.size(), sbom.referrer(),
                                    sbom.referrerSize())));
        }
        return new BuildResult(output, images, current.index(), true, archive);
    }

    /** Writes the archive of the committed layout, and records it in the state so that the next build may skip it. */
    private void writeArchive(Path output, Path archive, long created, String hostArchitecture) throws IOException {
        Files.createDirectories(archive.getParent());
        Platform host;
        try {
            host = Platforms.resolve(null, hostArchitecture);
        } catch (InvalidConfigurationException e) {
            // A host without an OCI name: the archive's docker-save part takes the first platform.
            host = null;
        }
        ArchiveResult written = ImageArchive.write(output, archive, created, host);
        BuildState.recordArchive(output, archive);
        listener.info(String.format(Locale.ROOT, "Archive %s: %s, loads as %s", archive, Sizes.human(written.size()),
                String.join(", ", written.repoTags())));
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
