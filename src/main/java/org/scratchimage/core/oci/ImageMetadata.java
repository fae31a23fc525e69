package org.scratchimage.core.oci;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code target/scratch-image.json}: what other tools of a CI job (a deploy step, a signer, an SBOM attester) need to
 * know of the image without reading the layout, and where it was pushed:
 * {@code {"image":…,"tags":[…],"digest":…,"platform":…,"pushed":["reference@digest",…]}}.
 *
 * <p>Keys in that fixed order, compact, one trailing newline. Written atomically (a temporary file renamed over
 * the old one), so a reader never sees half a file. Every goal that knows the image writes it through this class.
 *
 * @param image the image name, without a tag
 * @param tags its tags, in the layout's order
 * @param digest the manifest digest
 * @param platform {@code os/arch[/variant]}, or {@code null} if the layout gives none (then left out)
 * @param pushed {@code registry/repository:tag@digest} for each reference pushed, oldest first; empty before a push
 */
public record ImageMetadata(String image, List<String> tags, String digest, String platform, List<String> pushed) {
    /** The file's name in {@code ${project.build.directory}}. */
    public static final String FILE_NAME = "scratch-image.json";

    public ImageMetadata {
        tags = List.copyOf(tags);
        pushed = List.copyOf(pushed);
    }

    /**
     * @param added references pushed now, as {@code reference@digest}
     * @param previous what the file held before, if anything: its pushed references are kept when it describes the
     *     same manifest, so that pushes to two registries in two runs both show
     * @return this image with both
     */
    public ImageMetadata withPushed(List<String> added, Optional<ImageMetadata> previous) {
        LinkedHashSet<String> all = new LinkedHashSet<>();
        if (previous.isPresent() && previous.get().digest().equals(digest)) {
            all.addAll(previous.get().pushed());
        }
        all.addAll(pushed);
        all.addAll(added);
        return new ImageMetadata(image, tags, digest, platform, new ArrayList<>(all));
    }

    /** @return the file's bytes */
    public byte[] toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("image", image);
        json.put("tags", tags);
        json.put("digest", digest);
        if (platform != null) {
            json.put("platform", platform);
        }
        json.put("pushed", pushed);
        byte[] compact = JsonText.write(json);
        byte[] bytes = new byte[compact.length + 1];
        System.arraycopy(compact, 0, bytes, 0, compact.length);
        bytes[compact.length] = '\n';
        return bytes;
    }

    /**
     * @return what the file holds, or empty if there is none, or it is not a file this class wrote (it is then
     *     replaced as a whole)
     */
    public static Optional<ImageMetadata> read(Path file) throws IOException {
        byte[] bytes;
        try {
            if (Files.size(file) > 1024 * 1024) {
                return Optional.empty();
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        Object json;
        try {
            json = JsonReader.parse(bytes);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (!(json instanceof Map<?, ?> map)) {
            return Optional.empty();
        }
        List<String> tags = strings(map.get("tags"));
        List<String> pushed = map.containsKey("pushed") ? strings(map.get("pushed")) : List.of();
        String digest = JsonReader.string(map, "digest");
        if (tags == null || pushed == null || digest.isEmpty()) {
            return Optional.empty();
        }
        String platform = JsonReader.string(map, "platform");
        return Optional.of(new ImageMetadata(JsonReader.string(map, "image"), tags, digest,
                platform.isEmpty() ? null : platform, pushed));
    }

    /** Replaces {@code file} atomically, creating its folder if needed. */
    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(toJson());
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            // In the same folder, so the rename never crosses file systems.
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static List<String> strings(Object json) {
        if (!(json instanceof List<?> list)) {
            return null;
        }
        List<String> strings = new ArrayList<>();
        for (Object element : list) {
            if (!(element instanceof String s)) {
                return null;
            }
            strings.add(s);
        }
        return strings;
    }
}
