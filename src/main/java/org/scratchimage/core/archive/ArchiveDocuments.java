package org.scratchimage.core.archive;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.scratchimage.core.oci.Descriptor;
import org.scratchimage.core.oci.JsonText;
import org.scratchimage.core.image.Platform;
import org.scratchimage.core.oci.LayoutEntry;
import org.scratchimage.core.oci.LayoutImage;
import org.scratchimage.core.oci.MediaTypes;
import org.scratchimage.core.oci.OciJson;
import org.scratchimage.core.registry.ImageReference;
import org.scratchimage.core.registry.RegistryException;

/**
 * The small files of an archive besides the blobs: the OCI layout's {@code index.json}, and {@code manifest.json}
 * and {@code repositories} as Docker 25's {@code docker save} writes them for Docker before 25. Each is the same
 * bytes for the same images.
 *
 * <p>A multi-platform image is kept whole in the OCI part: {@code index.json} points at its image index. Docker
 * before 25 knows no index, so {@code manifest.json} and {@code repositories} hold one of its platforms under its
 * names: see {@link #dockerImages}.
 */
final class ArchiveDocuments {
    static final String BLOBS = "blobs/sha256/";

    private ArchiveDocuments() {}

    /**
     * One image as {@code docker save} lists it.
     *
     * @param image the image
     * @param names its {@code image:tag} names: those of the image, or of the image index it was picked from
     */
    record DockerImage(LayoutImage image, List<String> names) {}

    /**
     * @return an image index with one descriptor of each image or image index per {@code image:tag} name, in the
     *     layout's order, annotated with the full name ({@code io.containerd.image.name}, see {@link #fullName}) and
     *     the tag ({@code org.opencontainers.image.ref.name}); nothing but the images; an image index's descriptor
     *     has no platform, its manifests carry theirs
     */
    static byte[] index(List<LayoutEntry> entries) {
        List<Object> manifests = new ArrayList<>();
        for (LayoutEntry entry : entries) {
            Platform platform = entry instanceof LayoutImage image ? image.platform() : null;
            for (String name : entry.names()) {
                SortedMap<String, String> annotations = new TreeMap<>();
                annotations.put(OciJson.CONTAINERD_NAME, fullName(name));
                annotations.put(OciJson.REF_NAME, tag(name));
                manifests.add(OciJson.descriptor(entry.manifest(), platform, annotations));
            }
            if (entry.names().isEmpty()) {
                manifests.add(OciJson.descriptor(entry.manifest(), platform, null));
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schemaVersion", 2);
        json.put("mediaType", MediaTypes.INDEX);
        json.put("manifests", manifests);
        return JsonText.write(json);
    }

    /**
     * @param preferred the platform of the machine that builds, or {@code null}
     * @return the images for Docker before 25, in the layout's order: each image, and of each image index the image
     *     of {@code preferred} (the same os and architecture, the same variant first), else its first, under the
     *     index's names
     */
    static List<DockerImage> dockerImages(List<LayoutEntry> entries, Platform preferred) {
        List<DockerImage> images = new ArrayList<>();
        for (LayoutEntry entry : entries) {
            images.add(new DockerImage(pick(entry.images(), preferred), entry.names()));
        }
        return images;
    }

    private static LayoutImage pick(List<LayoutImage> images, Platform preferred) {
        if (preferred != null) {
            for (LayoutImage image : images) {
                if (preferred.equals(image.platform())) {
                    return image;
                }
            }
            // arm64 without a variant is v8: a machine and an index may spell it either way.
            for (LayoutImage image : images) {
                if (image.platform() != null && preferred.os().equals(image.platform().os())
                        && preferred.architecture().equals(image.platform().architecture())) {
                    return image;
                }
            }
        }
        return images.get(0);
    }

    /**
     * @return {@code docker save}'s {@code manifest.json}: per image its config, its full names and its layers,
     *     bottom first, as paths in the archive; with a final newline, as Go's JSON encoder writes it
     */
    static byte[] dockerManifest(List<DockerImage> images) {
        List<Object> json = new ArrayList<>();
        for (DockerImage docker : images) {
            LayoutImage image = docker.image();
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("Config", BLOBS + image.config().hex());
            List<String> names = new ArrayList<>();
            for (String name : docker.names()) {
                names.add(fullName(name));
            }
            // Docker writes the short form (myapp:1.0) and reads either; podman names a short one localhost/myapp.
            item.put("RepoTags", names);
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
     * @return {@code docker save}'s legacy {@code repositories}: {@code {"image":{"tag":"<top layer hex>"}}} with full
     *     names, sorted; Docker 25 names its top layer's file, as here; with a final newline
     */
    static byte[] repositories(List<DockerImage> images) {
        SortedMap<String, SortedMap<String, String>> json = new TreeMap<>();
        for (DockerImage docker : images) {
            LayoutImage image = docker.image();
            String top = image.layers().get(image.layers().size() - 1).hex();
            for (String name : docker.names()) {
                String full = fullName(name);
                String tag = tag(full);
                json.computeIfAbsent(full.substring(0, full.length() - tag.length() - 1), k -> new TreeMap<>())
                        .put(tag, top);
            }
        }
        return withNewline(JsonText.write(json));
    }

    /**
     * containerd keeps the name it imports as it is, while Docker's containerd image store and Kubernetes look an
     * image up by its normalised name: {@code myapp:1.0} must be stored as {@code docker.io/library/myapp:1.0} to be
     * found as {@code myapp:1.0}. Docker's own {@code docker save} writes this form too; podman names the image by it.
     *
     * @return {@code image:tag} normalised as Docker does: Docker Hub's host, and {@code library/} before a single
     *     path component
     */
    static String fullName(String name) {
        try {
            return ImageReference.parse(name, OciJson.CONTAINERD_NAME).toString();
        } catch (RegistryException e) {
            // Not a name the plugin writes: containerd gets it as it is.
            return name;
        }
    }

    /**
     * @return the tag of {@code image:tag}: what follows the last colon after the last slash, as in Docker (so the
     *     port of {@code host:5000/app} is none); {@code null} if there is none
     */
    static String tag(String name) {
        int colon = name.lastIndexOf(':');
        return colon > 0 && colon > name.lastIndexOf('/') && colon < name.length() - 1 ? name.substring(colon + 1)
                : null;
    }

    private static byte[] withNewline(byte[] json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + 1);
        out.writeBytes(json);
        out.write('\n');
        return out.toByteArray();
    }
}
