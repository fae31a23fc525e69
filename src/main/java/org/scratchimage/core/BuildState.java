package org.scratchimage.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.scratchimage.core.compress.DigestingOutputStream;
import org.scratchimage.core.image.FileStamp;
import org.scratchimage.core.oci.OciJson;
import org.scratchimage.core.oci.OciLayout;

/**
 * What the last build of a layout recorded, so that the next one can stop at once when nothing changed, or take
 * the layers whose {@link Fingerprints fingerprints} did not change from the layout without writing them again.
 *
 * <p>The state is kept in {@code .<name>.scratch-state} beside the layout folder, written after each commit,
 * with the fingerprints, the SHA-256 of {@code index.json} and the digests and sizes of the blobs. The layout counts
 * as intact when {@code index.json} has that hash, {@code oci-layout} holds exactly what the plugin writes, the
 * folder holds nothing else than the layout and the blobs are there with their sizes. No JSON is parsed: a build
 * with nothing to do stays short.
 *
 * <p>When the build also wrote an archive of the layout, the state records its path and the stamp the file had just
 * after ({@code archive.path}, {@code archive.stamp}): an archive with that stamp is the one written from this layout.
 * A build that commits a new layout rewrites the state without them, so its archive is written again.
 *
 * <p>It also records the fingerprint of the settings and of each layer's listing ({@code settings},
 * {@code layer.N.listing}), from which the next build that writes a layer tells why ({@link LayerReasons}).
 *
 * <p>With {@code <platforms>}, it records the image index and each image, its keys prefixed {@code image.K.}
 * ({@link BuildStateFormat}); the layers of every image are offered for reuse, whatever their platform.
 *
 * <p>With an SBOM, it records the referrer manifest and the SBOM blob ({@code referrer}, {@code sbom}, with their
 * sizes); the layout is intact only with them and the empty config blob. The checksums of each layer's files, which
 * the SBOM of a build that reuses the layer takes instead of reading its files, are kept in {@link LayerFiles}.
 */
final class BuildState {
    private BuildState() {}

    /**
     * The layout as it is on disk.
     *
     * @param images its images: one, or one per platform in the order of the image index
     * @param index the image index the tags name, or {@code null} for a single-platform layout
     * @param archivePath the archive written from this layout, by its real path, or {@code null} if none
     * @param archiveStamp the {@link #stamp} of that archive right after it was written, or {@code null}
     */
    record Current(List<Image> images, BuildResult.Index index, String archivePath, String archiveStamp) {
        Current {
            images = List.copyOf(images);
        }

        /** @return whether {@code archive} is the file that the build wrote from this layout, unchanged since */
        boolean holdsArchive(Path archive) throws IOException {
            return archivePath != null && archivePath.equals(archive.toString())
                    && archiveStamp.equals(stamp(archive));
        }

        /** @return whether the state records every image's SBOM */
        boolean recordsSboms() {
            return images.stream().allMatch(image -> image.sbom() != null);
        }

        /** @return the first image's manifest */
        String manifestDigest() {
            return images.get(0).manifestDigest();
        }
    }

    /**
     * One image of the layout, as the state records it.
     *
     * @param manifestDigest the image's manifest
     * @param manifestSize its size
     * @param configDigest its config
     * @param configSize its size
     * @param layers its layers, bottom first, each with its fingerprint
     * @param sbom the SBOM and its referrer in the layout ({@link BuildResult.Sbom#file()} unset), or {@code null}
     */
    record Image(String manifestDigest, long manifestSize, String configDigest, long configSize, List<Recorded> layers,
            BuildResult.Sbom sbom) {
        Image {
            layers = List.copyOf(layers);
        }
    }

    /**
     * A layer the last build wrote or reused.
     *
     * @param fingerprint the fingerprint of its inputs, or {@code null} if it was racy
     * @param layer the layer as that build reported it
     */
    record Recorded(String fingerprint, BuildResult.Layer layer) {}

    /**
     * @return the layout, if it is intact and was built from {@code fingerprint}; decided from the recorded state,
     *     the hash of {@code index.json}, a listing of the folder and the blobs' sizes, without parsing JSON
     */
    static Optional<Current> check(Path layout, String fingerprint) throws IOException {
        Optional<Properties> loaded = load(layout);
        if (loaded.isEmpty() || !fingerprint.equals(loaded.get().getProperty("fingerprint"))) {
            return Optional.empty();
        }
        Properties state = loaded.get();
        try {
            String archivePath = state.getProperty("archive.path");
            String archiveStamp = state.getProperty("archive.stamp");
            List<Image> images = new ArrayList<>();
            for (String prefix : BuildStateFormat.prefixes(state)) {
                images.add(BuildStateFormat.image(state, prefix));
            }
            BuildResult.Index index = state.getProperty("images") == null ? null : new BuildResult.Index(
                    BuildStateFormat.digest(state, "imageIndex"),
                    Long.parseLong(state.getProperty("imageIndexSize", "-1")));
            Current current = new Current(images, index, archiveStamp == null ? null : archivePath,
                    archivePath == null ? null : archiveStamp);
            Map<String, Long> blobs = new HashMap<>();
            if (index != null) {
                blobs.put(index.digest(), index.size());
            }
            for (Image image : images) {
                blobs.put(image.manifestDigest(), image.manifestSize());
                blobs.put(image.configDigest(), image.configSize());
                for (Recorded recorded : image.layers()) {
                    blobs.put(recorded.layer().digest(), recorded.layer().size());
                }
                if (image.sbom() != null) {
                    blobs.put(image.sbom().digest(), image.sbom().size());
                    blobs.put(image.sbom().referrer(), image.sbom().referrerSize());
                    blobs.put(OciJson.emptyConfig().digest(), OciJson.emptyConfig().size());
                }
            }
            byte[] indexJson = Files.readAllBytes(layout.resolve("index.json"));
            // Leftovers of a build that died (a staging folder, blobs nothing references) are cleaned by a build.
            Set<String> names = new HashSet<>();
            blobs.keySet().forEach(digest -> names.add(digest.substring(7)));
            if (!DigestingOutputStream.digestOf(indexJson).equals(state.getProperty("index"))
                    || !names(layout).equals(Set.of("oci-layout", "index.json", "blobs"))
                    || !holds(layout.resolve("oci-layout"), OciLayout.OCI_LAYOUT)
                    || !names(layout.resolve("blobs")).equals(Set.of("sha256"))
                    || !names(layout.resolve("blobs/sha256")).equals(names)) {
                return Optional.empty();
            }
            for (Map.Entry<String, Long> blob : blobs.entrySet()) {
                if (size(layout, blob.getKey()) != blob.getValue()) {
                    return Optional.empty();
                }
            }
            return Optional.of(current);
        } catch (FileSystemException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * @return the layers the last build recorded, of every image, by fingerprint, whatever else changed since; their
     *     blobs may be gone, which the caller checks when it takes one
     */
    static Map<String, BuildResult.Layer> reusable(Path layout) throws IOException {
        Map<String, BuildResult.Layer> reusable = new HashMap<>();
        Optional<Properties> state = load(layout);
        if (state.isPresent()) {
            try {
                for (String prefix : BuildStateFormat.prefixes(state.get())) {
                    for (Recorded recorded : BuildStateFormat.layers(state.get(), prefix)) {
                        if (recorded.fingerprint() != null) {
                            reusable.put(recorded.fingerprint(), recorded.layer());
                        }
                    }
                }
            } catch (IllegalArgumentException e) {
                return Map.of();
            }
        }
        return reusable;
    }

    /**
     * What the last build recorded of its layers, for {@link LayerReasons}.
     *
     * @param written when the state was written, by the file system's clock: a source stamped at or after it changed
     *     since that build
     * @param settings the {@link Fingerprints#settingsOf settings fingerprint}, or {@code null} if not recorded
     * @param layers each layer by name
     */
    record Previous(Instant written, String settings, Map<String, PreviousLayer> layers) {}

    /**
     * @param fingerprint the layer's fingerprint, or {@code null} if it was recorded racy
     * @param listing its {@link Fingerprints#listingOf listing fingerprint}, or {@code null} if not recorded
     */
    record PreviousLayer(String fingerprint, String listing) {}

    /** @return what the last build recorded of its image, if it left a state that can be read */
    static Optional<Previous> previous(Path layout) throws IOException {
        return previous(layout, 0, false);
    }

    /**
     * @param image which image of the build, from 0, in the order of {@code <platforms>}
     * @param indexed whether the build has an image index ({@code <platforms>}); a state of the other kind has no
     *     layers to compare with
     * @return what the last build recorded of that image, if it left a state that can be read
     */
    static Optional<Previous> previous(Path layout, int image, boolean indexed) throws IOException {
        Optional<Properties> loaded = load(layout);
        if (loaded.isEmpty()) {
            return Optional.empty();
        }
        Properties state = loaded.get();
        Instant written;
        try {
            written = Files.getLastModifiedTime(stateFile(layout)).toInstant();
        } catch (FileSystemException e) {
            return Optional.empty();
        }
        Map<String, PreviousLayer> layers = new HashMap<>();
        String prefix = BuildStateFormat.prefix(image, indexed);
        try {
            if (indexed == (state.getProperty("images") != null) && state.getProperty(prefix + "layers") != null) {
                List<Recorded> recorded = BuildStateFormat.layers(state, prefix);
                for (int i = 0; i < recorded.size(); i++) {
                    layers.putIfAbsent(recorded.get(i).layer().name(), new PreviousLayer(recorded.get(i).fingerprint(),
                            BuildStateFormat.hexOrNull(
                                    state.getProperty(prefix + "layer." + (i + 1) + ".listing"))));
                }
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.of(new Previous(written, BuildStateFormat.hexOrNull(state.getProperty("settings")), layers));
    }

    private static Optional<Properties> load(Path layout) throws IOException {
        Properties state = new Properties();
        try (var in = Files.newInputStream(stateFile(layout))) {
            state.load(in);
        } catch (FileSystemException e) {
            // No state, or a path that cannot hold one: not up to date; the build itself reports what is wrong.
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            // A malformed escape: a state file this plugin did not write.
            return Optional.empty();
        }
        return Optional.of(state);
    }

    private static long size(Path layout, String digest) throws IOException {
        Path file = layout.resolve("blobs/sha256").resolve(digest.substring(7));
        return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? Files.size(file) : -2;
    }

    /** @return whether {@code file} is a regular file with exactly {@code content}; a small file, read whole */
    private static boolean holds(Path file, byte[] content) throws IOException {
        return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) == content.length
                && Arrays.equals(Files.readAllBytes(file), content);
    }

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    /**
     * Records the state of a single-platform layout just committed; written atomically, like the index. A layer whose
     * newest source is not strictly older than the state file itself is recorded as racy
     * ({@link Fingerprints#racyAsOf}).
     */
    static void record(Path layout, Fingerprints fingerprints, BuildResult result) throws IOException {
        record(layout, fingerprints.image(), List.of(fingerprints), null, result);
    }

    /**
     * @param fingerprint the fingerprint of the whole build, recorded unless a layer is racy
     * @param fingerprints each image's fingerprints, in the order of {@code result.images()}
     * @param reasons the settings and listing fingerprints of each image, from which the next build tells why it
     *     writes a layer; {@code null} to record none
     */
    static void record(Path layout, String fingerprint, List<Fingerprints> fingerprints, List<LayerReasons> reasons,
            BuildResult result) throws IOException {
        String index = DigestingOutputStream.digestOf(Files.readAllBytes(layout.resolve("index.json")));
        Path state = stateFile(layout);
        Path temp = Files.createTempFile(state.getParent(), state.getFileName().toString(), ".tmp");
        try {
            Files.writeString(temp, BuildStateFormat.text(fingerprint, fingerprints, reasons, index, result),
                    StandardCharsets.UTF_8);
            // Read back from the file system that stamps it, after the write: the time of the state, by its clock.
            Instant written = Files.getLastModifiedTime(temp).toInstant();
            List<Fingerprints> settled = new ArrayList<>();
            boolean changed = false;
            for (Fingerprints each : fingerprints) {
                Fingerprints now = each.racyAsOf(written);
                changed |= !now.racy().equals(each.racy());
                settled.add(now);
            }
            if (changed) {
                Files.writeString(temp, BuildStateFormat.text(fingerprint, settled, reasons, index, result),
                        StandardCharsets.UTF_8);
            }
            Files.move(temp, state, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Adds to the state of the layout just committed or found up to date that {@code archive} was written from it.
     * Written atomically, like the state itself; the racy layers the state recorded stay racy.
     *
     * @param archive the archive, by its real path
     */
    static void recordArchive(Path layout, Path archive) throws IOException {
        Path state = stateFile(layout);
        StringBuilder text = new StringBuilder();
        for (String line : Files.readAllLines(state, StandardCharsets.UTF_8)) {
            if (!line.startsWith("archive.")) {
                text.append(line).append('\n');
            }
        }
        text.append("archive.path=");
        BuildStateFormat.escape(archive.toString(), text);
        text.append("\narchive.stamp=").append(stamp(archive)).append('\n');
        Path temp = Files.createTempFile(state.getParent(), state.getFileName().toString(), ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, state, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * @return what git's index compares of a file, from one {@code lstat}: size, mtime, ctime, inode and device; any
     *     rewrite, rename over it or {@code touch} changes it. {@code "none"} if it is not a regular file.
     */
    static String stamp(Path file) throws IOException {
        FileStamp stamp;
        try {
            stamp = FileStamp.read(file, false);
        } catch (FileSystemException e) {
            return "none";
        }
        if (!stamp.isRegularFile()) {
            return "none";
        }
        return stamp.size() + ":" + stamp.mtimeSeconds() + "." + stamp.mtimeNanos() + ":" + stamp.ctimeSeconds() + "."
                + stamp.ctimeNanos() + ":" + stamp.inode() + ":" + stamp.device();
    }

    private static Path stateFile(Path layout) {
        Path dir = layout.toAbsolutePath().normalize();
        return dir.resolveSibling("." + dir.getFileName() + ".scratch-state");
    }
}
