package org.scratchimage.core;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.scratchimage.core.oci.LayoutContents;
import org.scratchimage.core.oci.LayoutEntry;
import org.scratchimage.core.oci.LayoutImage;
import org.scratchimage.core.oci.LayoutIndex;
import org.scratchimage.core.oci.LayoutReferrer;
import org.scratchimage.core.oci.Descriptor;
import org.scratchimage.core.oci.FolderKey;
import org.scratchimage.core.oci.ImageMetadata;
import org.scratchimage.core.oci.LayoutLock;
import org.scratchimage.core.oci.LayoutReader;
import org.scratchimage.core.oci.MediaTypes;
import org.scratchimage.core.oci.UnusableLayoutException;
import org.scratchimage.core.registry.ImageReference;
import org.scratchimage.core.registry.Registry;
import org.scratchimage.core.registry.RegistryException;
import org.scratchimage.core.registry.RegistryOptions;

/**
 * Pushes the images of an OCI layout that {@code scratch:build} wrote to their registries.
 *
 * <p>For each repository: every blob (config and layers) is checked with {@code HEAD} and skipped if present; one
 * that another repository of the same registry received earlier in this push is mounted from there; the rest are
 * uploaded, several at once. Only when all of them are in the repository is the manifest put, by tag, and then
 * under the other tags of the same repository: a push that fails leaves no tag pointing at a partial image. For a
 * multi-platform image, every platform's blobs go first, then each platform's manifest by digest, then the image
 * index under each tag. The referrers (each platform's SBOM) follow, by digest ({@link ReferrerPush}).
 *
 * <p>The layout's lock is held throughout, so a build of the same folder cannot prune blobs while they are read.
 */
public final class ImagePusher {
    private final PushListener listener;

    /** @param listener receives the results, decisions and warnings, one line each */
    public ImagePusher(PushListener listener) {
        this.listener = Objects.requireNonNull(listener);
    }

    /**
     * @throws RegistryException for a mistake the user must fix: no layout or a damaged one, a bad reference or
     *     parameter, credentials refused, a registry's refusal
     * @throws IOException if the layout cannot be read, or the network or registry fails beyond the retries
     */
    public PushResult push(PushRequest request) throws RegistryException, IOException {
        if (request.outputDirectory() == null || request.outputDirectory().toString().isEmpty()) {
            throw new RegistryException("<outputDirectory> is not set",
                    "set it to the folder scratch:build writes, ${project.build.directory}/oci by default");
        }
        RegistryOptions defaults = RegistryOptions.defaults(listener);
        RegistryOptions options = new RegistryOptions(request.credentials(),
                PushTargets.insecureRegistries(request.insecureRegistries()), request.proxies(), defaults.maxTries(),
                defaults.backoff(), defaults.connectTimeout(),
                PushTargets.parallelUploads(request.parallelUploads(), defaults.parallelUploads()), listener);
        List<ImageReference> to = PushTargets.to(request.to());
        Path directory = FolderKey.of(request.outputDirectory());
        if (!Files.isDirectory(directory)) {
            // Refused before locking: the lock would create the folder's parent.
            read(directory);
        }
        try (LayoutLock lock = LayoutLock.acquire(directory, listener::info)) {
            LayoutContents layout = read(directory);
            List<PushTargets.Target> targets = PushTargets.of(layout, to);
            List<PushResult.Pushed> pushed = new ArrayList<>();
            try {
                push(layout, targets, options, pushed);
            } catch (RegistryException | IOException | RuntimeException e) {
                // What did reach a registry is recorded all the same: those tags exist now.
                try {
                    writeImageFile(request.imageFile(), layout, pushed);
                } catch (IOException notWritten) {
                    e.addSuppressed(notWritten);
                }
                throw e;
            }
            writeImageFile(request.imageFile(), layout, pushed);
            return new PushResult(pushed);
        }
    }

    private static LayoutContents read(Path directory) throws RegistryException, IOException {
        try {
            return LayoutReader.read(directory);
        } catch (UnusableLayoutException e) {
            throw new RegistryException(e.problem(), e.fix(), e);
        }
    }

    private void push(LayoutContents layout, List<PushTargets.Target> targets, RegistryOptions options,
            List<PushResult.Pushed> pushed) throws RegistryException, IOException {
        Map<String, Registry> registries = new LinkedHashMap<>();
        // Per registry, the repository of this push that holds each blob: the source of a mount.
        Map<String, Map<String, String>> holders = new HashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(options.parallelUploads(), new UploadThreads());
        try {
            for (PushTargets.Target target : targets) {
                ImageReference first = target.first();
                Registry registry = registries.get(first.registry());
                boolean newRegistry = registry == null;
                if (newRegistry) {
                    registry = Registry.connect(first.registry(), first.repository(), options);
                    registries.put(first.registry(), registry);
                }
                Map<String, String> held = holders.computeIfAbsent(first.registry(), r -> new HashMap<>());
                Blobs blobs = pushBlobs(pool, registry, layout, target, held);
                if (newRegistry) {
                    String source = registry.credentialSource();
                    listener.info("Registry " + first.registry() + ": " + (source == null || source.isEmpty()
                            || source.equalsIgnoreCase("anonymous") ? "no credentials, anonymous"
                            : "credentials from " + source));
                }
                for (Descriptor blob : target.image().blobs()) {
                    held.putIfAbsent(blob.digest(), first.repository());
                }
                if (target.image() instanceof LayoutIndex index) {
                    // Untagged, before the index: a registry refuses an index whose manifests it lacks.
                    for (LayoutImage image : index.images()) {
                        putByDigest(registry, first, image);
                    }
                }
                for (int i = 0; i < target.references().size(); i++) {
                    ImageReference reference = target.references().get(i);
                    String digest = putManifest(registry, target.image(), reference);
                    PushResult.Pushed result = i == 0
                            ? new PushResult.Pushed(reference, digest, blobs.uploaded, blobs.mounted, blobs.present,
                                    blobs.bytesSent)
                            : new PushResult.Pushed(reference, digest, 0, 0, target.image().blobs().size(), 0);
                    pushed.add(result);
                    listener.info(String.format(Locale.ROOT,
                            "Pushed %s: manifest %s, blobs %d uploaded, %d mounted, %d already present, %s sent",
                            reference, digest, result.uploaded(), result.mounted(), result.present(),
                            Sizes.human(result.bytesSent())));
                }
                // After the image: a referrer's subject must exist in the repository before it. After the tags, too,
                // so that a push failing before them leaves no tag at all, not even the fallback sha256-<hex>.
                for (LayoutImage image : target.image().images()) {
                    for (LayoutReferrer referrer : layout.referrersOf(image)) {
                        Registry client = registry;
                        String how = ReferrerPush.push(registry, first.repository(), referrer, blob -> pushBlob(
                                client, first.repository(), layout.blob(blob), blob, null));
                        listener.info("Pushed " + (MediaTypes.SPDX_JSON.equals(referrer.artifactType()) ? "the SBOM"
                                : "the referrer") + " of " + first + (image.platform() == null
                                        || target.image() == image ? "" : " (" + image.platform() + ")")
                                + ": manifest " + referrer.manifest().digest() + ", listed by " + how);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
            registries.values().forEach(Registry::close);
        }
    }

    /** What happened to the blobs of one target. */
    private static final class Blobs {
        int uploaded;
        int mounted;
        int present;
        long bytesSent;
    }

    private enum Outcome { PRESENT, MOUNTED, UPLOADED }

    private Blobs pushBlobs(ExecutorService pool, Registry registry, LayoutContents layout,
            PushTargets.Target target, Map<String, String> held) throws RegistryException, IOException {
        String repository = target.first().repository();
        List<Descriptor> descriptors = target.image().blobs();
        List<Future<Outcome>> futures = new ArrayList<>();
        for (Descriptor blob : descriptors) {
            String from = held.get(blob.digest());
            String mountFrom = from == null || from.equals(repository) ? null : from;
            futures.add(pool.submit(() -> pushBlob(registry, repository, layout.blob(blob), blob, mountFrom)));
        }
        Blobs blobs = new Blobs();
        try {
            for (int i = 0; i < futures.size(); i++) {
                Outcome outcome = outcome(futures.get(i));
                switch (outcome) {
                    case PRESENT -> blobs.present++;
                    case MOUNTED -> blobs.mounted++;
                    case UPLOADED -> {
                        blobs.uploaded++;
                        blobs.bytesSent += descriptors.get(i).size();
                    }
                }
            }
        } finally {
            // After a failure the others are of no use: no manifest will reference them in this push.
            futures.forEach(f -> f.cancel(true));
        }
        return blobs;
    }

    private Outcome pushBlob(Registry registry, String repository, Path file, Descriptor blob, String mountFrom)
            throws RegistryException, IOException {
        if (registry.hasBlob(repository, blob.digest())) {
            listener.debug("Blob " + blob.digest() + " already in " + repository);
            return Outcome.PRESENT;
        }
        if (mountFrom != null && registry.mountBlob(repository, blob.digest(), mountFrom)) {
            listener.debug("Blob " + blob.digest() + " mounted into " + repository + " from " + mountFrom);
            return Outcome.MOUNTED;
        }
        registry.uploadBlob(repository, file, blob.digest(), blob.size());
        listener.debug("Blob " + blob.digest() + " uploaded to " + repository + " (" + Sizes.human(blob.size())
                + ")");
        return Outcome.UPLOADED;
    }

    private static Outcome outcome(Future<Outcome> future) throws RegistryException, IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading blobs");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RegistryException registryException) {
                throw registryException;
            }
            if (cause instanceof IOException ioException) {
                throw ioException;
            }
            if (cause instanceof RuntimeException runtimeException) {
                throw runtimeException;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
        }
    }

    private void putByDigest(Registry registry, ImageReference reference, LayoutImage image)
            throws RegistryException, IOException {
        // The bytes were checked against the digest when the layout was read; the registry's answer is checked too.
        String digest = registry.putManifestByDigest(reference.repository(), image.manifest().mediaType(),
                image.manifestBytes());
        listener.debug("Manifest " + digest + (image.platform() == null ? "" : " (" + image.platform() + ")")
                + " put into " + reference.registry() + "/" + reference.repository() + " by digest");
    }

    private static String putManifest(Registry registry, LayoutEntry image, ImageReference reference)
            throws RegistryException, IOException {
        String digest = registry.putManifest(reference.repository(), reference.tag(), image.manifest().mediaType(),
                image.manifestBytes());
        if (!image.manifest().digest().equals(digest)) {
            throw new IOException("The registry " + reference.registry() + " stored the manifest of " + reference
                    + " as " + digest + ", not as " + image.manifest().digest() + ", the digest of the bytes sent");
        }
        return digest;
    }

    /** Records the pushed references in {@code scratch-image.json}, for a layout of one image. */
    private void writeImageFile(Path file, LayoutContents layout, List<PushResult.Pushed> pushed)
            throws IOException {
        if (file == null) {
            return;
        }
        if (layout.entries().size() != 1 || layout.entries().get(0).names().isEmpty()) {
            listener.debug("No " + file + ": the layout holds " + layout.entries().size()
                    + " images, and the file describes one image with its name");
            return;
        }
        LayoutEntry entry = layout.entries().get(0);
        String name = PushTargets.imageName(entry.names().get(0));
        List<String> tags = new ArrayList<>();
        for (String n : entry.names()) {
            if (PushTargets.imageName(n).equals(name) && PushTargets.tag(n) != null) {
                tags.add(PushTargets.tag(n));
            }
        }
        ImageMetadata metadata;
        if (entry instanceof LayoutImage image) {
            metadata = new ImageMetadata(name, tags, image.manifest().digest(),
                    image.platform() == null ? null : image.platform().toString(), layers(layout, image), null,
                    List.of());
        } else {
            List<ImageMetadata.Manifest> manifests = new ArrayList<>();
            for (LayoutImage image : entry.images()) {
                manifests.add(new ImageMetadata.Manifest(image.platform() == null ? null : image.platform().toString(),
                        image.manifest().digest(), layers(layout, image)));
            }
            metadata = new ImageMetadata(name, tags, entry.manifest().digest(), null, List.of(), manifests, null,
                    List.of());
        }
        Optional<ImageMetadata> previous = ImageMetadata.read(file);
        ImageMetadata updated = metadata.withPushed(pushed.stream().map(PushResult.Pushed::pinned).toList(), previous);
        // Kept as it is when nothing is new: the next unchanged build trusts it by its stamp and does not read it.
        if (!Arrays.equals(updated.toJson(), ImageMetadata.bytesOf(file))) {
            updated.write(file);
            listener.debug("Wrote " + file);
        }
    }

    private static List<ImageMetadata.Layer> layers(LayoutContents layout, LayoutImage image)
            throws IOException {
        // The config was checked against its digest when the layout was read, under the lock held still.
        return ImageMetadata.layers(image.layers(), Files.readAllBytes(layout.blob(image.config())));
    }

    /** Daemon threads, so that an upload left hanging never keeps Maven's JVM alive. */
    private static final class UploadThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "scratch-push-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
