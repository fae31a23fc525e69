package org.scratchimage.core.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.scratchimage.core.image.ContainerConfig;
import org.scratchimage.core.image.Platform;

class OciJsonTest {
    private static final Instant CREATED = Instant.ofEpochSecond(1_700_000_000L);
    private static final String DIFF_ID = "sha256:" + "d".repeat(64);
    private static final Descriptor CONFIG = new Descriptor(MediaTypes.CONFIG, "sha256:" + "c".repeat(64), 321);
    private static final Descriptor LAYER =
            new Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", "sha256:" + "a".repeat(64), 12345);
    private static final Descriptor MANIFEST = new Descriptor(MediaTypes.MANIFEST, "sha256:" + "e".repeat(64), 456);

    private static ContainerConfig fullConfig() {
        TreeMap<String, String> env = new TreeMap<>();
        env.put("PATH", "/bin");
        env.put("A_FIRST", "1");
        env.put("ZED", "a=b c");
        TreeMap<String, String> labels = new TreeMap<>();
        labels.put("team", "infra");
        labels.put("caf\u00e9", "cr\u00e8me");
        return new ContainerConfig("65532:65532", new TreeSet<>(List.of("8080/tcp", "53/udp")), env,
                List.of("/bin/ls"), List.of("-lah", "/"), new TreeSet<>(List.of("/data", "/cache")), "/",
                labels, "SIGTERM");
    }

    private static ContainerConfig emptyConfig() {
        return new ContainerConfig(null, new TreeSet<>(), new TreeMap<>(), List.of(), List.of(), new TreeSet<>(),
                null, new TreeMap<>(), null);
    }

    @Test
    void configHasTheFieldsTheSpecRequires() throws IOException {
        byte[] json = OciJson.config(new Platform("linux", "arm", "v7"), CREATED, fullConfig(), List.of(DIFF_ID),
                List.of("app"), "org.scratchimage:scratch-maven-plugin:9.9");

        JsonNode config = JsonAssertions.parseCompact(json);
        assertThat(config.path("architecture").asText()).isEqualTo("arm");
        assertThat(config.path("os").asText()).isEqualTo("linux");
        assertThat(config.path("variant").asText()).isEqualTo("v7");
        assertThat(OffsetDateTime.parse(config.path("created").asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                .toInstant()).isEqualTo(CREATED);
        assertThat(config.path("created").asText()).isEqualTo("2023-11-14T22:13:20Z");
        JsonNode runtime = config.path("config");
        assertThat(runtime.path("User").asText()).isEqualTo("65532:65532");
        assertThat(runtime.path("Env").toString()).isEqualTo("[\"A_FIRST=1\",\"PATH=/bin\",\"ZED=a=b c\"]");
        assertThat(runtime.path("ExposedPorts").toString()).isEqualTo("{\"53/udp\":{},\"8080/tcp\":{}}");
        assertThat(runtime.path("Volumes").toString()).isEqualTo("{\"/cache\":{},\"/data\":{}}");
        assertThat(runtime.path("Entrypoint").toString()).isEqualTo("[\"/bin/ls\"]");
        assertThat(runtime.path("Cmd").toString()).isEqualTo("[\"-lah\",\"/\"]");
        assertThat(runtime.path("WorkingDir").asText()).isEqualTo("/");
        assertThat(runtime.path("StopSignal").asText()).isEqualTo("SIGTERM");
        assertThat(runtime.path("Labels").path("caf\u00e9").asText()).isEqualTo("cr\u00e8me");
        assertThat(config.path("rootfs").toString())
                .isEqualTo("{\"type\":\"layers\",\"diff_ids\":[\"" + DIFF_ID + "\"]}");
        assertThat(config.path("history")).hasSize(1);
        assertThat(config.path("history").path(0).path("created").asText()).isEqualTo("2023-11-14T22:13:20Z");
        assertThat(config.path("history").path(0).path("created_by").asText())
                .isEqualTo("org.scratchimage:scratch-maven-plugin:9.9");
        assertThat(config.path("history").path(0).path("comment").asText()).isEqualTo("app");
        // Non-ASCII is written as UTF-8 bytes.
        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"caf\u00e9\":\"cr\u00e8me\"");
    }

    @Test
    void configKeysComeInAFixedOrder() throws IOException {
        byte[] json = OciJson.config(new Platform("linux", "arm", "v7"), CREATED, fullConfig(), List.of(DIFF_ID), List.of("app"), "x");

        assertThat(JsonAssertions.keySequence(json)).containsExactly(
                "created", "architecture", "os", "variant",
                "config", "config.User", "config.ExposedPorts", "config.ExposedPorts.53/udp",
                "config.ExposedPorts.8080/tcp", "config.Env", "config.Entrypoint", "config.Cmd", "config.Volumes",
                "config.Volumes./cache", "config.Volumes./data", "config.WorkingDir", "config.Labels",
                "config.Labels.caf\u00e9", "config.Labels.team", "config.StopSignal",
                "rootfs", "rootfs.type", "rootfs.diff_ids",
                "history", "history.[].created", "history.[].created_by", "history.[].comment");
    }

    @Test
    void anEmptyRuntimeConfigAndNoVariantAreLeftOut() throws IOException {
        byte[] json = OciJson.config(new Platform("linux", "amd64", null), CREATED, emptyConfig(), List.of(DIFF_ID), List.of("app"), "x");

        JsonNode config = JsonAssertions.parseCompact(json);
        assertThat(config.has("variant")).isFalse();
        assertThat(config.path("config").toString()).isEqualTo("{}");
        assertThat(JsonAssertions.keySequence(json)).containsExactly("created", "architecture", "os", "config",
                "rootfs", "rootfs.type", "rootfs.diff_ids", "history", "history.[].created", "history.[].created_by", "history.[].comment");
    }

    @Test
    void manifestDescribesConfigAndLayerAndCarriesTheCreatedAnnotation() throws IOException {
        TreeMap<String, String> annotations = new TreeMap<>();
        annotations.put("org.opencontainers.image.source", "https://example.org/repo");
        annotations.put("a.first", "1");
        byte[] json = OciJson.manifest(CONFIG, List.of(LAYER), CREATED, annotations);

        JsonNode manifest = JsonAssertions.parseCompact(json);
        assertThat(manifest.path("schemaVersion").isInt()).isTrue();
        assertThat(manifest.path("schemaVersion").asInt()).isEqualTo(2);
        assertThat(manifest.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(manifest.path("config").toString()).isEqualTo("{\"mediaType\":\"application/vnd.oci.image.config."
                + "v1+json\",\"digest\":\"sha256:" + "c".repeat(64) + "\",\"size\":321}");
        assertThat(manifest.path("layers")).hasSize(1);
        assertThat(manifest.path("layers").path(0).path("size").asLong()).isEqualTo(12345);
        assertThat(manifest.path("annotations").toString()).isEqualTo("{\"a.first\":\"1\","
                + "\"org.opencontainers.image.created\":\"2023-11-14T22:13:20Z\","
                + "\"org.opencontainers.image.source\":\"https://example.org/repo\"}");
        assertThat(JsonAssertions.keySequence(json)).containsExactly("schemaVersion", "mediaType",
                "config", "config.mediaType", "config.digest", "config.size",
                "layers", "layers.[].mediaType", "layers.[].digest", "layers.[].size",
                "annotations", "annotations.a.first", "annotations.org.opencontainers.image.created",
                "annotations.org.opencontainers.image.source");
        assertThat(annotations).as("the caller's map is not changed").hasSize(2);
    }

    @Test
    void indexHasOneDescriptorPerTagWithPlatformAndBothNameAnnotations() throws IOException {
        byte[] json = OciJson.index(MANIFEST, new Platform("linux", "arm64", "v8"), "registry.example.org/team/app",
                List.of("1.0", "latest"));

        JsonNode index = JsonAssertions.parseCompact(json);
        assertThat(index.path("schemaVersion").asInt()).isEqualTo(2);
        assertThat(index.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
        JsonNode manifests = index.path("manifests");
        assertThat(manifests).hasSize(2);
        for (int i = 0; i < 2; i++) {
            String tag = List.of("1.0", "latest").get(i);
            JsonNode descriptor = manifests.path(i);
            assertThat(descriptor.path("mediaType").asText()).isEqualTo(MediaTypes.MANIFEST);
            assertThat(descriptor.path("digest").asText()).isEqualTo("sha256:" + "e".repeat(64));
            assertThat(descriptor.path("size").asLong()).isEqualTo(456);
            assertThat(descriptor.path("platform").toString())
                    .isEqualTo("{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}");
            assertThat(descriptor.path("annotations").size()).isEqualTo(2);
            assertThat(descriptor.path("annotations").path("org.opencontainers.image.ref.name").asText())
                    .isEqualTo(tag);
            assertThat(descriptor.path("annotations").path("io.containerd.image.name").asText())
                    .isEqualTo("registry.example.org/team/app:" + tag);
        }
        assertThat(JsonAssertions.keySequence(json)).containsExactly("schemaVersion", "mediaType", "manifests",
                "manifests.[].mediaType", "manifests.[].digest", "manifests.[].size", "manifests.[].platform",
                "manifests.[].platform.architecture", "manifests.[].platform.os", "manifests.[].platform.variant",
                "manifests.[].annotations", "manifests.[].annotations.io.containerd.image.name",
                "manifests.[].annotations.org.opencontainers.image.ref.name",
                "manifests.[].mediaType", "manifests.[].digest", "manifests.[].size", "manifests.[].platform",
                "manifests.[].platform.architecture", "manifests.[].platform.os", "manifests.[].platform.variant",
                "manifests.[].annotations", "manifests.[].annotations.io.containerd.image.name",
                "manifests.[].annotations.org.opencontainers.image.ref.name");
    }

    @Test
    void everyLayerHasItsDiffIdAndAHistoryEntryNamedAfterIt() throws IOException {
        String lower = "sha256:" + "1".repeat(64);
        byte[] json = OciJson.config(new Platform("linux", "amd64", null), CREATED, emptyConfig(),
                List.of(lower, DIFF_ID), List.of("libraries", "app"), "x");

        JsonNode config = JsonAssertions.parseCompact(json);
        assertThat(config.path("rootfs").path("diff_ids").toString())
                .isEqualTo("[\"" + lower + "\",\"" + DIFF_ID + "\"]");
        assertThat(config.path("history")).hasSize(2);
        assertThat(config.path("history").path(0).path("comment").asText()).isEqualTo("libraries");
        assertThat(config.path("history").path(1).path("comment").asText()).isEqualTo("app");
        assertThat(config.path("history").path(1).path("created_by").asText()).isEqualTo("x");
        assertThat(config.path("history").path(1).has("empty_layer")).isFalse();
    }

    @Test
    void aConfigNeedsOneNamePerDiffId() {
        assertThatThrownBy(() -> OciJson.config(new Platform("linux", "amd64", null), CREATED, emptyConfig(),
                List.of(DIFF_ID), List.of("a", "b"), "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OciJson.config(new Platform("linux", "amd64", null), CREATED, emptyConfig(),
                List.of(), List.of(), "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theManifestListsTheLayersInOrder() throws IOException {
        Descriptor lower = new Descriptor(LAYER.mediaType(), "sha256:" + "1".repeat(64), 7);
        byte[] json = OciJson.manifest(CONFIG, List.of(lower, LAYER), CREATED, new TreeMap<>());

        JsonNode layers = JsonAssertions.parseCompact(json).path("layers");
        assertThat(layers).hasSize(2);
        assertThat(layers.path(0).path("digest").asText()).isEqualTo(lower.digest());
        assertThat(layers.path(1).path("digest").asText()).isEqualTo(LAYER.digest());
    }

    @Test
    void theSameInputGivesTheSameBytes() {
        assertThat(OciJson.config(new Platform("linux", "amd64", null), CREATED, fullConfig(), List.of(DIFF_ID), List.of("app"), "x"))
                .isEqualTo(OciJson.config(new Platform("linux", "amd64", null), CREATED, fullConfig(), List.of(DIFF_ID), List.of("app"), "x"));
    }
}
