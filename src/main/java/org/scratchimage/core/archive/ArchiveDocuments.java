package org.scratchimage.core.archive;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.scratchimage.core.image.Platform;
import org.scratchimage.core.oci.Descriptor;
import org.scratchimage.core.oci.JsonText;
import org.scratchimage.core.oci.LayoutReader.Image;
import org.scratchimage.core.oci.MediaTypes;
import org.scratchimage.core.oci.OciJson;

/**
 * The small files of an archive besides the blobs: the OCI layout's {@code index.json}, and {@code manifest.json}
 * and {@code repositories} as Docker 25's {@code docker save} writes them for Docker before 25. Each is the same
 * bytes for the same images.
 */
final class ArchiveDocuments {
    static final String BLOBS = "blobs/sha256/";

    private ArchiveDocuments() {}

    /**
     * @return an image index with one descriptor of each image per {@code image:tag} name, in the layout's order,
     *     annotated with the name ({@code io.containerd.image.name}) and the tag
     *     ({@code org.opencontainers.image.ref.name}); nothing but the images
     */
    static byte[] index(List<Image> images) {
        List<Object> manifests = new ArrayList<>();
        for (Image image : images) {
            for (String name : image.names()) {
                SortedMap<String, String> annotations = new TreeMap<>();
                annotations.put(OciJson.CONTAINERD_NAME, name);
                annotations.put(OciJson.REF_NAME, tag(name));
                manifests.add(descriptor(image.manifest(), image.platform(), annotations));
            }
            if (image.names().isEmpty()) {
                manifests.add(descriptor(image.manifest(), image.platform(), null));
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schemaVersion", 2);
        json.put("mediaType", MediaTypes.INDEX);
        json.put("manifests", manifests);
        return JsonText.write(json);
    }

    /**
     * @return {@code docker save}'s {@code manifest.json}: per image its config, its names and its layers, bottom
     *     first, as paths in the archive; with a final newline, as Go's JSON encoder writes it
     */
    static byte[] dockerManifest(List<Image> images) {
        List<Object> json = new ArrayList<>();
        for (Image image : images) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("Config", BLOBS + image.config().hex());
            item.put("RepoTags", image.names());
            List<String> layers = new ArrayList<>();
            for (Descriptor layer : image.layers()) {
                layers.add(BLOBS + layer.hex());
            }
            item.put("Layers", layers);
            json.add(item);
        }
        return withNewline(JsonText.write(json));
    }

    /**
     * @return {@code docker save}'s legacy {@code repositories}: {@code {"image":{"tag":"<top layer hex>"}}}, sorted;
     *     Docker 25 names its top layer's file, as here; with a final newline
     */
    static byte[] repositories(List<Image> images) {
        SortedMap<String, SortedMap<String, String>> json = new TreeMap<>();
        for (Image image : images) {
            String top = image.layers().get(image.layers().size() - 1).hex();
            for (String name : image.names()) {
                String tag = tag(name);
                json.computeIfAbsent(name.substring(0, name.length() - tag.length() - 1), k -> new TreeMap<>())
                        .put(tag, top);
            }
        }
        return withNewline(JsonText.write(json));
    }

    /** @return the tag of {@code image:tag}: what follows the last colon after the last slash */
    static String tag(String name) {
        int colon = name.lastIndexOf(':');
        if (colon < 0 || colon < name.lastIndexOf('/')) {
            throw new IllegalArgumentException("no tag in " + name);
        }
        return name.substring(colon + 1);
    }

    private static Map<String, Object> descriptor(Descriptor manifest, Platform platform,
            SortedMap<String, String> annotations) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mediaType", manifest.mediaType());
        json.put("digest", manifest.digest());
        json.put("size", manifest.size());
        if (platform != null) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("architecture", platform.architecture());
            p.put("os", platform.os());
            if (platform.variant() != null) {
                p.put("variant", platform.variant());
            }
            json.put("platform", p);
        }
        if (annotations != null) {
            json.put("annotations", annotations);
        }
        return json;
    }

    private static byte[] withNewline(byte[] json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + 1);
        out.writeBytes(json);
        out.write('\n');
        return out.toByteArray();
    }
}
