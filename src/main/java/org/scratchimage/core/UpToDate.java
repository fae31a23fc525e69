package org.scratchimage.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.scratchimage.core.compress.DigestingOutputStream;
import org.scratchimage.core.image.DirectoryEntry;
import org.scratchimage.core.image.FileStamp;
import org.scratchimage.core.image.ImageLayer;
import org.scratchimage.core.image.ImagePlan;
import org.scratchimage.core.image.LayerEntry;
import org.scratchimage.core.image.RegularFileEntry;
import org.scratchimage.core.image.SymlinkEntry;

/**
 * Decides that nothing changed since the last build, so that the build can stop at once.
 *
 * <p>The fingerprint covers the plugin version, the whole validated plan (every setting that reaches the image)
 * and, for each source file, what git's index records to notice a change: size, mtime, ctime and inode. ctime
 * cannot be set back by a user, so content rewritten with the same size and mtime still counts as a change.
 * File contents are not read: that is what makes the check fast.
 *
 * <p>Each layer has a fingerprint of its own, of the settings that reach its bytes and of its entries. A layer whose
 * fingerprint did not change since the last build is taken from the layout as it is, without being written again.
 *
 * <p>The state is kept in {@code .<name>.scratch-state} beside the layout folder, written after each commit,
 * with the fingerprints, the SHA-256 of {@code index.json} and the digests and sizes of the blobs. The layout counts
 * as intact when {@code index.json} has that hash, the folder holds nothing else than the layout and the blobs are
 * there with their sizes. No JSON is parsed: a build with nothing to do stays short.
 */
final class UpToDate {
    private static final String DIGEST = "sha256:[a-f0-9]{64}";
    /** Recorded in place of a fingerprint that cannot be trusted yet. */
    private static final String RACY = "racy";

    private UpToDate() {}

    /**
     * How close to the planning a source may have changed and still be trusted by its stamp. A file system stamps
     * times from a clock that ticks every few milliseconds (a jiffy); a file rewritten twice within one tick, once
     * before it was stamped and once after, keeps its mtime and ctime. As git does with "racily clean" entries,
     * a layer holding a source changed that recently is written but not recorded as reusable, and the image not as
     * up to date: the next build looks again, when the tick has long passed.
     */
    static final long RACY_MILLIS = 100;

    /**
     * @param image the fingerprint of everything the image is built from
     * @param layers the fingerprint of each layer of the plan, in order
     * @param racy for each layer, whether one of its sources changed too close to the planning to be trusted
     */
    record Fingerprints(String image, List<String> layers, List<Boolean> racy) {

        /** @return whether some layer is racy, so that the image must not be recorded as up to date */
        boolean anyRacy() {
            return racy.contains(Boolean.TRUE);
        }
    }

    /**
     * @param plannedAt when the planning started, in milliseconds since the epoch, before any source was stamped
     * @return the fingerprints of the image and of each of its layers
     */
    static Fingerprints fingerprint(ImagePlan plan, long plannedAt) throws IOException {
        // What reaches every layer's bytes: the tar mtimes and the codec.
        String layerSettings = "scratch " + ImageBuilder.VERSION + ' ' + codeStamp() + '\n' + plan.created() + '\n'
                + plan.compression() + ' ' + plan.compressionLevel() + '\n';
        MessageDigest image = DigestingOutputStream.newSha256();
        update(image, layerSettings + plan.image() + '\n' + plan.tags() + '\n' + plan.platform() + '\n'
                + plan.config() + '\n' + plan.annotations() + '\n');
        List<String> layers = new ArrayList<>();
        List<Boolean> racy = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (ImageLayer layer : plan.layers()) {
            MessageDigest sha = DigestingOutputStream.newSha256();
            update(sha, layerSettings);
            boolean recent = false;
            for (LayerEntry entry : layer.entries()) {
                text.setLength(0);
                FileStamp stamp = entry instanceof RegularFileEntry file ? stampOf(file) : null;
                recent |= stamp != null && stamp.changedSince(plannedAt - RACY_MILLIS);
                describe(entry, stamp, text);
                update(sha, text);
            }
            racy.add(recent);
            String fingerprint = HexFormat.of().formatHex(sha.digest());
            layers.add(fingerprint);
            update(image, "layer " + layer.name() + ' ' + fingerprint + '\n');
        }
        return new Fingerprints(HexFormat.of().formatHex(image.digest()), layers, racy);
    }

    /**
     * The size and mtime of the plugin's own jar: a SNAPSHOT rebuilt under the same version may write other bytes,
     * so its new jar must not find the layers and states of the old one. One stat; empty if the code has no file.
     */
    private static String codeStamp() {
        try {
            java.security.CodeSource source = UpToDate.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return "";
            }
            BasicFileAttributes code = Files.readAttributes(Path.of(source.getLocation().toURI()),
                    BasicFileAttributes.class);
            return code.size() + "@" + code.lastModifiedTime().toMillis();
        } catch (IOException | java.net.URISyntaxException | IllegalArgumentException
                | java.nio.file.FileSystemNotFoundException | SecurityException e) {
            // Unknown: the version alone decides, as before.
            return "";
        }
    }

    /** @param stamp the stamp of a regular file's source, {@code null} for other entries */
    private static void describe(LayerEntry entry, FileStamp stamp, StringBuilder text) {
        text.append(entry.getClass().getSimpleName()).append(' ').append(entry.path()).append(' ')
                .append(Integer.toOctalString(entry.mode())).append(' ').append(entry.uid()).append(':')
                .append(entry.gid());
        if (entry instanceof SymlinkEntry link) {
            text.append(" -> ").append(link.target());
        } else if (entry instanceof RegularFileEntry file) {
            text.append(" < ").append(file.source().toAbsolutePath()).append(' ').append(stamp.describe());
        } else if (!(entry instanceof DirectoryEntry)) {
            throw new IllegalStateException("unknown entry " + entry);
        }
        text.append('\n');
    }

    /** What git's index records of a source to notice a change: size, mtime, ctime, inode and device. */
    private static FileStamp stampOf(RegularFileEntry file) throws IOException {
        // Stamped when the plan was made: no second stat per file.
        return file.stamp() != null ? file.stamp() : FileStamp.read(file.source(), file.followLinks());
    }

    private static void update(MessageDigest sha, CharSequence text) {
        sha.update(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The layout as it is on disk.
     *
     * @param manifestDigest the image's manifest
     * @param configDigest its config
     * @param layers its layers, bottom first, each with its fingerprint
     */
    record Current(String manifestDigest, String configDigest, List<Recorded> layers) {}

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
            Current current = new Current(digest(state, "manifest"), digest(state, "config"), layers(state));
            Set<String> blobs = new HashSet<>();
            blobs.add(current.manifestDigest().substring(7));
            blobs.add(current.configDigest().substring(7));
            for (Recorded recorded : current.layers()) {
                blobs.add(recorded.layer().digest().substring(7));
            }
            byte[] index = Files.readAllBytes(layout.resolve("index.json"));
            // Leftovers of a build that died (a staging folder, blobs nothing references) are cleaned by a build.
            if (!DigestingOutputStream.digestOf(index).equals(state.getProperty("index"))
                    || !names(layout).equals(Set.of("oci-layout", "index.json", "blobs"))
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

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    /** Records the state of a layout just committed; written atomically, like the index. */
    static void record(Path layout, Fingerprints fingerprints, BuildResult result, long manifestSize, long configSize)
            throws IOException {
        byte[] index = Files.readAllBytes(layout.resolve("index.json"));
        StringBuilder text = new StringBuilder();
        // A racy layer is written down without its fingerprint: its blob is right, but a later change to one of its
        // sources might not show in their stamps, so neither it nor the whole image may be taken as unchanged.
        text.append("fingerprint=").append(fingerprints.anyRacy() ? RACY : fingerprints.image())
                .append("\nindex=").append(DigestingOutputStream.digestOf(index))
                .append("\nmanifest=").append(result.manifestDigest()).append("\nmanifestSize=").append(manifestSize)
                .append("\nconfig=").append(result.configDigest()).append("\nconfigSize=").append(configSize)
                .append("\nlayers=").append(result.layers().size()).append('\n');
        for (int i = 0; i < result.layers().size(); i++) {
            BuildResult.Layer layer = result.layers().get(i);
            String key = "layer." + (i + 1) + ".";
            text.append(key).append("name=").append(layer.name()).append('\n')
                    .append(key).append("fingerprint=")
                    .append(fingerprints.racy().get(i) ? RACY : fingerprints.layers().get(i)).append('\n')
                    .append(key).append("digest=").append(layer.digest()).append('\n')
                    .append(key).append("size=").append(layer.size()).append('\n')
                    .append(key).append("diffId=").append(layer.diffId()).append('\n')
                    .append(key).append("entries=").append(layer.entries()).append('\n');
        }
        Path state = stateFile(layout);
        Path temp = Files.createTempFile(state.getParent(), state.getFileName().toString(), ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, state, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Path stateFile(Path layout) {
        Path dir = layout.toAbsolutePath().normalize();
        return dir.resolveSibling("." + dir.getFileName() + ".scratch-state");
    }
}
