package org.scratchimage.core.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.scratchimage.core.oci.OciLayoutTest.LAYER_TYPE;
import static org.scratchimage.core.oci.OciLayoutTest.write;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.oci.OciLayoutTest.Written;

/** Where the layout may be written: a folder holding anything but a layout this plugin wrote is refused, unchanged. */
class LayoutOwnershipTest {
    @TempDir
    Path temp;

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

    @Test
    void aStagingFolderAloneDoesNotMakeAForeignFolderAcceptable() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("oci"));
        Files.createDirectory(dir.resolve(OciLayout.STAGING));
        Files.writeString(dir.resolve("pom.xml"), "<project/>");

        assertRefusedUnchanged(dir, "pom.xml");
    }

    @Test
    void aReferrerOfAnImageTheIndexDoesNotListIsRefused() throws Exception {
        Path dir = temp.resolve("oci");
        write(OciLayout.open(dir), "layer", "1.0");
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("blobs/sha256").resolve(LayoutSnapshot.sha256(empty)), empty);
        byte[] referrer = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.MANIFEST + "\",\"artifactType\":\""
                + MediaTypes.SPDX_JSON + "\",\"config\":{\"mediaType\":\"" + MediaTypes.EMPTY + "\",\"digest\":\"sha256:"
                + LayoutSnapshot.sha256(empty) + "\",\"size\":2},\"layers\":[],\"subject\":{\"mediaType\":\""
                + MediaTypes.MANIFEST + "\",\"digest\":\"sha256:" + LayoutSnapshot.sha256(new byte[] {1})
                + "\",\"size\":1}}").getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("blobs/sha256").resolve(LayoutSnapshot.sha256(referrer)), referrer);
        String index = Files.readString(dir.resolve("index.json"));
        Files.writeString(dir.resolve("index.json"), index.substring(0, index.length() - 2) + ",{\"mediaType\":\""
                + MediaTypes.MANIFEST + "\",\"digest\":\"sha256:" + LayoutSnapshot.sha256(referrer) + "\",\"size\":"
                + referrer.length + "}]}");

        assertRefusedUnchanged(dir, "(a referrer sha256:" + LayoutSnapshot.sha256(referrer)
                + " of an image it does not list)");
    }

    @Test
    void aMultiPlatformLayoutThisPluginWroteIsOursAndMayBeReplaced() throws Exception {
        Path dir = temp.resolve("oci");
        MultiPlatformLayouts.write(dir, "app", List.of("1.0", "latest"),
                List.of(MultiPlatformLayouts.AMD64, MultiPlatformLayouts.ARM64), true);

        LayoutOwnership.check(dir);
        write(OciLayout.open(dir), "layer", "1.0");

        assertThat(Files.readString(dir.resolve("index.json"))).doesNotContain(MediaTypes.INDEX + "\",\"digest");
    }

    @Test
    void anImageIndexListingAnImageAnotherToolWroteIsRefused() throws Exception {
        Path dir = temp.resolve("oci");
        MultiPlatformLayouts.Written written = MultiPlatformLayouts.write(dir, "app", List.of("1.0"),
                List.of(MultiPlatformLayouts.AMD64, MultiPlatformLayouts.ARM64), false);
        // The arm64 config rewritten in place as another tool's, its manifest and the index following it.
        Path blobs = dir.resolve("blobs/sha256");
        Descriptor armConfig = written.configs().get(1);
        String config = Files.readString(blobs.resolve(armConfig.hex()))
                .replace(OciLayout.CREATED_BY_PREFIX + "test", "buildah 1.28");
        String manifest = Files.readString(blobs.resolve(written.manifests().get(1).hex()))
                .replace(armConfig.digest(), put(blobs, config)).replace("\"size\":" + armConfig.size() + "}",
                        "\"size\":" + config.length() + "}");
        String index = Files.readString(blobs.resolve(written.index().hex()))
                .replace(written.manifests().get(1).digest(), put(blobs, manifest))
                .replace("\"size\":" + written.manifests().get(1).size() + ",", "\"size\":" + manifest.length() + ",");
        String newIndex = put(blobs, index);
        Files.writeString(dir.resolve("index.json"), Files.readString(dir.resolve("index.json"))
                .replace(written.index().digest(), newIndex)
                .replace("\"size\":" + written.index().size() + ",", "\"size\":" + index.length() + ","));

        assertRefusedUnchanged(dir, "another tool wrote (image " + MultiPlatformLayouts.digest(
                manifest.getBytes(StandardCharsets.UTF_8)) + ")");
    }

    @Test
    void anImageIndexListingAnotherIndexOrNothingIsRefused() throws Exception {
        Path dir = temp.resolve("oci");
        MultiPlatformLayouts.Written written = MultiPlatformLayouts.write(dir, "app", List.of("1.0"),
                List.of(MultiPlatformLayouts.AMD64), false);
        Path blobs = dir.resolve("blobs/sha256");
        String nested = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.INDEX + "\",\"manifests\":[{"
                + "\"mediaType\":\"" + MediaTypes.INDEX + "\",\"digest\":\"" + written.index().digest() + "\","
                + "\"size\":" + written.index().size() + "}]}";
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\""
                + MediaTypes.INDEX + "\",\"digest\":\"" + put(blobs, nested) + "\",\"size\":" + nested.length()
                + "}]}");
        assertRefusedUnchanged(dir, "which is no image manifest");

        String empty = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.INDEX + "\",\"manifests\":[]}";
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\""
                + MediaTypes.INDEX + "\",\"digest\":\"" + put(blobs, empty) + "\",\"size\":" + empty.length()
                + "}]}");
        assertRefusedUnchanged(dir, "lists no image)");
    }

    /** @return the digest of {@code content}, stored as a blob */
    private static String put(Path blobs, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Files.write(blobs.resolve(LayoutSnapshot.sha256(bytes)), bytes);
        return "sha256:" + LayoutSnapshot.sha256(bytes);
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

    @Test
    void aLayoutWhoseIndexNamesAMissingBlobIsRefused() throws Exception {
        Path dir = temp.resolve("oci");
        Written written = write(OciLayout.open(dir), "layer", "1.0");
        Files.delete(dir.resolve("blobs/sha256/" + written.config().digest().substring(7)));

        assertRefusedUnchanged(dir, "cannot be read");
    }

    @Test
    void anotherBuildCommittingAndPruningMeanwhileIsNoReasonToRefuse() throws Exception {
        // The check runs before the lock: the blobs of the index it read may be pruned by a commit under it.
        Path dir = temp.resolve("oci");
        write(OciLayout.open(dir), "layer 0", "1.0");
        OciLayout layout = OciLayout.open(dir);
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<IOException> failed = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 1; i <= 400; i++) {
                    write(layout, "layer " + i, "1.0");
                }
            } catch (IOException e) {
                failed.set(e);
            } finally {
                done.set(true);
            }
        });
        writer.start();
        int checks = 0;
        try {
            while (!done.get()) {
                LayoutOwnership.check(dir);
                checks++;
            }
        } finally {
            writer.join();
        }
        assertThat(failed.get()).isNull();
        assertThat(checks).isPositive();
    }

    private static void assertRefusedUnchanged(Path dir, String reason) throws IOException {
        Map<String, String> before = LayoutSnapshot.of(dir);

        assertThatThrownBy(() -> LayoutOwnership.check(dir))
                .isInstanceOf(UnsafeOutputDirectoryException.class)
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((UnsafeOutputDirectoryException) e).directory())
                        .isEqualTo(dir.toAbsolutePath().normalize()));
        // The layout is only opened through this check.
        assertThatThrownBy(() -> OciLayout.open(dir))
                .isInstanceOf(UnsafeOutputDirectoryException.class)
                .hasMessageContaining(reason);
        assertThat(LayoutSnapshot.of(dir)).isEqualTo(before);
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
