package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.PlanningFixtures.assertInvalid;
import static org.scratchimage.core.PlanningFixtures.binary;
import static org.scratchimage.core.PlanningFixtures.file;
import static org.scratchimage.core.PlanningFixtures.plan;
import static org.scratchimage.core.PlanningFixtures.requestIn;
import static org.scratchimage.core.PlanningFixtures.symlink;
import static org.scratchimage.core.PlanningFixtures.tree;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.elf.Gcc;
import org.scratchimage.core.image.DirectoryEntry;
import org.scratchimage.core.image.ImageLayer;
import org.scratchimage.core.image.ImagePlan;
import org.scratchimage.core.image.LayerEntry;
import org.scratchimage.core.image.LayerEntryOrder;

/** Several layers: how entries are split and ordered, and that an unchanged layer survives a rebuild untouched. */
class LayersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private BuildRequest.Builder fixtures;

    @BeforeEach
    void project() throws Exception {
        Files.createDirectories(dir.resolve("runtime/lib/modules"));
        Files.writeString(dir.resolve("runtime/lib/modules/java.base"), "base module\n");
        Files.writeString(dir.resolve("runtime/release"), "JAVA_VERSION=17\n");
        Files.writeString(dir.resolve("app.jar"), "jar v1\n");
        Files.writeString(dir.resolve("app.conf"), "port=8080\n");
        fixtures = requestIn(dir);
        fixtures.addDirectory(DirectorySpec.builder().source("runtime").path("/opt/java").layer("runtime").build());
        fixtures.addFile(file("app.jar", "/opt/app/app.jar"));
        fixtures.addFile(FileSpec.builder().source("app.conf").path("/etc/app.conf").mode("0640").layer("config")
                .build());
        fixtures.addSymlink(symlink("/opt/app/current.jar", "app.jar"));
        // Sources changed a moment before a build are not trusted by their stamps: let these settle.
        Thread.sleep(Fingerprints.RACY_MILLIS + 50);
    }

    private static Map<String, List<String>> pathsByLayer(ImagePlan plan) {
        Map<String, List<String>> layers = new java.util.LinkedHashMap<>();
        for (ImageLayer layer : plan.layers()) {
            layers.put(layer.name(), layer.entries().stream().map(LayerEntry::path).toList());
        }
        return layers;
    }

    @Test
    void withoutLayersEveryDeclarationGoesToApp() throws Exception {
        BuildRequest.Builder plain = requestIn(dir).addFile(file("app.jar", "/opt/app/app.jar"))
                .addDirectory(tree("runtime", "/opt/java")).addSymlink(symlink("/opt/app/current.jar", "app.jar"));

        ImagePlan plan = plan(plain);

        assertThat(plan.layers()).hasSize(1);
        assertThat(plan.layers().get(0).name()).isEqualTo("app");
        assertThat(plan.layers().get(0).entries()).isEqualTo(plan.entries());
    }

    @Test
    void theDefaultOrderIsFirstUseInFilesThenDirectoriesThenSymlinksWithAppOnTop() throws Exception {
        ImagePlan plan = plan(fixtures);

        // <files> come before <directories>, whatever the order of the elements in the pom; app, the first layer
        // used, still goes on top.
        assertThat(pathsByLayer(plan).keySet()).containsExactly("config", "runtime", "app");
    }

    @Test
    void theJarAsAFileAndTheRuntimeAsADirectoryPutTheApplicationAboveItsRuntime() throws Exception {
        // The natural pom of issue 13: the jar without a <layer>, the runtime in its own layer.
        BuildRequest.Builder java = requestIn(dir).addFile(file("app.jar", "/opt/app/app.jar"))
                .addDirectory(DirectorySpec.builder().source("runtime").path("/opt/java").layer("runtime").build());

        assertThat(pathsByLayer(plan(java)).keySet()).containsExactly("runtime", "app");
    }

    @Test
    void theDefaultOrderPutsTheLibrariesAtTheBottomAndAppOnTopOfEveryNamedLayer() throws Exception {
        Gcc.requireGcc();
        Gcc.compile(dir, "int main(void) { return 0; }", "-o", "hello");
        // app is used first, by the binary; the named layers follow in order of first use.
        BuildRequest.Builder program = requestIn(dir).addBinary(binary("hello", "/usr/bin/hello"))
                .addFile(FileSpec.builder().source("app.conf").path("/etc/app.conf").layer("config").build())
                .addSymlink(SymlinkSpec.builder().path("/usr/bin/hi").target("hello").layer("links").build())
                .addDirectory(DirectorySpec.builder().source("runtime").path("/opt/java").layer("runtime").build());
        program.platform(null);

        assertThat(pathsByLayer(plan(program)).keySet())
                .containsExactly("libraries", "config", "runtime", "links", "app");
    }

    @Test
    void eachLayerHoldsItsEntriesWithTheRootAndTheirParents() throws Exception {
        Map<String, List<String>> layers = pathsByLayer(plan(fixtures));

        assertThat(layers.get("app")).containsExactly("", "opt", "opt/app", "opt/app/app.jar", "opt/app/current.jar");
        assertThat(layers.get("config")).containsExactly("", "etc", "etc/app.conf");
        assertThat(layers.get("runtime")).containsExactly("", "opt", "opt/java", "opt/java/lib",
                "opt/java/lib/modules", "opt/java/lib/modules/java.base", "opt/java/release");
    }

    @Test
    void theLayersTogetherHoldExactlyTheImageWithTheSameAttributesEverywhere() throws Exception {
        // A parent declared with its own mode in one layer keeps that mode in every layer that needs it.
        fixtures.addDirectory(DirectorySpec.builder().path("/opt").mode("0711").uid("7").gid("8").layer("base")
                .build());
        ImagePlan plan = plan(fixtures);

        Set<LayerEntry> union = new LinkedHashSet<>();
        for (ImageLayer layer : plan.layers()) {
            union.addAll(layer.entries());
            assertThat(layer.entries()).isSortedAccordingTo(LayerEntryOrder.TAR_ORDER);
        }
        assertThat(union).containsExactlyInAnyOrderElementsOf(plan.entries());
        List<LayerEntry> opts = plan.layers().stream().flatMap(l -> l.entries().stream())
                .filter(e -> e.path().equals("opt")).toList();
        assertThat(opts).hasSize(3).allSatisfy(opt -> {
            assertThat(opt).isInstanceOf(DirectoryEntry.class);
            assertThat(opt.mode()).isEqualTo(0711);
            assertThat(opt.uid()).isEqualTo(7);
        });
    }

    @Test
    void layersGiveTheOrderAndAListedLayerWithNothingInItIsLeftOut() throws Exception {
        fixtures.layers(List.of("libraries", "runtime", "config", "unused", "app"));

        ImagePlan plan = plan(fixtures);

        assertThat(pathsByLayer(plan).keySet()).containsExactly("runtime", "config", "app");
    }

    @Test
    void aDynamicProgramsLibrariesGoToTheLibrariesLayerFirst() throws Exception {
        Gcc.requireGcc();
        Gcc.compile(dir, "#include <stdio.h>\nint main(void) { puts(\"hi\"); return 0; }", "-o", "hello");
        BuildRequest.Builder program = requestIn(dir).addBinary(binary("hello", "/usr/bin/hello"));
        program.platform(null);

        ImagePlan plan = plan(program);

        assertThat(pathsByLayer(plan).keySet()).containsExactly("libraries", "app");
        List<String> libraries = pathsByLayer(plan).get("libraries");
        assertThat(libraries).anyMatch(p -> p.endsWith("/libc.so.6")).noneMatch(p -> p.equals("usr/bin/hello"));
        assertThat(pathsByLayer(plan).get("app")).contains("usr/bin/hello").noneMatch(p -> p.endsWith(".so.6"));
    }

    @Test
    void librariesMustBeListedWhenLayersIsSet() throws Exception {
        Gcc.requireGcc();
        Gcc.compile(dir, "int main(void) { return 0; }", "-o", "hello");
        BuildRequest.Builder program = requestIn(dir).addBinary(binary("hello", "/usr/bin/hello"));
        program.platform(null);
        program.layers(List.of("app"));

        InvalidConfigurationException e = assertInvalid(() -> plan(program), "<layers>", "libraries");
        // What the layer holds, not a restatement of its name.
        assertThat(e.getMessage()).containsPattern("\\(it holds the [0-9]+ shared libraries of /usr/bin/hello\\)")
                .contains("<layer>libraries</layer>");
    }

    @Test
    void aLayerThatLayersDoesNotListIsRejectedAtTheElementThatUsesIt() {
        fixtures.layers(List.of("app", "runtime"));

        InvalidConfigurationException e = assertInvalid(() -> plan(fixtures), "<files>/<file>[2]/<layer>", "config");
        assertThat(e.getMessage()).contains("add <layer>config</layer> to <layers>");
    }

    @Test
    void anOwnUseOfTheLibrariesLayerIsNamedWhenLayersDoesNotListIt() {
        BuildRequest.Builder f = requestIn(dir);
        f.addFile(FileSpec.builder().source("app.conf").path("/etc/app.conf").layer("libraries").build());
        f.layers(List.of("app"));

        InvalidConfigurationException e = assertInvalid(() -> plan(f), "<files>/<file>[1]/<layer>", "libraries");
        assertThat(e.getMessage()).doesNotContain("resolved");
    }

    @Test
    void aDeclarationWithoutLayerIsNamedWhenLayersDoesNotListApp() {
        BuildRequest.Builder f = requestIn(dir).addFile(file("app.conf", "/etc/app.conf"));
        f.layers(List.of("runtime"));

        InvalidConfigurationException e = assertInvalid(() -> plan(f), "<files>/<file>[1]", "app");
        assertThat(e.getMessage()).contains("has no <layer>").contains("default layer app");
    }

    @Test
    void anImageWithNothingDeclaredIsItsRootInOneLayer() throws Exception {
        BuildRequest.Builder empty = requestIn(dir);

        ImagePlan plan = plan(empty);
        BuildResult result = new ImageBuilder(line -> {}).build(empty.build());

        assertThat(pathsByLayer(plan)).containsExactly(Map.entry("app", List.of("")));
        assertThat(result.layers()).hasSize(1);
        assertThat(blob(result.configDigest()).path("rootfs").path("diff_ids")).hasSize(1);
        BuildRequest.Builder listed = requestIn(dir);
        listed.layers(List.of("base", "top"));
        assertThat(pathsByLayer(plan(listed)).keySet()).containsExactly("base");
    }

    @Test
    void aLayerListedTwiceIsRejected() {
        fixtures.layers(List.of("runtime", "config", "app", "config"));

        assertInvalid(() -> plan(fixtures), "<layers>/<layer>[4]", "config");
    }

    @Test
    void badLayerNamesAreRejectedWithTheirElement() {
        for (String bad : List.of("App", "my layer", "-app", "app-", "a..b", "", " ", "x".repeat(65), "../etc")) {
            BuildRequest.Builder f = requestIn(dir);
            f.addBinary(BinarySpec.builder().source("app.jar").path("/app").layer(bad).build());
            assertInvalid(() -> plan(f), "<binaries>/<binary>[1]/<layer>", bad);
        }
        BuildRequest.Builder listed = requestIn(dir).addFile(file("app.jar", "/app.jar"));
        listed.layers(List.of("App"));
        assertInvalid(() -> plan(listed), "<layers>/<layer>[1]", "App");
    }

    @Test
    void goodLayerNamesAreAccepted() throws Exception {
        for (String good : List.of("a", "app", "app-2", "java.base", "x_y", "0", "x".repeat(64))) {
            BuildRequest.Builder f = requestIn(dir);
            f.addSymlink(SymlinkSpec.builder().path("/link").target("x").layer(good).build());
            assertThat(plan(f).layers().get(0).name()).isEqualTo(good);
        }
    }

    @Test
    void theImageListsTheLayersInOrderWithTheirDiffIdsAndNames() throws Exception {
        fixtures.layers(List.of("runtime", "config", "app"));

        BuildResult result = new ImageBuilder(line -> {}).build(fixtures.build());

        JsonNode manifest = blob(result.manifestDigest());
        JsonNode config = blob(result.configDigest());
        assertThat(manifest.path("layers")).hasSize(3);
        assertThat(config.path("rootfs").path("diff_ids")).hasSize(3);
        for (int i = 0; i < 3; i++) {
            String digest = manifest.path("layers").path(i).path("digest").asText();
            Path file = dir.resolve("target/oci/blobs/sha256").resolve(digest.substring(7));
            // Checked from the bytes, not from what the builder says it wrote.
            assertThat("sha256:" + sha256(Files.newInputStream(file))).isEqualTo(digest);
            assertThat("sha256:" + sha256(new GZIPInputStream(Files.newInputStream(file))))
                    .isEqualTo(config.path("rootfs").path("diff_ids").path(i).asText());
            assertThat(config.path("history").path(i).path("comment").asText())
                    .isEqualTo(List.of("runtime", "config", "app").get(i));
        }
        assertThat(result.layers()).extracting(BuildResult.Layer::name).containsExactly("runtime", "config", "app");
        assertThat(result.layers()).noneMatch(BuildResult.Layer::reused);
    }

    @Test
    void anUnchangedLayerIsKeptAsItIsAndTheChangedOneIsWritten() throws Exception {
        List<String> log = new ArrayList<>();
        BuildResult first = new ImageBuilder(log::add).build(fixtures.build());
        Map<String, Object> runtimeBlob = blobFile(first, "runtime");
        Map<String, Object> configBlob = blobFile(first, "config");
        Thread.sleep(20);
        Files.writeString(dir.resolve("app.jar"), "jar v2\n");
        log.clear();

        BuildResult second = new ImageBuilder(log::add).build(fixtures.build());

        assertThat(second.upToDate()).isFalse();
        assertThat(layer(second, "runtime").reused()).isTrue();
        assertThat(layer(second, "config").reused()).isTrue();
        assertThat(layer(second, "app").reused()).isFalse();
        assertThat(layer(second, "runtime").digest()).isEqualTo(layer(first, "runtime").digest());
        assertThat(layer(second, "app").digest()).isNotEqualTo(layer(first, "app").digest());
        // Not rewritten: the same file, untouched.
        assertThat(blobFile(second, "runtime")).isEqualTo(runtimeBlob);
        assertThat(blobFile(second, "config")).isEqualTo(configBlob);
        assertThat(log).anyMatch(l -> l.startsWith("Layer runtime: ") && l.endsWith(", reused"))
                .anyMatch(l -> l.startsWith("Layer app: ") && l.endsWith(", written (app.jar changed)"));
        // The old app layer is pruned, nothing else is left.
        assertThat(Files.list(dir.resolve("target/oci/blobs/sha256")).count()).isEqualTo(5);
    }

    @Test
    void aLayerWithASourceChangedTooRecentlyIsWrittenAgainByTheNextBuild() throws Exception {
        Path conf = dir.resolve("app.conf");
        // Ahead of the clock: as if changed within the file system's last clock tick.
        Files.setLastModifiedTime(conf, FileTime.fromMillis(System.currentTimeMillis() + 3_000));
        BuildResult first = new ImageBuilder(line -> {}).build(fixtures.build());
        Files.writeString(dir.resolve("app.jar"), "jar v2\n");

        BuildResult second = new ImageBuilder(line -> {}).build(fixtures.build());

        assertThat(layer(second, "config").reused()).isFalse();
        assertThat(layer(second, "config").digest()).isEqualTo(layer(first, "config").digest());
        assertThat(layer(second, "runtime").reused()).isTrue();
    }

    @Test
    void anImageWithReusedLayersIsTheImageOfAColdBuild() throws Exception {
        new ImageBuilder(line -> {}).build(fixtures.build());
        Files.writeString(dir.resolve("app.jar"), "jar v2\n");
        BuildResult reusing = new ImageBuilder(line -> {}).build(fixtures.build());
        assertThat(reusing.layers()).filteredOn(BuildResult.Layer::reused).hasSize(2);

        BuildRequest.Builder cold = fixtures;
        Path elsewhere = dir.resolve("cold");
        BuildResult fresh = new ImageBuilder(line -> {}).build(withOutput(cold.build(), elsewhere));

        assertThat(fresh.layers()).noneMatch(BuildResult.Layer::reused);
        assertThat(fresh.manifestDigest()).isEqualTo(reusing.manifestDigest());
        assertThat(fresh.configDigest()).isEqualTo(reusing.configDigest());
    }

    @Test
    void aLayerIsWrittenAgainWhenItsBlobIsGoneOrItsCodecChanged() throws Exception {
        BuildResult first = new ImageBuilder(line -> {}).build(fixtures.build());
        Files.delete(dir.resolve("target/oci/blobs/sha256").resolve(layer(first, "runtime").digest().substring(7)));
        Files.writeString(dir.resolve("app.jar"), "jar v2\n");

        BuildResult second = new ImageBuilder(line -> {}).build(fixtures.build());

        assertThat(layer(second, "runtime").reused()).isFalse();
        assertThat(layer(second, "runtime").digest()).isEqualTo(layer(first, "runtime").digest());
        assertThat(dir.resolve("target/oci/blobs/sha256").resolve(layer(second, "runtime").digest().substring(7)))
                .isRegularFile();
        assertThat(layer(second, "config").reused()).isTrue();

        fixtures.compressionLevel("9");
        BuildResult third = new ImageBuilder(line -> {}).build(fixtures.build());

        assertThat(third.layers()).noneMatch(BuildResult.Layer::reused);
    }

    @Test
    void aChangeInOneLayersSourceDoesNotReuseItEvenWithTheSameSizeAndMtime() throws Exception {
        BuildResult first = new ImageBuilder(line -> {}).build(fixtures.build());
        Path module = dir.resolve("runtime/lib/modules/java.base");
        FileTime mtime = Files.getLastModifiedTime(module);
        Thread.sleep(20);
        Files.writeString(module, "BASE MODULE\n");
        Files.setLastModifiedTime(module, mtime);

        BuildResult second = new ImageBuilder(line -> {}).build(fixtures.build());

        assertThat(layer(second, "runtime").reused()).isFalse();
        assertThat(layer(second, "runtime").digest()).isNotEqualTo(layer(first, "runtime").digest());
        assertThat(layer(second, "app").reused()).isTrue();
    }

    private static BuildRequest withOutput(BuildRequest r, Path output) {
        return r.toBuilder().outputDirectory(output).build();
    }

    private static BuildResult.Layer layer(BuildResult result, String name) {
        return result.layers().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
    }

    private Map<String, Object> blobFile(BuildResult result, String name) throws Exception {
        Path file = dir.resolve("target/oci/blobs/sha256").resolve(layer(result, name).digest().substring(7));
        return Files.readAttributes(file, "unix:ino,lastModifiedTime,ctime").entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().toString()));
    }

    private JsonNode blob(String digest) throws Exception {
        return JSON.readTree(Files.readAllBytes(dir.resolve("target/oci/blobs/sha256").resolve(digest.substring(7))));
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (in) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
