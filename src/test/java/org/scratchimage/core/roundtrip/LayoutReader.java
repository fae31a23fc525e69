package org.scratchimage.core.roundtrip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.scratchimage.core.tar.ExternalTools;

/**
 * Reads an OCI image layout the way a client would, checking on the way what every client relies on: each
 * blob's sha256 and size match its descriptor, the diff_id is the sha256 of the uncompressed layer, the
 * documents parse as UTF-8 JSON with the media types, tags, environment, labels, annotations and creation time
 * the case declared, and the layout holds no blob that nothing references.
 */
final class LayoutReader {
    static final String INDEX = "application/vnd.oci.image.index.v1+json";
    static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
    static final String LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
    private static final Pattern RFC3339 = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");

    /**
     * What the layout holds.
     *
     * @param documents every JSON file of the layout by name (oci-layout, index.json, and blobs by digest)
     * @param tar the uncompressed layer
     */
    record Layout(String manifestDigest, String configDigest, String layerDigest, long layerSize, String diffId,
            Map<String, byte[]> documents, byte[] tar) {}

    private LayoutReader() {}

    static Layout read(ImageCase c, List<String> problems) throws IOException {
        Path dir = c.outputDirectory();
        Map<String, byte[]> documents = new LinkedHashMap<>();
        byte[] ociLayout = Files.readAllBytes(dir.resolve("oci-layout"));
        documents.put("oci-layout", ociLayout);
        expect(problems, json(ociLayout, "oci-layout").path("imageLayoutVersion").asText(), "1.0.0",
                "oci-layout imageLayoutVersion");
        byte[] indexBytes = Files.readAllBytes(dir.resolve("index.json"));
        documents.put("index.json", indexBytes);
        JsonNode index = json(indexBytes, "index.json");
        expect(problems, index.path("schemaVersion").asInt(), 2, "index schemaVersion");
        expect(problems, index.path("mediaType").asText(), INDEX, "index mediaType");
        List<String> tags = c.request().tags();
        expect(problems, index.path("manifests").size(), tags.size(), "index: one manifest descriptor per tag");
        JsonNode first = index.path("manifests").path(0);
        for (int i = 0; i < index.path("manifests").size(); i++) {
            JsonNode descriptor = index.path("manifests").path(i);
            expect(problems, descriptor.path("digest").asText(), first.path("digest").asText(),
                    "index: every tag names the same manifest");
            String tag = descriptor.path("annotations").path("org.opencontainers.image.ref.name").asText();
            expect(problems, tags.contains(tag), true, "index: tag " + tag + " is declared");
            expect(problems, descriptor.path("annotations").path("io.containerd.image.name").asText(),
                    c.request().image() + ":" + tag, "index: containerd name of " + tag);
        }
        byte[] manifestBytes = blob(dir, first, MANIFEST, problems);
        documents.put(first.path("digest").asText(), manifestBytes);
        JsonNode manifest = json(manifestBytes, "the manifest");
        expect(problems, manifest.path("schemaVersion").asInt(), 2, "manifest schemaVersion");
        expect(problems, manifest.path("mediaType").asText(), MANIFEST, "manifest mediaType");
        Map<String, String> annotations = new LinkedHashMap<>(c.request().annotations());
        Map<String, String> stored = strings(manifest.path("annotations"));
        String created = stored.remove("org.opencontainers.image.created");
        expect(problems, stored, annotations, "manifest annotations");
        checkCreated(created, c, "manifest annotation org.opencontainers.image.created", problems);

        JsonNode configDescriptor = manifest.path("config");
        byte[] configBytes = blob(dir, configDescriptor, CONFIG, problems);
        documents.put(configDescriptor.path("digest").asText(), configBytes);
        JsonNode config = json(configBytes, "the config");
        checkCreated(config.path("created").asText(null), c, "config created", problems);
        expect(problems, config.path("rootfs").path("type").asText(), "layers", "config rootfs type");
        Map<String, String> environment = new LinkedHashMap<>();
        for (JsonNode variable : config.path("config").path("Env")) {
            String text = variable.asText();
            environment.put(text.substring(0, text.indexOf('=')), text.substring(text.indexOf('=') + 1));
        }
        expect(problems, environment, c.request().container().environment(), "config Env");
        expect(problems, strings(config.path("config").path("Labels")), c.request().container().labels(),
                "config Labels");
        expect(problems, texts(config.path("config").path("Entrypoint")), arguments(c.request().container()
                .entrypoint()), "config Entrypoint");
        expect(problems, texts(config.path("config").path("Cmd")), arguments(c.request().container().cmd()),
                "config Cmd");
        expect(problems, config.path("config").path("WorkingDir").asText(null),
                c.request().container().workingDirectory(), "config WorkingDir");
        expect(problems, config.path("config").path("User").asText(null), c.request().container().user(),
                "config User");

        expect(problems, manifest.path("layers").size(), 1, "manifest: one layer");
        JsonNode layerDescriptor = manifest.path("layers").path(0);
        String mediaType = c.compression().equals("gzip") ? LAYER_GZIP
                : c.compression().equals("zstd") ? LAYER_ZSTD : LAYER_TAR;
        byte[] layer = blob(dir, layerDescriptor, mediaType, problems);
        byte[] tar = c.compression().equals("gzip") ? gunzip(layer)
                : c.compression().equals("zstd") ? unzstd(dir, hex(layerDescriptor)) : layer;
        String diffId = "sha256:" + sha256(tar);
        expect(problems, config.path("rootfs").path("diff_ids").size(), 1, "config: one diff_id");
        expect(problems, config.path("rootfs").path("diff_ids").path(0).asText(), diffId,
                "config diff_id (the sha256 of the uncompressed layer)");

        Set<String> referenced = new TreeSet<>(List.of(hex(first), hex(configDescriptor), hex(layerDescriptor)));
        Set<String> present = new TreeSet<>();
        try (Stream<Path> blobs = Files.list(dir.resolve("blobs").resolve("sha256"))) {
            blobs.forEach(b -> present.add(b.getFileName().toString()));
        }
        expect(problems, present, referenced, "blobs/sha256: exactly the referenced blobs");
        return new Layout(first.path("digest").asText(), configDescriptor.path("digest").asText(),
                layerDescriptor.path("digest").asText(), layerDescriptor.path("size").asLong(), diffId, documents, tar);
    }

    /** Reads the blob a descriptor names and checks its media type, digest and size. */
    private static byte[] blob(Path dir, JsonNode descriptor, String mediaType, List<String> problems)
            throws IOException {
        String digest = descriptor.path("digest").asText();
        if (!DIGEST.matcher(digest).matches()) {
            throw new AssertionError("descriptor digest " + digest + " is not sha256:<64 lowercase hex>");
        }
        expect(problems, descriptor.path("mediaType").asText(), mediaType, "mediaType of " + digest);
        byte[] bytes = Files.readAllBytes(dir.resolve("blobs").resolve("sha256").resolve(digest.substring(7)));
        expect(problems, "sha256:" + sha256(bytes), digest, "sha256 of blob " + digest);
        expect(problems, descriptor.path("size").asLong(), (long) bytes.length, "size of blob " + digest);
        return bytes;
    }

    private static void checkCreated(String created, ImageCase c, String what, List<String> problems) {
        if (created == null || !RFC3339.matcher(created).matches()) {
            problems.add(what + " is not an RFC 3339 UTC time: " + created);
            return;
        }
        expect(problems, Instant.parse(created).getEpochSecond(), c.timestamp(), what);
    }

    private static JsonNode json(byte[] bytes, String what) throws IOException {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw new AssertionError(what + " is not UTF-8");
        }
        return MAPPER.readTree(bytes);
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new java.util.ArrayList<>();
        array.forEach(e -> texts.add(e.asText()));
        return texts;
    }

    /** Declared arguments as the image must hold them: an unset one (Maven's empty element) is empty. */
    static List<String> arguments(List<String> declared) {
        return declared.stream().map(a -> a == null ? "" : a).toList();
    }

    private static String hex(JsonNode descriptor) {
        return descriptor.path("digest").asText().substring(7);
    }

    static byte[] gunzip(byte[] gzip) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        }
    }

    /** Whether the zstd command is installed; without it, zstd-jni decodes. */
    static volatile boolean zstdCommand = true;

    /** The zstd command, not the library the plugin writes with: an independent decoder. */
    private static byte[] unzstd(Path dir, String hex) throws IOException {
        Path blob = dir.resolve("blobs").resolve("sha256").resolve(hex);
        if (!zstdCommand) {
            try (InputStream in = new com.github.luben.zstd.ZstdInputStream(Files.newInputStream(blob))) {
                return in.readAllBytes();
            }
        }
        ExternalTools.Result result = ExternalTools.run(List.of("zstd", "-d", "-c", "-q", blob.toString()));
        if (result.exitCode() != 0) {
            throw new AssertionError("zstd -d failed on the layer: " + result.stderr());
        }
        return result.stdout();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void expect(List<String> problems, Object actual, Object expected, String what) {
        if (!java.util.Objects.equals(expected, actual)) {
            problems.add(what + ": expected " + expected + ", found " + actual);
        }
    }
}
