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
import java.util.Locale;
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
 * <p>With an SBOM, it records the referrer manifest and the SBOM blob ({@code referrer}, {@code sbom}, with their
 * sizes); the layout is intact only with them and the empty config blob. The checksums of each layer's files, which
 * the SBOM of a build that reuses the layer takes instead of reading its files, are kept in {@link LayerFiles}.
 */
final class BuildState {
    private static final String DIGEST = "sha256:[a-f0-9]{64}";
    /** Recorded in place of a fingerprint that cannot be trusted yet. */
    private static final String RACY = "racy";

    private BuildState() {}

    /**
     * The layout as it is on disk.
     *
     * @param manifestDigest the image's manifest
     * @param configDigest its config
     * @param layers its layers, bottom first, each with its fingerprint
     * @param archivePath the archive written from this layout, by its real path, or {@code null} if none
     * @param archiveStamp the {@link #stamp} of that archive right after it was written, or {@code null}
     * @param sbom the SBOM and its referrer in the layout ({@link BuildResult.Sbom#file()} unset), or {@code null}
     */
    record Current(String manifestDigest, String configDigest, List<Recorded> layers, String archivePath,
            String archiveStamp, BuildResult.Sbom sbom) {
        /** @return whether {@code archive} is the file that the build wrote from this layout, unchanged since */
        boolean holdsArchive(Path archive) throws IOException {
            return archivePath != null && archivePath.equals(archive.toString())
                    && archiveStamp.equals(stamp(archive));
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
            BuildResult.Sbom sbom = state.getProperty("referrer") == null ? null : new BuildResult.Sbom(null,
                    digest(state, "sbom"), Long.parseLong(state.getProperty("sbomSize", "-1")),
                    digest(state, "referrer"), Long.parseLong(state.getProperty("referrerSize", "-1")));
            Current current = new Current(digest(state, "manifest"), digest(state, "config"), layers(state),
                    archiveStamp == null ? null : archivePath, archivePath == null ? null : archiveStamp, sbom);
            Set<String> blobs = new HashSet<>();
            blobs.add(current.manifestDigest().substring(7));
            blobs.add(current.configDigest().substring(7));
            for (Recorded recorded : current.layers()) {
                blobs.add(recorded.layer().digest().substring(7));
            }
            if (sbom != null) {
                blobs.add(sbom.digest().substring(7));
                blobs.add(sbom.referrer().substring(7));
                blobs.add(OciJson.emptyConfig().hex());
                if (size(layout, sbom.digest()) != sbom.size() || size(layout, sbom.referrer()) != sbom.referrerSize()
                        || size(layout, OciJson.emptyConfig().digest()) != OciJson.emptyConfig().size()) {
                    return Optional.empty();
                }
            }
            byte[] index = Files.readAllBytes(layout.resolve("index.json"));
            // Leftovers of a build that died (a staging folder, blobs nothing references) are cleaned by a build.
            if (!DigestingOutputStream.digestOf(index).equals(state.getProperty("index"))
                    || !names(layout).equals(Set.of("oci-layout", "index.json", "blobs"))
                    || !holds(layout.resolve("oci-layout"), OciLayout.OCI_LAYOUT)
                    || !names(layout.resolve("blobs")).equals(Set.of("sha256"))
                    || !names(layout.resolve("blobs/sha256")).equals(blobs)
                    || size(layout, current.manifestDigest()) != Long.parseLong(state.getProperty("manifestSize", "-1"))
                    || size(layout, current.configDigest()) != Long.parseLong(state.getProperty("configSize", "-1"))) {
                return Optional.empty();
            }
            for (Recorded recorded : current.layers()) {
                if (size(layout, recorded.layer().digest()) != recorded.layer().size()) {
                    return Optional.empty();
                }
            }
            return Optional.of(current);
        } catch (FileSystemException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * @return the layers the last build recorded, by fingerprint, whatever else changed since; their blobs may be
     *     gone, which the caller checks when it takes one
     */
    static Map<String, BuildResult.Layer> reusable(Path layout) throws IOException {
        Map<String, BuildResult.Layer> reusable = new HashMap<>();
        Optional<Properties> state = load(layout);
        if (state.isPresent()) {
            try {
                for (Recorded recorded : layers(state.get())) {
                    if (recorded.fingerprint() != null) {
                        reusable.put(recorded.fingerprint(), recorded.layer());
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

    /** @return what the last build recorded, if it left a state that can be read */
    static Optional<Previous> previous(Path layout) throws IOException {
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
        try {
            List<Recorded> recorded = layers(state);
            for (int i = 0; i < recorded.size(); i++) {
                layers.putIfAbsent(recorded.get(i).layer().name(), new PreviousLayer(recorded.get(i).fingerprint(),
                        hexOrNull(state.getProperty("layer." + (i + 1) + ".listing"))));
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.of(new Previous(written, hexOrNull(state.getProperty("settings")), layers));
    }

    private static String hexOrNull(String value) {
        return value != null && value.matches("[a-f0-9]{64}") ? value : null;
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

    private static List<Recorded> layers(Properties state) {
        int count = Integer.parseInt(state.getProperty("layers", "-1"));
        if (count < 1) {
            throw new IllegalArgumentException("layers");
        }
        List<Recorded> layers = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String key = "layer." + i + ".";
            String fingerprint = state.getProperty(key + "fingerprint", "");
            if (fingerprint.equals(RACY)) {
                fingerprint = null;
            } else if (!fingerprint.matches("[a-f0-9]{64}")) {
                throw new IllegalArgumentException(key + "fingerprint");
            }
            layers.add(new Recorded(fingerprint, new BuildResult.Layer(state.getProperty(key + "name", ""),
                    digest(state, key + "digest"), Long.parseLong(state.getProperty(key + "size", "-1")),
                    digest(state, key + "diffId"), Long.parseLong(state.getProperty(key + "entries", "-1")),
                    false)));
        }
        return layers;
    }

    private static String digest(Properties state, String key) {
        String value = state.getProperty(key);
        if (value == null || !value.matches(DIGEST)) {
            throw new IllegalArgumentException(key);
        }
        return value;
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
     * Records the state of a layout just committed; written atomically, like the index. A layer whose newest source
     * is not strictly older than the state file itself is recorded as racy ({@link Fingerprints#racyAsOf}).
     */
    static void record(Path layout, Fingerprints fingerprints, BuildResult result, long manifestSize, long configSize)
            throws IOException {
        record(layout, fingerprints, null, result, manifestSize, configSize);
    }

    /**
     * @param reasons the settings and listing fingerprints to record, from which the next build tells why it writes a
     *     layer; {@code null} to record none
     */
    static void record(Path layout, Fingerprints fingerprints, LayerReasons reasons, BuildResult result,
            long manifestSize, long configSize) throws IOException {
        String index = DigestingOutputStream.digestOf(Files.readAllBytes(layout.resolve("index.json")));
        Path state = stateFile(layout);
        Path temp = Files.createTempFile(state.getParent(), state.getFileName().toString(), ".tmp");
        try {
            Files.writeString(temp, text(fingerprints, reasons, index, result, manifestSize, configSize),
                    StandardCharsets.UTF_8);
            // Read back from the file system that stamps it, after the write: the time of the state, by its clock.
            Fingerprints settled = fingerprints.racyAsOf(Files.getLastModifiedTime(temp).toInstant());
            if (!settled.racy().equals(fingerprints.racy())) {
                Files.writeString(temp, text(settled, reasons, index, result, manifestSize, configSize),
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
        escape(archive.toString(), text);
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

    private static String text(Fingerprints fingerprints, LayerReasons reasons, String index, BuildResult result,
            long manifestSize, long configSize) {
        StringBuilder text = new StringBuilder();
        // A racy layer is written down without its fingerprint: its blob is right, but a later change to one of its
        // sources might not show in their stamps, so neither it nor the whole image may be taken as unchanged.
        // Every value is a digest, a number or a layer name (Values.LAYER: [a-z0-9._-]), none of which a
        // properties file reads differently; the name is escaped all the same.
        text.append("fingerprint=").append(fingerprints.anyRacy() ? RACY : fingerprints.image())
                .append("\nindex=").append(index)
                .append("\nmanifest=").append(result.manifestDigest()).append("\nmanifestSize=").append(manifestSize)
                .append("\nconfig=").append(result.configDigest()).append("\nconfigSize=").append(configSize)
                .append("\nlayers=").append(result.layers().size()).append('\n');
        if (result.sbom() != null) {
            BuildResult.Sbom sbom = result.sbom();
            text.append("referrer=").append(sbom.referrer()).append("\nreferrerSize=").append(sbom.referrerSize())
                    .append("\nsbom=").append(sbom.digest()).append("\nsbomSize=").append(sbom.size()).append('\n');
        }
        if (reasons != null) {
            text.append("settings=").append(reasons.settings()).append('\n');
        }
        for (int i = 0; i < result.layers().size(); i++) {
            BuildResult.Layer layer = result.layers().get(i);
            String key = "layer." + (i + 1) + ".";
            text.append(key).append("name=");
            escape(layer.name(), text);
            text.append('\n')
                    .append(key).append("fingerprint=")
                    .append(fingerprints.racy().get(i) ? RACY : fingerprints.layers().get(i)).append('\n')
                    .append(key).append("digest=").append(layer.digest()).append('\n')
                    .append(key).append("size=").append(layer.size()).append('\n')
                    .append(key).append("diffId=").append(layer.diffId()).append('\n')
                    .append(key).append("entries=").append(layer.entries()).append('\n');
            if (reasons != null) {
                text.append(key).append("listing=").append(reasons.listings().get(i)).append('\n');
            }
        }
        return text.toString();
    }

    /**
     * Writes {@code value} so that {@link Properties#load} reads it back as it is: any character but
     * {@code [A-Za-z0-9._-]} as a backslash-u escape.
     */
    private static void escape(String value, StringBuilder text) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
                    || c == '-') {
                text.append(c);
            } else {
                text.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            }
        }
    }

    private static Path stateFile(Path layout) {
        Path dir = layout.toAbsolutePath().normalize();
        return dir.resolveSibling("." + dir.getFileName() + ".scratch-state");
    }
}
