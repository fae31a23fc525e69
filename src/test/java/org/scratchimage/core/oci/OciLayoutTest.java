package org.scratchimage.core.oci;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.image.ContainerConfig;
import org.scratchimage.core.image.Platform;

/** The layout and its transaction: a new layout replaces the old one whole; one not committed leaves no trace. */
class OciLayoutTest {
    private static final Platform PLATFORM = new Platform("linux", "amd64", null);
    private static final Instant CREATED = Instant.ofEpochSecond(1);
    static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar";

    @TempDir
    Path temp;

    /** The three blobs and index of a one-layer image, written through the layout's own transaction. */
    record Written(Descriptor layer, Descriptor config, Descriptor manifest) {}

    static Written write(OciLayout layout, String layerContent, String tag) throws IOException {
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
