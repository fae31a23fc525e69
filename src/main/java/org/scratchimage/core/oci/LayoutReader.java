package org.scratchimage.core.oci;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.scratchimage.core.compress.DigestingOutputStream;
import org.scratchimage.core.image.Platform;

/**
 * Reads a committed OCI image layout, as {@code scratch:build} writes it, for pushing: the images that
 * {@code index.json} lists, with their manifests' exact bytes, configs and layers, or the image index of a
 * multi-platform build, with its exact bytes and each platform's image.
 *
 * <p>The small blobs (manifests and configs) are read whole and checked against their digests, since their bytes go
 * to the registry as they are. Layers are only checked to exist with their sizes: the registry client checks their
 * digests while it streams them, so they are read once, not twice.
 */
public final class LayoutReader {
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
    /** The registries' limit for a manifest; a config is far smaller. A larger document is not read whole. */
    private static final long MAX_DOCUMENT = 4L * 1024 * 1024;
    private static final String REBUILD = "delete the folder and run scratch:build again";

    private final Path directory;
    private final Path blobs;

    private LayoutReader(Path directory) {
        this.directory = directory;
        this.blobs = directory.resolve("blobs").resolve("sha256");
    }

    /**
     * @param directory the layout folder
     * @return its images
     * @throws UnusableLayoutException if there is no layout, or it is damaged: a blob missing, of the wrong size or
     *     (for a manifest or config) with bytes that do not match its digest, or a document that is not what a layout
     *     holds
     * @throws IOException if a file cannot be read
     */
    public static LayoutContents read(Path directory) throws UnusableLayoutException, IOException {
        return read(directory, false);
    }

    /**
     * Reads only the images of a layout: entries of {@code index.json} that are no image a runtime can load are passed
     * over instead of refused: other media types, image manifests of referrers, which name a {@code subject} or an
     * {@code artifactType}, or whose config or layers are not an image's, and image indexes that list anything but
     * such images.
     *
     * @param directory the layout folder
     * @return its images
     * @throws UnusableLayoutException as {@link #read(Path)}, or if {@code index.json} lists no image at all
     * @throws IOException if a file cannot be read
     */
    public static LayoutContents readImages(Path directory) throws UnusableLayoutException, IOException {
        return read(directory, true);
    }

    private static LayoutContents read(Path directory, boolean imagesOnly) throws UnusableLayoutException, IOException {
        Path dir = directory.toAbsolutePath().normalize();
        Path index = dir.resolve("index.json");
        if (!Files.isRegularFile(index)) {
            throw new UnusableLayoutException(dir, "No image layout in " + dir + (Files.isDirectory(dir)
                    ? ": it has no index.json" : ": the folder does not exist"),
                    "run scratch:build first, such as mvn package scratch:push, or bind it to the package phase");
        }
        return new LayoutReader(dir).readIndex(index, imagesOnly);
    }

    private LayoutContents readIndex(Path index, boolean imagesOnly) throws UnusableLayoutException, IOException {
        Object json = parse(document(index, -1), "index.json");
        List<?> manifests = json instanceof Map<?, ?> map && map.get("manifests") instanceof List<?> list ? list : null;
        if (manifests == null || manifests.isEmpty()) {
            throw damaged("index.json lists no image");
        }
        Map<String, LayoutEntry> entries = new LinkedHashMap<>();
        Map<String, List<String>> names = new LinkedHashMap<>();
        Set<String> skipped = new HashSet<>();
        Map<String, LayoutReferrer> referrers = new LinkedHashMap<>();
        for (Object entry : manifests) {
            Descriptor descriptor = descriptor(entry, "index.json");
            if (referrers.containsKey(descriptor.digest()) || skipped.contains(descriptor.digest())) {
                continue;
            }
            boolean isIndex = MediaTypes.INDEX.equals(descriptor.mediaType());
            if (!imagesOnly && MediaTypes.MANIFEST.equals(descriptor.mediaType())
                    && !entries.containsKey(descriptor.digest())) {
                LayoutReferrer referrer = referrer(descriptor);
                if (referrer != null) {
                    referrers.put(descriptor.digest(), referrer);
                    continue;
                }
            }
            if (imagesOnly && !isIndex && !MediaTypes.MANIFEST.equals(descriptor.mediaType())) {
                continue;
            }
            if (!isIndex && !MediaTypes.MANIFEST.equals(descriptor.mediaType())) {
                throw damaged("index.json lists " + descriptor.digest() + " of media type \"" + descriptor.mediaType()
                        + "\", where scratch:push takes only image manifests (" + MediaTypes.MANIFEST + ") and image"
                        + " indexes (" + MediaTypes.INDEX + ")");
            }
            LayoutEntry read = entries.get(descriptor.digest());
            if (read == null) {
                read = isIndex ? imageIndex(descriptor, imagesOnly)
                        : image(descriptor, platform(entry), imagesOnly, "index.json");
                if (read == null) {
                    skipped.add(descriptor.digest());
                    continue;
                }
                entries.put(descriptor.digest(), read);
                names.put(descriptor.digest(), new ArrayList<>());
            } else if (read.manifest().size() != descriptor.size()
                    || !read.manifest().mediaType().equals(descriptor.mediaType())) {
                throw damaged("index.json gives " + descriptor.digest() + " two sizes or media types");
            }
            Object annotations = entry instanceof Map<?, ?> map ? map.get("annotations") : null;
            String name = JsonReader.string(annotations, OciJson.CONTAINERD_NAME);
            if (!name.isEmpty() && !names.get(descriptor.digest()).contains(name)) {
                names.get(descriptor.digest()).add(name);
            }
        }
        if (entries.isEmpty()) {
            throw damaged("index.json lists no image manifest (" + MediaTypes.MANIFEST + ") or image index ("
                    + MediaTypes.INDEX + ")");
        }
        List<LayoutEntry> result = new ArrayList<>();
        Map<String, LayoutImage> images = new LinkedHashMap<>();
        for (LayoutEntry entry : entries.values()) {
            List<String> entryNames = names.get(entry.manifest().digest());
            result.add(entry instanceof LayoutImage image
                    ? new LayoutImage(image.manifest(), image.manifestBytes(), image.config(), image.layers(),
                            image.platform(), entryNames)
                    : new LayoutIndex(entry.manifest(), entry.manifestBytes(), entry.images(), entryNames));
            entry.images().forEach(image -> images.putIfAbsent(image.manifest().digest(), image));
        }
        for (LayoutReferrer referrer : referrers.values()) {
            LayoutImage subject = images.get(referrer.subject().digest());
            if (subject == null || subject.manifest().size() != referrer.subject().size()) {
                throw damaged("the referrer " + referrer.manifest().digest() + " is about "
                        + referrer.subject().digest() + ", which index.json does not list as an image");
            }
        }
        return new LayoutContents(directory, result, List.copyOf(referrers.values()));
    }

    /**
     * @return the image index and its images, or {@code null} if {@code imagesOnly} and it lists anything but images
     *     a runtime can load
     */
    private LayoutIndex imageIndex(Descriptor index, boolean imagesOnly) throws UnusableLayoutException, IOException {
        byte[] bytes = smallBlob(index, "index.json");
        String what = "the image index " + index.digest();
        Object json = parse(bytes, what);
        if (!(json instanceof Map<?, ?> map)) {
            throw damaged(what + " is not a JSON object");
        }
        Object mediaType = map.get("mediaType");
        if (mediaType != null && !MediaTypes.INDEX.equals(mediaType)) {
            throw damaged(what + " has the media type \"" + mediaType + "\", not the one index.json gives");
        }
        if (!(map.get("manifests") instanceof List<?> list) || list.isEmpty()) {
            throw damaged(what + " lists no image");
        }
        List<LayoutImage> images = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Object entry : list) {
            Descriptor descriptor = descriptor(entry, what);
            if (!MediaTypes.MANIFEST.equals(descriptor.mediaType())) {
                if (imagesOnly) {
                    return null;
                }
                throw damaged(what + " lists " + descriptor.digest() + " of media type \"" + descriptor.mediaType()
                        + "\", where scratch:push takes only image manifests (" + MediaTypes.MANIFEST + ")");
            }
            if (!seen.add(descriptor.digest())) {
                throw damaged(what + " lists " + descriptor.digest() + " twice");
            }
            LayoutImage image = image(descriptor, platform(entry), imagesOnly, what);
            if (image == null) {
                return null;
            }
            images.add(image);
        }
        return new LayoutIndex(index, bytes, images, List.of());
    }

    /** @return the referrer, or {@code null} if the manifest names no {@code subject} */
    private LayoutReferrer referrer(Descriptor manifest) throws UnusableLayoutException, IOException {
        byte[] bytes = smallBlob(manifest, "index.json");
        String what = "the manifest " + manifest.digest();
        if (!(parse(bytes, what) instanceof Map<?, ?> map) || map.get("subject") == null) {
            return null;
        }
        Descriptor subject = descriptor(map.get("subject"), what);
        Descriptor config = descriptor(map.get("config"), what);
        smallBlob(config, what);
        Map<String, Descriptor> blobs = new LinkedHashMap<>();
        blobs.put(config.digest(), config);
        if (map.get("layers") instanceof List<?> layerList) {
            for (Object layer : layerList) {
                Descriptor descriptor = descriptor(layer, what);
                checkSize(descriptor, what);
                blobs.putIfAbsent(descriptor.digest(), descriptor);
            }
        }
        return new LayoutReferrer(manifest, bytes, JsonReader.string(map, "artifactType"), subject,
                List.copyOf(blobs.values()));
    }

    /** @return the image, or {@code null} if {@code imagesOnly} and the manifest is no image, such as a referrer */
    private LayoutImage image(Descriptor manifest, Platform platform, boolean imagesOnly, String listedIn)
            throws UnusableLayoutException, IOException {
        byte[] bytes = smallBlob(manifest, listedIn);
        String what = "the manifest " + manifest.digest();
        Object json = parse(bytes, what);
        if (!(json instanceof Map<?, ?> map)) {
            throw damaged(what + " is not a JSON object");
        }
        Object mediaType = map.get("mediaType");
        if (mediaType != null && !MediaTypes.MANIFEST.equals(mediaType)) {
            throw damaged(what + " has the media type \"" + mediaType + "\", not the one index.json gives");
        }
        Descriptor config = descriptor(map.get("config"), what);
        smallBlob(config, what);
        if (!(map.get("layers") instanceof List<?> layerList)) {
            throw damaged(what + " lists no layers");
        }
        List<Descriptor> layers = new ArrayList<>();
        for (Object layer : layerList) {
            Descriptor descriptor = descriptor(layer, what);
            checkSize(descriptor, what);
            layers.add(descriptor);
        }
        if (imagesOnly && !isImage(map, config, layers)) {
            return null;
        }
        return new LayoutImage(manifest, bytes, config, layers, platform, List.of());
    }

    /**
     * A runtime can load an image: an image config and tar layers. A referrer (an SBOM, a signature) is an image
     * manifest too, but names its {@code subject} or an {@code artifactType}, and its config and layers are other
     * media types.
     */
    private static boolean isImage(Map<?, ?> manifest, Descriptor config, List<Descriptor> layers) {
        if (manifest.containsKey("subject") || manifest.containsKey("artifactType")
                || !MediaTypes.CONFIG.equals(config.mediaType())) {
            return false;
        }
        for (Descriptor layer : layers) {
            if (!MediaTypes.isLayer(layer.mediaType())) {
                return false;
            }
        }
        return true;
    }

    /** @return the bytes of a manifest or config, which must match their digest and size */
    private byte[] smallBlob(Descriptor descriptor, String referrer) throws UnusableLayoutException, IOException {
        checkSize(descriptor, referrer);
        byte[] bytes = document(blob(descriptor), descriptor.size());
        String actual = DigestingOutputStream.digestOf(bytes);
        if (!actual.equals(descriptor.digest())) {
            throw damaged("blobs/sha256/" + descriptor.hex() + " (which " + referrer + " references) does not match"
                    + " its digest: its bytes are " + actual);
        }
        return bytes;
    }

    private void checkSize(Descriptor descriptor, String referrer) throws UnusableLayoutException, IOException {
        Path file = blob(descriptor);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw damaged("blobs/sha256/" + descriptor.hex() + ", which " + referrer + " references, is missing");
        }
        long size = Files.size(file);
        if (size != descriptor.size()) {
            throw damaged("blobs/sha256/" + descriptor.hex() + ", which " + referrer + " references, is " + size
                    + " bytes, not " + descriptor.size());
        }
    }

    private Path blob(Descriptor descriptor) {
        return blobs.resolve(descriptor.hex());
    }

    private Descriptor descriptor(Object json, String referrer) throws UnusableLayoutException {
        if (!(json instanceof Map<?, ?> map)) {
            throw damaged(referrer + " holds a descriptor that is not a JSON object");
        }
        String digest = JsonReader.string(map, "digest");
        if (!DIGEST.matcher(digest).matches()) {
            throw damaged(referrer + " holds the digest \"" + digest + "\", not sha256: and 64 lower-case hex digits");
        }
        Object size = map.get("size");
        long bytes;
        try {
            bytes = size instanceof BigDecimal number ? number.longValueExact() : -1;
        } catch (ArithmeticException e) {
            bytes = -1;
        }
        if (bytes < 0) {
            throw damaged(referrer + " gives " + digest + " the size " + size + ", not a whole number of bytes");
        }
        return new Descriptor(JsonReader.string(map, "mediaType"), digest, bytes);
    }

    private static Platform platform(Object entry) {
        Object platform = entry instanceof Map<?, ?> map ? map.get("platform") : null;
        String os = JsonReader.string(platform, "os");
        String architecture = JsonReader.string(platform, "architecture");
        if (os.isEmpty() || architecture.isEmpty()) {
            return null;
        }
        String variant = JsonReader.string(platform, "variant");
        return new Platform(os, architecture, variant.isEmpty() ? null : variant);
    }

    private Object parse(byte[] bytes, String what) throws UnusableLayoutException {
        try {
            return JsonReader.parse(bytes);
        } catch (IOException e) {
            throw damaged(what + " is " + e.getMessage());
        }
    }

    /** Reads a document whole, up to {@link #MAX_DOCUMENT} bytes; {@code expected} is its size, or -1. */
    private byte[] document(Path file, long expected) throws UnusableLayoutException, IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) Math.min(MAX_DOCUMENT + 1, expected < 0 ? Long.MAX_VALUE : expected + 1));
            if (bytes.length > MAX_DOCUMENT) {
                throw damaged(directory.relativize(file) + " is larger than " + MAX_DOCUMENT
                        + " bytes, more than a layout document holds");
            }
            if (expected >= 0 && bytes.length != expected) {
                throw damaged(directory.relativize(file) + " changed while it was read");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw damaged(directory.relativize(file) + " vanished while it was read");
        }
    }

    private UnusableLayoutException damaged(String problem) {
        return new UnusableLayoutException(directory, "The image layout in " + directory + " is damaged: "
                + Objects.requireNonNull(problem), REBUILD + " (a build that finds it up to date keeps it as it is)");
    }
}
