package org.scratchimage.core.oci;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.scratchimage.core.compress.DigestingOutputStream;
import org.scratchimage.core.image.ContainerConfig;
import org.scratchimage.core.image.Platform;

/**
 * The image's JSON documents, always serialised the same way: compact UTF-8, keys in a fixed order,
 * maps sorted by key, optional fields left out rather than written empty.
 */
public final class OciJson {
    /** The annotation that carries the tag, read by skopeo, umoci and podman. */
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    /** The annotation that carries {@code name:tag}, read by containerd and Docker. */
    public static final String CONTAINERD_NAME = "io.containerd.image.name";
    public static final String CREATED = "org.opencontainers.image.created";
    /** The file name a client such as oras gives a pulled artifact layer. */
    public static final String TITLE = "org.opencontainers.image.title";
    private static final byte[] EMPTY_JSON = {'{', '}'};

    private OciJson() {}

    /**
     * The image configuration.
     *
     * @param diffIds the layers' diff_ids, bottom first
     * @param layerNames the layers' names, in the same order; each is the comment of the layer's history entry
     */
    public static byte[] config(Platform platform, Instant created, ContainerConfig config, List<String> diffIds,
            List<String> layerNames, String createdBy) {
        if (diffIds.size() != layerNames.size() || diffIds.isEmpty()) {
            throw new IllegalArgumentException(diffIds.size() + " diff_ids for " + layerNames.size() + " layers");
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("created", created.toString());
        json.put("architecture", platform.architecture());
        json.put("os", platform.os());
        putIfPresent(json, "variant", platform.variant());
        json.put("config", runtime(config));
        Map<String, Object> rootfs = new LinkedHashMap<>();
        rootfs.put("type", "layers");
        rootfs.put("diff_ids", List.copyOf(diffIds));
        json.put("rootfs", rootfs);
        List<Object> history = new ArrayList<>();
        for (String name : layerNames) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("created", created.toString());
            step.put("created_by", createdBy);
            step.put("comment", name);
            history.add(step);
        }
        json.put("history", history);
        return write(json);
    }

    private static Map<String, Object> runtime(ContainerConfig config) {
        Map<String, Object> json = new LinkedHashMap<>();
        putIfPresent(json, "User", config.user());
        if (!config.exposedPorts().isEmpty()) {
            json.put("ExposedPorts", emptyObjects(config.exposedPorts()));
        }
        if (!config.environment().isEmpty()) {
            json.put("Env", config.environment().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        }
        if (!config.entrypoint().isEmpty()) {
            json.put("Entrypoint", config.entrypoint());
        }
        if (!config.cmd().isEmpty()) {
            json.put("Cmd", config.cmd());
        }
        if (!config.volumes().isEmpty()) {
            json.put("Volumes", emptyObjects(config.volumes()));
        }
        putIfPresent(json, "WorkingDir", config.workingDirectory());
        if (!config.labels().isEmpty()) {
            json.put("Labels", config.labels());
        }
        putIfPresent(json, "StopSignal", config.stopSignal());
        return json;
    }

    /** The image manifest; {@code layers} bottom first. */
    public static byte[] manifest(Descriptor config, List<Descriptor> layers, Instant created,
            SortedMap<String, String> userAnnotations) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schemaVersion", 2);
        json.put("mediaType", MediaTypes.MANIFEST);
        json.put("config", descriptor(config, null, null));
        json.put("layers", layers.stream().map(layer -> descriptor(layer, null, null)).toList());
        SortedMap<String, String> annotations = new TreeMap<>(userAnnotations);
        annotations.put(CREATED, created.toString());
        json.put("annotations", annotations);
        return write(json);
    }

    /**
     * A referrer: an artifact manifest of one layer whose {@code subject} is the image it is about, with the empty
     * config, as image-spec 1.1 describes artifacts.
     *
     * @param artifactType the artifact's type, also the media type of {@code layer}
     * @param layer the artifact's content
     * @param title the file name of the content, for clients that pull it as a file
     * @param subject the image manifest it refers to
     * @param created the {@code org.opencontainers.image.created} annotation: the image's timestamp
     */
    public static byte[] referrer(String artifactType, Descriptor layer, String title, Descriptor subject,
            Instant created) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schemaVersion", 2);
        json.put("mediaType", MediaTypes.MANIFEST);
        json.put("artifactType", artifactType);
        json.put("config", descriptor(emptyConfig(), null, null));
        json.put("layers", List.of(descriptor(layer, null, new TreeMap<>(Map.of(TITLE, title)))));
        json.put("subject", descriptor(subject, null, null));
        json.put("annotations", new TreeMap<>(Map.of(CREATED, created.toString())));
        return write(json);
    }

    /** @return the descriptor of the blob {@code {}}, the config of a referrer */
    public static Descriptor emptyConfig() {
        return new Descriptor(MediaTypes.EMPTY, DigestingOutputStream.digestOf(EMPTY_JSON), EMPTY_JSON.length);
    }

    /** @return the content of the empty config blob: {@code {}} */
    public static byte[] emptyJson() {
        return EMPTY_JSON.clone();
    }

    /** The layout's index: one descriptor of the manifest per tag. */
    public static byte[] index(Descriptor manifest, Platform platform, String image, List<String> tags) {
        return index(manifest, platform, image, tags, List.of(), null);
    }

    /**
     * The layout's index: one descriptor of the manifest per tag, then the referrer, untagged, so that a tool that
     * takes the first entry still gets the image.
     *
     * @param referrer the manifest of an artifact about the image, or {@code null} for none
     * @param artifactType its artifact type
     */
    public static byte[] index(Descriptor manifest, Platform platform, String image, List<String> tags,
            Descriptor referrer, String artifactType) {
        return index(manifest, platform, image, tags, referrer == null ? List.of() : List.of(referrer), artifactType);
    }

    /**
     * The layout's index: one descriptor of {@code target} per tag, then the referrers, untagged, in order.
     *
     * @param target an image manifest, or the image index of a multi-platform build
     * @param platform the image manifest's platform, or {@code null} for an image index, whose manifests carry theirs
     * @param referrers the manifests of artifacts about the image or images, such as one SBOM per platform
     * @param artifactType their artifact type
     */
    public static byte[] index(Descriptor target, Platform platform, String image, List<String> tags,
            List<Descriptor> referrers, String artifactType) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schemaVersion", 2);
        json.put("mediaType", MediaTypes.INDEX);
        List<Object> manifests = new ArrayList<>();
        for (String tag : tags) {
            SortedMap<String, String> annotations = new TreeMap<>();
            annotations.put(CONTAINERD_NAME, image + ":" + tag);
            annotations.put(REF_NAME, tag);
            manifests.add(descriptor(target, platform, annotations));
        }
        for (Descriptor referrer : referrers) {
            Map<String, Object> entry = descriptor(referrer, null, null);
            entry.put("artifactType", artifactType);
            manifests.add(entry);
        }
        json.put("manifests", manifests);
        return write(json);
    }

    /**
     * The image index of a multi-platform build: one image manifest per platform, in the declared order, each with
     * its platform, and the same annotations as each manifest ({@code <annotations>} and the created time).
     *
     * @param manifests the image manifests
     * @param platforms their platforms, in the same order
     */
    public static byte[] imageIndex(List<Descriptor> manifests, List<Platform> platforms, Instant created,
            SortedMap<String, String> userAnnotations) {
        if (manifests.size() != platforms.size() || manifests.isEmpty()) {
            throw new IllegalArgumentException(manifests.size() + " manifests for " + platforms.size() + " platforms");
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schemaVersion", 2);
        json.put("mediaType", MediaTypes.INDEX);
        List<Object> entries = new ArrayList<>();
        for (int i = 0; i < manifests.size(); i++) {
            entries.add(descriptor(manifests.get(i), platforms.get(i), null));
        }
        json.put("manifests", entries);
        SortedMap<String, String> annotations = new TreeMap<>(userAnnotations);
        annotations.put(CREATED, created.toString());
        json.put("annotations", annotations);
        return write(json);
    }

    /**
     * @param platform the descriptor's platform, or null for none
     * @param annotations its annotations, or null for none
     * @return a descriptor as JSON, with the keys in the order every document of the plugin writes them
     */
    public static Map<String, Object> descriptor(Descriptor descriptor, Platform platform,
            SortedMap<String, String> annotations) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mediaType", descriptor.mediaType());
        json.put("digest", descriptor.digest());
        json.put("size", descriptor.size());
        if (platform != null) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("architecture", platform.architecture());
            p.put("os", platform.os());
            putIfPresent(p, "variant", platform.variant());
            json.put("platform", p);
        }
        if (annotations != null) {
            json.put("annotations", annotations);
        }
        return json;
    }

    private static Map<String, Object> emptyObjects(Iterable<String> keys) {
        Map<String, Object> json = new LinkedHashMap<>();
        for (String key : keys) {
            json.put(key, Map.of());
        }
        return json;
    }

    private static void putIfPresent(Map<String, Object> json, String key, String value) {
        if (value != null) {
            json.put(key, value);
        }
    }

    private static byte[] write(Object json) {
        return JsonText.write(json);
    }
}
