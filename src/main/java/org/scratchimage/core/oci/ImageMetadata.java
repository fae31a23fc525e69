package org.scratchimage.core.oci;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code target/scratch-image.json}: what other tools of a CI job (a deploy step, a signer, an SBOM attester) need to
 * know of the image without reading the layout, and where it was pushed:
 * {@code {"image":…,"tags":[…],"digest":…,"platform":…,"layers":[{"name":…,"digest":…,"size":…,"diff_id":…}],
 * "archive":…,"pushed":["reference@digest",…]}}.
 *
 * <p>For a multi-platform image, {@code digest} is the image index's, {@code platform} and {@code layers} are left
 * out, and {@code "manifests":[{"platform":…,"digest":…,"layers":[…]},…]} (one per platform, in the index's order)
 * comes where {@code layers} would be. A single-platform image has no {@code manifests} key.
 *
 * <p>Keys in that fixed order, compact, one trailing newline; {@code platform} and {@code archive} are left out when
 * unknown. Written atomically (a temporary file renamed over the old one), so a reader never sees half a file.
 * {@code scratch:build} writes it on every build, {@code scratch:push} after every push; each keeps what the other
 * recorded of the same manifest. {@code scratch-image.digest} beside it holds the digest alone.
 *
 * @param image the image name, without a tag
 * @param tags its tags, in the layout's order
 * @param digest the manifest digest, or the image index's for a multi-platform image
 * @param platform {@code os/arch[/variant]}, or {@code null} if the layout gives none or the image is multi-platform
 *     (then left out)
 * @param layers the layers, bottom first; empty for a multi-platform image (then left out)
 * @param manifests each platform's manifest of a multi-platform image, in the index's order; empty for a
 *     single-platform one (then left out)
 * @param archive the absolute path of the archive the build wrote of this image, or {@code null} (then left out)
 * @param pushed {@code registry/repository:tag@digest} for each reference pushed, oldest first; empty before a push
 */
public record ImageMetadata(String image, List<String> tags, String digest, String platform, List<Layer> layers,
        List<Manifest> manifests, String archive, List<String> pushed) {
    /** The file's name in {@code ${project.build.directory}}. */
    public static final String FILE_NAME = "scratch-image.json";
    /** The name of the file beside it that holds the manifest digest and a newline. */
    public static final String DIGEST_FILE_NAME = "scratch-image.digest";

    public ImageMetadata {
        tags = List.copyOf(tags);
        layers = List.copyOf(layers);
        manifests = List.copyOf(manifests);
        pushed = List.copyOf(pushed);
    }

    /**
     * A single-platform image.
     *
     * @param image the image name, without a tag
     * @param tags its tags, in the layout's order
     * @param digest the manifest digest
     * @param platform {@code os/arch[/variant]}, or {@code null} if the layout gives none (then left out)
     * @param layers the layers, bottom first
     * @param archive the absolute path of the archive the build wrote of this image, or {@code null}
     * @param pushed {@code registry/repository:tag@digest} for each reference pushed, oldest first
     */
    public ImageMetadata(String image, List<String> tags, String digest, String platform, List<Layer> layers,
            String archive, List<String> pushed) {
        this(image, tags, digest, platform, layers, List.of(), archive, pushed);
    }

    /**
     * One layer, as the manifest and the config give it.
     *
     * @param name the layer's name (the config's history comment), or {@code ""} if it has none
     * @param digest the digest of the blob
     * @param size the size of the blob
     * @param diffId the sha256 of the uncompressed tar
     */
    public record Layer(String name, String digest, long size, String diffId) {}

    /**
     * One platform's image manifest in a multi-platform image.
     *
     * @param platform {@code os/arch[/variant]}, as the index's descriptor gives it
     * @param digest the manifest digest
     * @param layers its layers, bottom first
     */
    public record Manifest(String platform, String digest, List<Layer> layers) {
        public Manifest {
            layers = List.copyOf(layers);
        }
    }

    /**
     * What a build writes: this image, with the references an earlier push recorded for the same manifest, so that a
     * rebuild of the same image does not forget where it went.
     *
     * @param previous what the file held before, if anything
     * @return this image, with the previous pushed references when {@code previous} describes the same manifest
     */
    public ImageMetadata afterBuild(Optional<ImageMetadata> previous) {
        if (previous.isEmpty() || !previous.get().digest().equals(digest)) {
            return this;
        }
        return new ImageMetadata(image, tags, digest, platform, layers, manifests, archive, previous.get().pushed());
    }

    /**
     * What a push writes.
     *
     * @param added references pushed now, as {@code reference@digest}
     * @param previous what the file held before, if anything: its pushed references, and the archive the build
     *     recorded, are kept when it describes the same manifest, so that pushes to two registries in two runs both
     *     show
     * @return this image with both
     */
    public ImageMetadata withPushed(List<String> added, Optional<ImageMetadata> previous) {
        LinkedHashSet<String> all = new LinkedHashSet<>();
        String keptArchive = archive;
        if (previous.isPresent() && previous.get().digest().equals(digest)) {
            all.addAll(previous.get().pushed());
            if (keptArchive == null) {
                keptArchive = previous.get().archive();
            }
        }
        all.addAll(pushed);
        all.addAll(added);
        return new ImageMetadata(image, tags, digest, platform, layers, manifests, keptArchive,
                new ArrayList<>(all));
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
        // A single-platform image always has its layers key, as before manifests existed.
        if (manifests.isEmpty() || !layers.isEmpty()) {
            json.put("layers", layersJson(layers));
        }
        if (!manifests.isEmpty()) {
            List<Object> manifestList = new ArrayList<>();
            for (Manifest manifest : manifests) {
                Map<String, Object> entry = new LinkedHashMap<>();
                if (manifest.platform() != null) {
                    entry.put("platform", manifest.platform());
                }
                entry.put("digest", manifest.digest());
                entry.put("layers", layersJson(manifest.layers()));
                manifestList.add(entry);
            }
            json.put("manifests", manifestList);
        }
        if (archive != null) {
            json.put("archive", archive);
        }
        json.put("pushed", pushed);
        return withNewline(JsonText.write(json));
    }

    private static List<Object> layersJson(List<Layer> layers) {
        List<Object> layerList = new ArrayList<>();
        for (Layer layer : layers) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", layer.name());
            entry.put("digest", layer.digest());
            entry.put("size", layer.size());
            entry.put("diff_id", layer.diffId());
            layerList.add(entry);
        }
        return layerList;
    }

    /**
     * The layers of an image as the layout holds them.
     *
     * @param layers the manifest's layer descriptors, bottom first
     * @param config the image config's bytes: its {@code rootfs.diff_ids}, and the {@code comment} of each
     *     {@code history} entry, which {@code scratch:build} sets to the layer's name
     * @return the layers; a diff_id or name the config lacks is {@code ""}
     * @throws IOException if the config is not JSON
     */
    public static List<Layer> layers(List<Descriptor> layers, byte[] config) throws IOException {
        Object json = JsonReader.parse(config);
        Object rootfs = json instanceof Map<?, ?> map ? map.get("rootfs") : null;
        List<?> diffIds = rootfs instanceof Map<?, ?> r && r.get("diff_ids") instanceof List<?> l ? l : List.of();
        List<?> history = json instanceof Map<?, ?> map && map.get("history") instanceof List<?> h ? h : List.of();
        List<Layer> result = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Descriptor layer = layers.get(i);
            String diffId = i < diffIds.size() && diffIds.get(i) instanceof String s ? s : "";
            String name = i < history.size() ? JsonReader.string(history.get(i), "comment") : "";
            result.add(new Layer(name, layer.digest(), layer.size(), diffId));
        }
        return result;
    }

    /**
     * @return what the file holds, or empty if there is none, or it is not a file this class wrote (it is then
     *     replaced as a whole)
     */
    public static Optional<ImageMetadata> read(Path file) throws IOException {
        byte[] bytes = bytesOf(file);
        return bytes == null ? Optional.empty() : parse(bytes);
    }

    /** @return what {@code bytes} hold, or empty if they are not what this class writes */
    public static Optional<ImageMetadata> parse(byte[] bytes) {
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
        List<Layer> layers = map.containsKey("layers") ? layers(map.get("layers")) : List.of();
        List<Manifest> manifests = map.containsKey("manifests") ? manifests(map.get("manifests")) : List.of();
        String digest = JsonReader.string(map, "digest");
        if (tags == null || pushed == null || layers == null || manifests == null || digest.isEmpty()) {
            return Optional.empty();
        }
        String platform = JsonReader.string(map, "platform");
        String archive = JsonReader.string(map, "archive");
        return Optional.of(new ImageMetadata(JsonReader.string(map, "image"), tags, digest,
                platform.isEmpty() ? null : platform, layers, manifests, archive.isEmpty() ? null : archive, pushed));
    }

    /**
     * @return the bytes of a file this class or {@link #writeDigest} may have written, or {@code null} if there is
     *     none or it is too large to be one
     */
    public static byte[] bytesOf(Path file) throws IOException {
        try {
            if (Files.size(file) > 1024 * 1024) {
                return null;
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Replaces {@code file} atomically, creating its folder if needed. */
    public void write(Path file) throws IOException {
        AtomicFile.write(file, toJson());
    }

    /** @return the bytes of {@code scratch-image.digest}: the digest and a newline */
    public byte[] digestFile() {
        return withNewline(digest.getBytes(StandardCharsets.US_ASCII));
    }

    /** Replaces {@code file}, {@code scratch-image.digest}, atomically with {@link #digestFile()}. */
    public void writeDigest(Path file) throws IOException {
        AtomicFile.write(file, digestFile());
    }

    private static byte[] withNewline(byte[] content) {
        byte[] bytes = new byte[content.length + 1];
        System.arraycopy(content, 0, bytes, 0, content.length);
        bytes[content.length] = '\n';
        return bytes;
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

    private static List<Layer> layers(Object json) {
        if (!(json instanceof List<?> list)) {
            return null;
        }
        List<Layer> layers = new ArrayList<>();
        for (Object element : list) {
            if (!(element instanceof Map<?, ?> map) || !(map.get("size") instanceof BigDecimal size)) {
                return null;
            }
            layers.add(new Layer(JsonReader.string(map, "name"), JsonReader.string(map, "digest"), size.longValue(),
                    JsonReader.string(map, "diff_id")));
        }
        return layers;
    }

    private static List<Manifest> manifests(Object json) {
        if (!(json instanceof List<?> list)) {
            return null;
        }
        List<Manifest> manifests = new ArrayList<>();
        for (Object element : list) {
            if (!(element instanceof Map<?, ?> map)) {
                return null;
            }
            List<Layer> layers = layers(map.get("layers"));
            String digest = JsonReader.string(map, "digest");
            if (layers == null || digest.isEmpty()) {
                return null;
            }
            String platform = JsonReader.string(map, "platform");
            manifests.add(new Manifest(platform.isEmpty() ? null : platform, digest, layers));
        }
        return manifests;
    }
}
