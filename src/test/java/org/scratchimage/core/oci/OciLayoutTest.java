package org.scratchimage.core.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.image.ContainerConfig;
import org.scratchimage.core.image.Platform;

class OciLayoutTest {
    private static final Platform PLATFORM = new Platform("linux", "amd64", null);
    private static final Instant CREATED = Instant.ofEpochSecond(1);
    private static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar";

    @TempDir
    Path temp;

    /** The three blobs and index of a one-layer image, written through the layout's own transaction. */
    private record Written(Descriptor layer, Descriptor config, Descriptor manifest) {}

    private static Written write(OciLayout layout, String layerContent, String tag) throws IOException {
        try (OciLayout.Transaction transaction = layout.begin()) {
            Path staged = transaction.newStagingFile();
            byte[] layerBytes = layerContent.getBytes(StandardCharsets.UTF_8);
            try (OutputStream out = OciLayout.output(staged)) {
                out.write(layerBytes);
            }
            Descriptor layer = transaction.addBlob(staged, "sha256:" + LayoutSnapshot.sha256(layerBytes),
                    layerBytes.length, LAYER_TYPE);
            Descriptor config = transaction.addBlob(OciJson.config(PLATFORM, CREATED, emptyConfig(),
                    List.of(layer.digest()), List.of("app"), OciLayout.CREATED_BY_PREFIX + "test"), MediaTypes.CONFIG);
            Descriptor manifest = transaction.addBlob(OciJson.manifest(config, List.of(layer), CREATED, new TreeMap<>()),
                    MediaTypes.MANIFEST);
            transaction.commit(OciJson.index(manifest, PLATFORM, "app", List.of(tag)));
            return new Written(layer, config, manifest);
        }
    }

    private static ContainerConfig emptyConfig() {
        return new ContainerConfig(null, new TreeSet<>(), new TreeMap<>(), List.of(), List.of(), new TreeSet<>(),
                null, new TreeMap<>(), null);
    }

    private static void assertIsExactlyTheLayoutOf(Path dir, Written written) throws IOException {
        Map<String, String> snapshot = LayoutSnapshot.of(dir);
        assertThat(snapshot.keySet()).containsExactlyInAnyOrder("", "oci-layout", "index.json", "blobs",
                "blobs/sha256", "blobs/sha256/" + written.layer().hex(), "blobs/sha256/" + written.config().hex(),
                "blobs/sha256/" + written.manifest().hex());
        assertThat(Files.readString(dir.resolve("oci-layout"))).isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");
        JsonNode index = JsonAssertions.parseCompact(Files.readAllBytes(dir.resolve("index.json")));
        assertThat(index.path("manifests").path(0).path("digest").asText()).isEqualTo(written.manifest().digest());
        for (Descriptor blob : List.of(written.layer(), written.config(), written.manifest())) {
            byte[] bytes = Files.readAllBytes(dir.resolve("blobs/sha256").resolve(blob.hex()));
            assertThat("sha256:" + LayoutSnapshot.sha256(bytes)).isEqualTo(blob.digest());
            assertThat((long) bytes.length).isEqualTo(blob.size());
        }
    }

    // ---- where the layout may be written ----

    @Test
    void writesIntoADirectoryThatDoesNotExistYet() throws Exception {
        Path dir = temp.resolve("target/oci");

        Written written = write(OciLayout.open(dir), "layer", "1.0");

        assertIsExactlyTheLayoutOf(dir, written);
    }

    @Test
    void writesIntoAnEmptyDirectory() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("oci"));

        Written written = write(OciLayout.open(dir), "layer", "1.0");

        assertIsExactlyTheLayoutOf(dir, written);
    }

    @Test
    void refusesAFolderHoldingAForeignFileAndChangesNothing() throws Exception {
        Path dir = temp.resolve("oci");
        write(OciLayout.open(dir), "layer", "1.0");
        Files.writeString(dir.resolve("notes.txt"), "mine");

        assertRefusedUnchanged(dir, "notes.txt");
    }

    @Test
    void refusesAProjectFolderAndChangesNothing() throws Exception {
        Path project = Files.createDirectory(temp.resolve("project"));
        Files.writeString(project.resolve("pom.xml"), "<project/>");
        Files.createDirectories(project.resolve("src/main/java"));
        Files.writeString(project.resolve("src/main/java/App.java"), "class App {}");

        assertRefusedUnchanged(project, "pom.xml");
    }

    @Test
    void refusesTheFileSystemRoot() throws Exception {
        Path root = Path.of("/");
        List<String> before = list(root);

        assertThatThrownBy(() -> OciLayout.open(root)).isInstanceOf(UnsafeOutputDirectoryException.class);
        assertThat(list(root)).isEqualTo(before).doesNotContain(OciLayout.STAGING, "index.json", "oci-layout");
    }

    @Test
    void refusesAPlainFile() throws Exception {
        Path file = Files.writeString(temp.resolve("oci"), "not a folder");

        assertRefusedUnchanged(file, "not a directory");
    }

    @Test
    void refusesALayoutThatAnotherToolWrote() throws Exception {
        Path dir = handMadeLayout("buildah version 1.28.2 (image-spec 1.1.0)");

        assertRefusedUnchanged(dir, "another tool");
    }

    @Test
    void refusesALayoutWhoseConfigHasNoHistory() throws Exception {
        Path dir = handMadeLayout(null);

        assertRefusedUnchanged(dir, "another tool");
    }

    @Test
    void refusesALayoutWhoseIndexListsNoImage() throws Exception {
        // What "umoci init" plus a blob added by hand looks like: nothing proves this plugin wrote it.
        Path dir = Files.createDirectories(temp.resolve("oci/blobs/sha256")).getParent().getParent();
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[]}");
        byte[] blob = "someone else's blob".getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("blobs/sha256").resolve(LayoutSnapshot.sha256(blob)), blob);

        assertRefusedUnchanged(dir, "no image");
    }

    @Test
    void refusesALayoutWhoseIndexNamesAHugeBlobWithoutReadingIt() throws Exception {
        // Read whole, a foreign layout's multi-GB layer named as a manifest would exhaust a small heap: documents over
        // 4 MiB are refused unread. Here a 5 MiB manifest that would otherwise pass as the plugin's own.
        Path dir = Files.createDirectories(temp.resolve("oci/blobs/sha256")).getParent().getParent();
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        byte[] config = ("{\"history\":[{\"created_by\":\"" + OciLayout.CREATED_BY_PREFIX + "1\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        String configHex = LayoutSnapshot.sha256(config);
        Files.write(dir.resolve("blobs/sha256").resolve(configHex), config);
        byte[] manifest = ("{\"config\":{\"digest\":\"sha256:" + configHex + "\"},\"pad\":\""
                + "x".repeat(5 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        String manifestHex = LayoutSnapshot.sha256(manifest);
        Files.write(dir.resolve("blobs/sha256").resolve(manifestHex), manifest);
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"sha256:"
                + manifestHex + "\"}]}");

        assertRefusedUnchanged(dir, "cannot be read");
    }

    @Test
    void refusesALayoutWhoseIndexIsNotJson() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("oci/blobs/sha256")).getParent().getParent();
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(dir.resolve("index.json"), "{\"manifests\":[" + "9".repeat(2_000_000) + "]}");

        assertRefusedUnchanged(dir, "cannot be read");
    }

    @Test
    void refusesALayoutWhoseIndexIsNotAnObject() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("oci/blobs/sha256")).getParent().getParent();
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(dir.resolve("index.json"), "[]");

        assertRefusedUnchanged(dir, "no image");
    }

    @Test
    void refusesALayoutWithoutIndex() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("oci"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");

        assertRefusedUnchanged(dir, "index.json");
    }

    @Test
    void refusesBlobsOfAnotherAlgorithmOrName() throws Exception {
        Path dir = temp.resolve("oci");
        write(OciLayout.open(dir), "layer", "1.0");
        Files.createDirectories(dir.resolve("blobs/sha512"));
        assertRefusedUnchanged(dir, "sha512");

        Files.delete(dir.resolve("blobs/sha512"));
        Files.writeString(dir.resolve("blobs/sha256/README"), "keep me");
        assertRefusedUnchanged(dir, "README");
    }

    @Test
    void refusesABlobFolderThatIsALinkToAnotherStore() throws Exception {
        // A shared blob store linked in: pruning through the link would delete other images' blobs.
        Path store = Files.createDirectories(temp.resolve("shared-store"));
        byte[] other = "another image's layer".getBytes(StandardCharsets.UTF_8);
        Files.write(store.resolve(LayoutSnapshot.sha256(other)), other);
        Path dir = temp.resolve("oci");
        Written written = write(OciLayout.open(dir), "layer", "1.0");
        for (Descriptor blob : List.of(written.layer(), written.config(), written.manifest())) {
            Files.move(dir.resolve("blobs/sha256").resolve(blob.hex()), store.resolve(blob.hex()));
        }
        Files.delete(dir.resolve("blobs/sha256"));
        Files.createSymbolicLink(dir.resolve("blobs/sha256"), store);
        Map<String, String> storeBefore = LayoutSnapshot.of(store);

        assertRefusedUnchanged(dir, "link");
        assertThat(LayoutSnapshot.of(store)).isEqualTo(storeBefore);
    }

    @Test
    void refusesABlobsEntryThatIsAFile() throws Exception {
        Path dir = temp.resolve("oci");
        write(OciLayout.open(dir), "layer", "1.0");
        Path blobs = dir.resolve("blobs");
        try (Stream<Path> files = Files.walk(blobs)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        Files.writeString(blobs, "not a folder");

        assertRefusedUnchanged(dir, "blobs");
    }

    private Path handMadeLayout(String createdBy) throws IOException {
        Path dir = Files.createDirectories(temp.resolve("oci/blobs/sha256")).getParent().getParent();
        byte[] layer = "layer".getBytes(StandardCharsets.UTF_8);
        String history = createdBy == null ? "" : ",\"history\":[{\"created_by\":\"" + createdBy + "\"}]";
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\"sha256:" + LayoutSnapshot.sha256(layer) + "\"]}" + history + "}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"" + MediaTypes.CONFIG + "\",\"digest\":\"sha256:" + LayoutSnapshot.sha256(config) + "\",\"size\":"
                + config.length + "},\"layers\":[{\"mediaType\":\"" + LAYER_TYPE + "\",\"digest\":\"sha256:"
                + LayoutSnapshot.sha256(layer) + "\",\"size\":" + layer.length + "}]}")
                .getBytes(StandardCharsets.UTF_8);
        for (byte[] blob : List.of(layer, config, manifest)) {
            Files.write(dir.resolve("blobs/sha256").resolve(LayoutSnapshot.sha256(blob)), blob);
        }
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\": 2, \"manifests\": [{\"mediaType\":\""
                + MediaTypes.MANIFEST + "\",\"digest\":\"sha256:" + LayoutSnapshot.sha256(manifest) + "\",\"size\":"
                + manifest.length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"latest\"}}]}\n");
        return dir;
    }

    private static void assertRefusedUnchanged(Path dir, String reason) throws IOException {
        Map<String, String> before = LayoutSnapshot.of(dir);

        assertThatThrownBy(() -> OciLayout.open(dir))
                .isInstanceOf(UnsafeOutputDirectoryException.class)
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((UnsafeOutputDirectoryException) e).directory())
                        .isEqualTo(dir.toAbsolutePath().normalize()));
        assertThat(LayoutSnapshot.of(dir)).isEqualTo(before);
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    // ---- replacing a layout it wrote ----

    @Test
    void aNewLayoutReplacesTheOldOneAndRemovesOnlyBlobsNothingReferences() throws Exception {
        Path dir = temp.resolve("oci");
        Written first = write(OciLayout.open(dir), "first layer", "1.0");

        Written second = write(OciLayout.open(dir), "second layer", "2.0");

        assertIsExactlyTheLayoutOf(dir, second);
        assertThat(dir.resolve("blobs/sha256").resolve(first.layer().hex())).doesNotExist();
        assertThat(dir.resolve("blobs/sha256").resolve(first.manifest().hex())).doesNotExist();
    }

    @Test
    void aBlobBothLayoutsShareIsKept() throws Exception {
        Path dir = temp.resolve("oci");
        Written first = write(OciLayout.open(dir), "same layer", "1.0");

        Written second = write(OciLayout.open(dir), "same layer", "2.0");

        assertThat(second.layer()).isEqualTo(first.layer());
        assertIsExactlyTheLayoutOf(dir, second);
        JsonNode index = JsonAssertions.parseCompact(Files.readAllBytes(dir.resolve("index.json")));
        assertThat(index.path("manifests").path(0).path("annotations").path(OciJson.REF_NAME).asText())
                .isEqualTo("2.0");
    }

    @Test
    void aStagingFolderLeftByACrashedBuildIsRemovedByTheNextOne() throws Exception {
        Path dir = temp.resolve("oci");
        write(OciLayout.open(dir), "first layer", "1.0");
        Path staging = Files.createDirectory(dir.resolve(OciLayout.STAGING));
        Files.writeString(staging.resolve("blob-1"), "half a layer");
        Files.writeString(staging.resolve("blob-2"), "");

        Written second = write(OciLayout.open(dir), "second layer", "1.0");

        assertIsExactlyTheLayoutOf(dir, second);
    }

    @Test
    void aFirstBuildThatCrashedBeforeItsCommitDoesNotBlockTheNextOne() throws Exception {
        // What a killed first build leaves: the staging folder and the blobs renamed so far, no index.
        Path dir = Files.createDirectories(temp.resolve("oci/blobs/sha256")).getParent().getParent();
        byte[] orphan = "layer of the crashed build".getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("blobs/sha256").resolve(LayoutSnapshot.sha256(orphan)), orphan);
        Path staging = Files.createDirectory(dir.resolve(OciLayout.STAGING));
        Files.writeString(staging.resolve("blob-2"), "half a config");

        Written written = write(OciLayout.open(dir), "layer", "1.0");

        assertIsExactlyTheLayoutOf(dir, written);
    }

    @Test
    void aFailedBuildAfterACrashedFirstBuildLeavesAnEmptyFolderThatTheNextBuildAccepts() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("oci/blobs/sha256")).getParent().getParent();
        byte[] orphan = "layer of the crashed build".getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("blobs/sha256").resolve(LayoutSnapshot.sha256(orphan)), orphan);
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.createDirectory(dir.resolve(OciLayout.STAGING));

        try (OciLayout.Transaction transaction = OciLayout.open(dir).begin()) {
            transaction.addBlob("a new blob".getBytes(StandardCharsets.UTF_8), MediaTypes.CONFIG);
        }

        assertThat(dir).isEmptyDirectory();
        Written written = write(OciLayout.open(dir), "layer", "1.0");
        assertIsExactlyTheLayoutOf(dir, written);
    }

    @Test
    void aStagingFolderAloneDoesNotMakeAForeignFolderAcceptable() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("oci"));
        Files.createDirectory(dir.resolve(OciLayout.STAGING));
        Files.writeString(dir.resolve("pom.xml"), "<project/>");

        assertRefusedUnchanged(dir, "pom.xml");
    }

    @Test
    void aTransactionClosedWithoutCommitLeavesThePreviousLayoutExactlyAsItWas() throws Exception {
        Path dir = temp.resolve("oci");
        write(OciLayout.open(dir), "first layer", "1.0");
        Map<String, String> before = LayoutSnapshot.of(dir);

        try (OciLayout.Transaction transaction = OciLayout.open(dir).begin()) {
            transaction.addBlob("a new blob".getBytes(StandardCharsets.UTF_8), MediaTypes.CONFIG);
            transaction.newStagingFile();
        }

        assertThat(LayoutSnapshot.of(dir)).isEqualTo(before);
    }

    @Test
    void aFirstTransactionClosedWithoutCommitLeavesNoFolderBehind() throws Exception {
        Path dir = temp.resolve("target/oci");

        try (OciLayout.Transaction transaction = OciLayout.open(dir).begin()) {
            transaction.addBlob("a new blob".getBytes(StandardCharsets.UTF_8), MediaTypes.CONFIG);
        }

        assertThat(temp.resolve("target")).doesNotExist();
        write(OciLayout.open(dir), "layer", "1.0");
    }

    @Test
    void aFirstTransactionInAnEmptyFolderLeavesItEmpty() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("oci"));

        try (OciLayout.Transaction transaction = OciLayout.open(dir).begin()) {
            transaction.addBlob("a new blob".getBytes(StandardCharsets.UTF_8), MediaTypes.CONFIG);
        }

        assertThat(dir).isEmptyDirectory();
    }
}
