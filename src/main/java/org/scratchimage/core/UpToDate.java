package org.scratchimage.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
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
 * with the fingerprint, the manifest digest and the SHA-256 of {@code index.json}. The layout counts as intact
 * when {@code index.json} has that hash and the manifest, config and layer blobs it names are present with
 * their recorded sizes.
 */
final class UpToDate {
    private static final ObjectMapper JSON = new ObjectMapper();

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

    /** @return the layout, if it is intact and was built from {@code fingerprint} */
    static Optional<Current> check(Path layout, String fingerprint) throws IOException {
        Properties state = new Properties();
        try (var in = Files.newInputStream(stateFile(layout))) {
            state.load(in);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (!fingerprint.equals(state.getProperty("fingerprint"))) {
            return Optional.empty();
        }
        try {
            byte[] index = Files.readAllBytes(layout.resolve("index.json"));
            if (!DigestingOutputStream.digestOf(index).equals(state.getProperty("index"))) {
                return Optional.empty();
            }
            String manifestDigest = state.getProperty("manifest");
            JsonNode manifest = JSON.readTree(blob(layout, manifestDigest));
            JsonNode layers = manifest.path("layers");
            if (!present(layout, manifest.path("config")) || layers.size() != 1 || !present(layout, layers.get(0))) {
                return Optional.empty();
            }
            String configDigest = manifest.path("config").path("digest").asText();
            String layerDigest = layers.get(0).path("digest").asText();
            // Leftovers of a build that died (a staging folder, blobs nothing references) are cleaned by a build.
            if (!names(layout).equals(Set.of("oci-layout", "index.json", "blobs"))
                    || !names(layout.resolve("blobs/sha256")).equals(Set.of(manifestDigest.substring(7),
                            configDigest.substring(7), layerDigest.substring(7)))) {
                return Optional.empty();
            }
            JsonNode config = JSON.readTree(blob(layout, configDigest));
            return Optional.of(new Current(manifestDigest, configDigest, layerDigest,
                    layers.get(0).path("size").asLong(), config.path("rootfs").path("diff_ids").path(0).asText()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    private static boolean present(Path layout, JsonNode descriptor) throws IOException {
        String digest = descriptor.path("digest").asText();
        if (!digest.matches("sha256:[a-f0-9]{64}")) {
            return false;
        }
        Path file = layout.resolve("blobs/sha256").resolve(digest.substring(7));
        return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) == descriptor.path("size").asLong(-1);
    }

    private static byte[] blob(Path layout, String digest) throws IOException {
        if (digest == null || !digest.matches("sha256:[a-f0-9]{64}")) {
            throw new NoSuchFileException(String.valueOf(digest));
        }
        return Files.readAllBytes(layout.resolve("blobs/sha256").resolve(digest.substring(7)));
    }

    /** Records the state of a layout just committed; written atomically, like the index. */
    static void record(Path layout, String fingerprint, String manifestDigest) throws IOException {
        byte[] index = Files.readAllBytes(layout.resolve("index.json"));
        String text = "fingerprint=" + fingerprint + "\nmanifest=" + manifestDigest + "\nindex="
                + DigestingOutputStream.digestOf(index) + "\n";
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
