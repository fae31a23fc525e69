package org.scratchimage.core.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether this plugin may write a folder: only if it does not exist, is empty, or holds a layout this
 * plugin wrote (or the leftovers of a first build of it that died). Anything else is refused before a byte is
 * written or deleted, since replacing a layout prunes what its index does not reference.
 *
 * <p>A layout counts as the plugin's when it holds nothing but the layout's own names, only {@code sha256} blobs
 * named by their digest, and every image its index lists has a config whose history starts with
 * {@link OciLayout#CREATED_BY_PREFIX}; a referrer it lists (a manifest with a {@code subject}, such as the SBOM)
 * must be about one of those images. An entry may be the image index of a multi-platform build instead: then every
 * manifest it lists must be such an image, and its referrers may be about any of them.
 */
final class LayoutOwnership {
    private static final Pattern HEX = Pattern.compile("[a-f0-9]{64}");
    private static final Set<String> LAYOUT_NAMES = Set.of("oci-layout", "index.json", "blobs", OciLayout.STAGING);
    /** The registries' limit for a manifest: a larger file is no document this plugin wrote, and is not read whole. */
    private static final long MAX_DOCUMENT = 4L * 1024 * 1024;
    /** How often the check runs while files vanish under it; each vanishing needs another build's commit. */
    private static final int ATTEMPTS = 5;

    private final Path directory;
    private final Path blobs;

    private LayoutOwnership(Path directory) {
        this.directory = directory;
        this.blobs = directory.resolve("blobs").resolve("sha256");
    }

    /**
     * @param directory the folder to write the layout into
     * @throws UnsafeOutputDirectoryException if it holds anything but a layout this plugin wrote; its
     *     {@link UnsafeOutputDirectoryException#directory} is {@code directory}, absolute and normalized
     */
    static void check(Path directory) throws UnsafeOutputDirectoryException, IOException {
        // This check runs before the lock, too: another build of the folder may commit meanwhile and prune the
        // blobs of the index read here. A file that vanishes is no sign of a foreign writer: check again.
        for (int attempt = 1; ; attempt++) {
            try {
                checkOnce(directory);
                return;
            } catch (Vanished vanished) {
                if (attempt == ATTEMPTS) {
                    throw vanished.refusal;
                }
            }
        }
    }

    private static void checkOnce(Path directory) throws UnsafeOutputDirectoryException, IOException, Vanished {
        Path dir = directory.toAbsolutePath().normalize();
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new UnsafeOutputDirectoryException(dir, "is not a directory");
        }
        List<String> names = OciLayout.list(dir);
        if (names.isEmpty()) {
            return;
        }
        List<String> foreign = names.stream().filter(n -> !LAYOUT_NAMES.contains(n)).sorted().limit(5).toList();
        if (!foreign.isEmpty()) {
            throw new UnsafeOutputDirectoryException(dir, "holds files that are not part of an OCI layout (" + String.join(", ", foreign)
                    + (names.size() > 5 ? ", ..." : "") + ")");
        }
        new LayoutOwnership(dir).checkWrittenByPlugin(names);
    }

    private void checkWrittenByPlugin(List<String> names)
            throws UnsafeOutputDirectoryException, IOException, Vanished {
        // Only this plugin makes the staging folder: without an index it marks a first build that died before
        // its commit, whose leftovers the next build may replace.
        boolean interruptedFirstBuild = !names.contains("index.json")
                && Files.isDirectory(directory.resolve(OciLayout.STAGING), LinkOption.NOFOLLOW_LINKS);
        if (!interruptedFirstBuild && (!names.contains("oci-layout") || !names.contains("index.json"))) {
            throw new UnsafeOutputDirectoryException(directory, "is not a complete OCI layout (no "
                    + (names.contains("oci-layout") ? "index.json" : "oci-layout") + ")");
        }
        if (names.contains("blobs")) {
            Path blobRoot = directory.resolve("blobs");
            // Links are refused: pruning through one would delete blobs of a store this plugin does not own.
            if (!Files.isDirectory(blobRoot, LinkOption.NOFOLLOW_LINKS)) {
                throw new UnsafeOutputDirectoryException(directory, "holds a blobs entry that is not a folder"
                        + " (a file or a link), which this plugin did not write");
            }
            List<String> algorithms = OciLayout.list(blobRoot);
            if (!algorithms.stream().allMatch("sha256"::equals)) {
                throw new UnsafeOutputDirectoryException(directory, "holds blobs this plugin did not write (" + algorithms + ")");
            }
            if (Files.exists(blobs, LinkOption.NOFOLLOW_LINKS)
                    && !Files.isDirectory(blobs, LinkOption.NOFOLLOW_LINKS)) {
                throw new UnsafeOutputDirectoryException(directory, "holds a blobs/sha256 entry that is not a folder"
                        + " (a file or a link), which this plugin did not write");
            }
            if (Files.isDirectory(blobs, LinkOption.NOFOLLOW_LINKS)) {
                for (String name : OciLayout.list(blobs)) {
                    Path blob = blobs.resolve(name);
                    if (!HEX.matcher(name).matches() || !Files.isRegularFile(blob, LinkOption.NOFOLLOW_LINKS)) {
                        UnsafeOutputDirectoryException refusal = new UnsafeOutputDirectoryException(directory,
                                "holds blobs/sha256/" + name + ", which this plugin did not write");
                        if (HEX.matcher(name).matches() && !Files.exists(blob, LinkOption.NOFOLLOW_LINKS)) {
                            throw new Vanished(refusal);
                        }
                        throw refusal;
                    }
                }
            }
        }
        if (interruptedFirstBuild) {
            return;
        }
        try {
            Object index = JsonReader.parse(readDocument(directory.resolve("index.json")));
            Object manifests = index instanceof Map<?, ?> map ? map.get("manifests") : null;
            // The plugin always lists at least one tag; an empty index proves nothing about who wrote the blobs.
            if (!(manifests instanceof List<?> list) || list.isEmpty()) {
                throw new UnsafeOutputDirectoryException(directory,
                        "holds an OCI layout whose index.json lists no image, which this plugin never writes");
            }
            Set<String> listed = new HashSet<>();
            List<Object> images = new ArrayList<>();
            for (Object manifest : list) {
                String digest = JsonReader.string(manifest, "digest");
                listed.add(digest);
                if (!MediaTypes.INDEX.equals(JsonReader.string(manifest, "mediaType"))) {
                    images.add(manifest);
                    continue;
                }
                // The image index of a multi-platform build: its manifests are the images, listed by it alone.
                Object imageIndex = JsonReader.parse(readBlob(digest));
                Object platforms = imageIndex instanceof Map<?, ?> map ? map.get("manifests") : null;
                if (!(platforms instanceof List<?> entries) || entries.isEmpty()
                        || !MediaTypes.INDEX.equals(JsonReader.string(imageIndex, "mediaType"))) {
                    throw new UnsafeOutputDirectoryException(directory, "holds an OCI layout that another tool"
                            + " wrote (an image index " + digest + " that lists no image)");
                }
                for (Object entry : entries) {
                    if (!MediaTypes.MANIFEST.equals(JsonReader.string(entry, "mediaType"))) {
                        throw new UnsafeOutputDirectoryException(directory, "holds an OCI layout that another tool"
                                + " wrote (an image index " + digest + " that lists "
                                + JsonReader.string(entry, "digest") + ", which is no image manifest)");
                    }
                    listed.add(JsonReader.string(entry, "digest"));
                    images.add(entry);
                }
            }
            for (Object manifest : images) {
                Object image = JsonReader.parse(readBlob(JsonReader.string(manifest, "digest")));
                Object subject = image instanceof Map<?, ?> map ? map.get("subject") : null;
                if (subject != null) {
                    // A referrer, such as the SBOM: the plugin lists one only beside the image it is about, whose
                    // config is checked as every image's.
                    if (!listed.contains(JsonReader.string(subject, "digest"))) {
                        throw new UnsafeOutputDirectoryException(directory, "holds an OCI layout that another tool"
                                + " wrote (a referrer " + JsonReader.string(manifest, "digest") + " of an image it"
                                + " does not list)");
                    }
                    continue;
                }
                Object imageConfig = image instanceof Map<?, ?> map ? map.get("config") : null;
                Object config = JsonReader.parse(readBlob(JsonReader.string(imageConfig, "digest")));
                Object history = config instanceof Map<?, ?> map ? map.get("history") : null;
                Object first = history instanceof List<?> steps && !steps.isEmpty() ? steps.get(0) : null;
                if (!JsonReader.string(first, "created_by").startsWith(OciLayout.CREATED_BY_PREFIX)) {
                    throw new UnsafeOutputDirectoryException(directory,
                            "holds an OCI layout that another tool wrote (image "
                                    + JsonReader.string(manifest, "digest") + ")");
                }
            }
        } catch (NoSuchFileException e) {
            throw new Vanished(cannotBeRead(e));
        } catch (IOException e) {
            throw cannotBeRead(e);
        }
    }

    private UnsafeOutputDirectoryException cannotBeRead(IOException e) {
        return new UnsafeOutputDirectoryException(directory, "holds an OCI layout that cannot be read (" + e.getMessage() + ")");
    }

    /** A file of the layout vanished during the check; {@code refusal} is what a layout that stays so gets. */
    private static final class Vanished extends Exception {
        final UnsafeOutputDirectoryException refusal;

        Vanished(UnsafeOutputDirectoryException refusal) {
            super(refusal.getMessage(), null, false, false);
            this.refusal = refusal;
        }
    }

    private byte[] readBlob(String digest) throws IOException {
        if (!digest.startsWith("sha256:") || !HEX.matcher(digest.substring(7)).matches()) {
            throw new IOException("bad digest \"" + digest + "\"");
        }
        return readDocument(blobs.resolve(digest.substring(7)));
    }

    private static byte[] readDocument(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_DOCUMENT) {
            throw new IOException(file.getFileName() + " is " + size + " bytes, more than a layout document has");
        }
        return Files.readAllBytes(file);
    }
}
