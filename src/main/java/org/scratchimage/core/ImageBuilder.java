package org.scratchimage.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import org.scratchimage.core.image.ImagePlan;
import org.scratchimage.core.oci.Descriptor;
import org.scratchimage.core.oci.LayoutLock;
import org.scratchimage.core.oci.MediaTypes;
import org.scratchimage.core.oci.OciJson;
import org.scratchimage.core.oci.OciLayout;
import org.scratchimage.core.oci.UnsafeOutputDirectoryException;

/**
 * Builds a from-scratch image into an OCI image layout: validates the whole request first, so that bad
 * input writes nothing, then streams the layer and commits the layout atomically.
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
        ImagePlan plan = ImagePlanner.plan(request, listener);
        Path output = outputDirectory(request);
        String fingerprint = UpToDate.fingerprint(plan);
        // Read-only and decided from what the last build recorded: only a layout it wrote can match.
        Optional<UpToDate.Current> current = UpToDate.check(output, fingerprint);
        if (current.isPresent()) {
            UpToDate.Current layout = current.get();
            return new BuildResult(plan, output.toAbsolutePath().normalize(), layout.manifestDigest(),
                    layout.configDigest(), layout.layerDigest(), layout.layerSize(), layout.diffId(),
                    plan.entries().size(), true);
        }
        // Refused before locking, so that no lock file is made beside a folder that is not ours.
        openLayout(output);
        try (LayoutLock lock = LayoutLock.acquire(output, listener::info)) {
            Written written = write(plan, openLayout(output));
            UpToDate.record(output, fingerprint, written.result(), written.manifestSize(), written.configSize());
            return written.result();
        }
    }

    /** A build's result and the sizes of its manifest and config, which the up-to-date state records. */
    private record Written(BuildResult result, long manifestSize, long configSize) {}

    private Written write(ImagePlan plan, OciLayout layout) throws IOException {
        try (OciLayout.Transaction transaction = layout.begin()) {
            Path layerFile = transaction.newStagingFile();
            LayerWriter.Layer layer;
            try (OutputStream out = OciLayout.output(layerFile)) {
                layer = LayerWriter.write(plan.entries(), plan.created().getEpochSecond(), plan.compression(),
                        plan.compressionLevel(), out);
            }
            Descriptor layerDescriptor = transaction.addBlob(layerFile, layer.digest(), layer.size(),
                    plan.compression().mediaType());
            Descriptor config = transaction.addBlob(OciJson.config(plan.platform(), plan.created(), plan.config(),
                    layer.diffId(), OciLayout.CREATED_BY_PREFIX + VERSION), MediaTypes.CONFIG);
            Descriptor manifest = transaction.addBlob(
                    OciJson.manifest(config, layerDescriptor, plan.created(), plan.annotations()), MediaTypes.MANIFEST);
            transaction.commit(OciJson.index(manifest, plan.platform(), plan.image(), plan.tags()));
            listener.debug("Layer " + layer.digest() + " (diff_id " + layer.diffId() + "), config " + config.digest());
            return new Written(new BuildResult(plan, layout.directory(), manifest.digest(), config.digest(),
                    layer.digest(), layer.size(), layer.diffId(), layer.entries(), false), manifest.size(), config.size());
        }
    }

    /** Like a source, a relative output directory resolves against the project, not the JVM's working directory. */
    private static Path outputDirectory(BuildRequest request) throws InvalidConfigurationException {
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
