package org.scratchimage.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.scratchimage.core.compress.DigestingOutputStream;
import org.scratchimage.core.image.DirectoryEntry;
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
 * <p>The state is kept in {@code .<name>.scratch-state} beside the layout folder, written after each commit,
 * with the fingerprint, the SHA-256 of {@code index.json} and the digests and sizes of the three blobs. The
 * layout counts as intact when {@code index.json} has that hash, the folder holds nothing else than the layout
 * and the blobs are there with their sizes. No JSON is parsed: a build with nothing to do stays short.
 */
final class UpToDate {
    private UpToDate() {}

    /** @return the fingerprint of everything the image is built from */
    static String fingerprint(ImagePlan plan) throws IOException {
        MessageDigest sha = DigestingOutputStream.newSha256();
        StringBuilder text = new StringBuilder();
        text.append("scratch ").append(ImageBuilder.VERSION).append('\n')
                .append(plan.image()).append('\n').append(plan.tags()).append('\n')
                .append(plan.platform()).append('\n').append(plan.created()).append('\n')
                .append(plan.compression()).append(' ').append(plan.compressionLevel()).append('\n')
                .append(plan.config()).append('\n').append(plan.annotations()).append('\n');
        update(sha, text);
        for (LayerEntry entry : plan.entries()) {
            text.setLength(0);
            text.append(entry.getClass().getSimpleName()).append(' ').append(entry.path()).append(' ')
                    .append(Integer.toOctalString(entry.mode())).append(' ').append(entry.uid()).append(':')
                    .append(entry.gid());
            if (entry instanceof SymlinkEntry link) {
                text.append(" -> ").append(link.target());
            } else if (entry instanceof RegularFileEntry file) {
                LinkOption[] options = file.followLinks() ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
                Map<String, Object> unix = Files.readAttributes(file.source(), "unix:ino,dev,ctime,lastModifiedTime,size", options);
                text.append(" < ").append(file.source().toAbsolutePath()).append(" size=").append(unix.get("size"))
                        .append(" mtime=").append(nanos(unix.get("lastModifiedTime")))
                        .append(" ctime=").append(nanos(unix.get("ctime")))
                        .append(" ino=").append(unix.get("ino")).append(" dev=").append(unix.get("dev"));
            } else if (!(entry instanceof DirectoryEntry)) {
                throw new IllegalStateException("unknown entry " + entry);
            }
            text.append('\n');
            update(sha, text);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static Object nanos(Object time) {
        FileTime fileTime = (FileTime) time;
        return fileTime.toInstant().getEpochSecond() + "." + fileTime.toInstant().getNano();
    }

    private static void update(MessageDigest sha, CharSequence text) {
        sha.update(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The layout as it is on disk.
     *
     * @param manifestDigest the image's manifest
     * @param configDigest its config
     * @param layerDigest its layer as stored
     * @param layerSize the layer's size
     * @param diffId the layer's diff_id
     */
    record Current(String manifestDigest, String configDigest, String layerDigest, long layerSize, String diffId) {}

    /**
     * @return the layout, if it is intact and was built from {@code fingerprint}; decided from the recorded state,
     *     the hash of {@code index.json}, a listing of the folder and the blobs' sizes, without parsing JSON
     */
    static Optional<Current> check(Path layout, String fingerprint) throws IOException {
        Properties state = new Properties();
        try (var in = Files.newInputStream(stateFile(layout))) {
            state.load(in);
        } catch (FileSystemException e) {
            // No state, or a path that cannot hold one: not up to date; the build itself reports what is wrong.
            return Optional.empty();
        }
        if (!fingerprint.equals(state.getProperty("fingerprint"))) {
            return Optional.empty();
        }
        Current current;
        try {
            current = new Current(digest(state, "manifest"), digest(state, "config"), digest(state, "layer"),
                    Long.parseLong(state.getProperty("layerSize")), digest(state, "diffId"));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        try {
            byte[] index = Files.readAllBytes(layout.resolve("index.json"));
            // Leftovers of a build that died (a staging folder, blobs nothing references) are cleaned by a build.
            if (!DigestingOutputStream.digestOf(index).equals(state.getProperty("index"))
                    || !names(layout).equals(Set.of("oci-layout", "index.json", "blobs"))
                    || !names(layout.resolve("blobs")).equals(Set.of("sha256"))
                    || !names(layout.resolve("blobs/sha256")).equals(Set.of(current.manifestDigest().substring(7),
                            current.configDigest().substring(7), current.layerDigest().substring(7)))
                    || size(layout, current.manifestDigest()) != Long.parseLong(state.getProperty("manifestSize", "-1"))
                    || size(layout, current.configDigest()) != Long.parseLong(state.getProperty("configSize", "-1"))
                    || size(layout, current.layerDigest()) != current.layerSize()) {
                return Optional.empty();
            }
            return Optional.of(current);
        } catch (FileSystemException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String digest(Properties state, String key) {
        String value = state.getProperty(key);
        if (value == null || !value.matches("sha256:[a-f0-9]{64}")) {
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
    static void record(Path layout, String fingerprint, BuildResult result, long manifestSize, long configSize)
            throws IOException {
        byte[] index = Files.readAllBytes(layout.resolve("index.json"));
        String text = "fingerprint=" + fingerprint
                + "\nindex=" + DigestingOutputStream.digestOf(index)
                + "\nmanifest=" + result.manifestDigest() + "\nmanifestSize=" + manifestSize
                + "\nconfig=" + result.configDigest() + "\nconfigSize=" + configSize
                + "\nlayer=" + result.layerDigest() + "\nlayerSize=" + result.layerSize()
                + "\ndiffId=" + result.diffId() + "\n";
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
