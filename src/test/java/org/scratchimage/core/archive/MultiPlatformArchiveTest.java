package org.scratchimage.core.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.oci.MultiPlatformLayouts.AMD64;
import static org.scratchimage.core.oci.MultiPlatformLayouts.ARM64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.image.Platform;
import org.scratchimage.core.oci.Descriptor;
import org.scratchimage.core.oci.MultiPlatformLayouts;
import org.scratchimage.core.tar.ExternalTools;
import org.scratchimage.core.tar.RawTar;

/**
 * The archive of a multi-platform image: the OCI part keeps the image index and every platform's blobs, and
 * {@code manifest.json} (Docker before 25) holds the builder's platform, or else the first.
 */
class MultiPlatformArchiveTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theOciPartKeepsTheWholeIndexAndManifestJsonHoldsThePreferredPlatform() throws Exception {
        Path layout = dir.resolve("oci");
        MultiPlatformLayouts.Written written = MultiPlatformLayouts.write(layout, "myapp", List.of("1.0", "latest"),
                List.of(AMD64, ARM64), true);

        ArchiveResult result = ImageArchive.write(layout, dir.resolve("image.tar"), 1,
                new Platform("linux", "arm64", null));

        assertThat(result.repoTags()).containsExactly("myapp:1.0", "myapp:latest");
        Map<String, byte[]> files = contents(result.file());
        // The index, both manifests and configs, the shared layer once and each platform's own; no SBOM blob.
        List<String> blobs = new ArrayList<>(List.of(written.index().hex(), written.sharedLayer().hex()));
        for (int i = 0; i < 2; i++) {
            blobs.add(written.manifests().get(i).hex());
            blobs.add(written.configs().get(i).hex());
            blobs.add(ownLayer(layout, written.manifests().get(i)).substring(7));
        }
        assertThat(files.keySet()).filteredOn(name -> name.startsWith("blobs/sha256/") && name.length() > 14)
                .containsExactlyInAnyOrderElementsOf(blobs.stream().map(hex -> "blobs/sha256/" + hex).toList());
        for (String hex : blobs) {
            assertThat(files.get("blobs/sha256/" + hex)).isEqualTo(Files.readAllBytes(layout.resolve("blobs/sha256/"
                    + hex)));
        }
        JsonNode index = JSON.readTree(files.get("index.json"));
        assertThat(index.path("manifests")).hasSize(2).allSatisfy(entry -> {
            assertThat(entry.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
            assertThat(entry.path("digest").asText()).isEqualTo(written.index().digest());
            assertThat(entry.has("platform")).isFalse();
        });
        assertThat(index.path("manifests").get(1).path("annotations").path("io.containerd.image.name").asText())
                .isEqualTo("docker.io/library/myapp:latest");
        // arm64 asked without a variant finds linux/arm64/v8.
        JsonNode docker = JSON.readTree(files.get("manifest.json"));
        assertThat(docker).hasSize(1);
        assertThat(docker.get(0).path("Config").asText()).isEqualTo("blobs/sha256/" + written.configs().get(1).hex());
        assertThat(docker.get(0).path("Layers").get(1).asText())
                .isEqualTo("blobs/sha256/" + ownLayer(layout, written.manifests().get(1)).substring(7));
        assertThat(JSON.readTree(files.get("repositories")).path("docker.io/library/myapp").path("1.0").asText())
                .isEqualTo(ownLayer(layout, written.manifests().get(1)).substring(7));

        // Real clients: skopeo reads the index through oci-archive, picks a platform from it, and reads the
        // preferred one through docker-archive, as Docker before 25 would.
        ExternalTools.require("skopeo");
        assertThat(skopeo("inspect", "--raw", "oci-archive:" + result.file() + ":1.0").stdout())
                .isEqualTo(Files.readAllBytes(layout.resolve("blobs/sha256/" + written.index().hex())));
        Path copy = dir.resolve("amd64");
        skopeo("--override-arch", "amd64", "copy", "--preserve-digests", "oci-archive:" + result.file() + ":latest", "oci:" + copy + ":x");
        assertThat(JSON.readTree(copy.resolve("index.json").toFile()).path("manifests").get(0).path("digest").asText())
                .isEqualTo(written.manifests().get(0).digest());
        assertThat(JSON.readTree(skopeo("inspect", "docker-archive:" + result.file() + ":myapp:1.0").stdout())
                .path("Architecture").asText()).isEqualTo("arm64");
    }

    @Test
    void withoutThePreferredPlatformInTheIndexManifestJsonHoldsTheFirst() throws Exception {
        Path layout = dir.resolve("oci");
        MultiPlatformLayouts.Written written = MultiPlatformLayouts.write(layout, "myapp", List.of("1.0"),
                List.of(ARM64, AMD64), false);

        for (Platform preferred : new Platform[] {null, new Platform("linux", "s390x", null)}) {
            Path archive = ImageArchive.write(layout, dir.resolve("image.tar"), 1, preferred).file();

            assertThat(JSON.readTree(contents(archive).get("manifest.json")).get(0).path("Config").asText())
                    .as("preferred %s", preferred).isEqualTo("blobs/sha256/" + written.configs().get(0).hex());
        }
        Path amd64 = ImageArchive.write(layout, dir.resolve("image.tar"), 1, AMD64).file();
        assertThat(JSON.readTree(contents(amd64).get("manifest.json")).get(0).path("Config").asText())
                .isEqualTo("blobs/sha256/" + written.configs().get(1).hex());
    }

    /**
     * What podman 4.3 loads from a two-platform archive. With one tag, index.json has one entry and podman reads the
     * OCI part, picking its own platform from the index (amd64 here), whatever manifest.json holds; with two tags it
     * falls back to manifest.json, the preferred platform.
     */
    @Test
    void podmanLoadsATwoPlatformArchive() throws Exception {
        ExternalTools.requireThat(System.getProperty("os.arch").equals("amd64"), "an amd64 machine, which podman"
                + " picks from the index");
        for (List<String> tags : List.of(List.of("1.0"), List.of("1.0", "latest"))) {
            Path layout = dir.resolve("oci-" + tags.size());
            MultiPlatformLayouts.Written written = MultiPlatformLayouts.write(layout, "myapp", tags,
                    List.of(AMD64, ARM64), true);
            Path archive = ImageArchive.write(layout, dir.resolve("image-" + tags.size() + ".tar"), 1, ARM64).file();

            Path store = dir.resolve("podman-" + tags.size());
            assertThat(podman(store, "load", "-i", archive.toString()).out())
                    .contains("Loaded image: docker.io/library/myapp:1.0");
            JsonNode image = JSON.readTree(podman(store, "image", "inspect", "myapp:1.0").stdout()).path(0);
            int platform = tags.size() == 1 ? 0 : 1;
            assertThat(image.path("Architecture").asText()).as("%s tags", tags.size())
                    .isEqualTo(platform == 0 ? "amd64" : "arm64");
            assertThat(image.path("Id").asText()).isEqualTo(written.configs().get(platform).hex());
        }
    }

    private static String ownLayer(Path layout, Descriptor manifest) throws Exception {
        return JSON.readTree(layout.resolve("blobs/sha256/" + manifest.hex()).toFile()).path("layers").get(1)
                .path("digest").asText();
    }

    private static Map<String, byte[]> contents(Path archive) throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (RawTar.Header header : RawTar.parse(Files.readAllBytes(archive))) {
            files.put(header.ustarPath(), header.data());
        }
        return files;
    }

    private static ExternalTools.Result skopeo(String... arguments) {
        List<String> command = new ArrayList<>(List.of("skopeo"));
        command.addAll(List.of(arguments));
        return ExternalTools.run(command).assertSuccess();
    }

    private static ExternalTools.Result podman(Path store, String... args) {
        ExternalTools.require("podman");
        List<String> command = new ArrayList<>(List.of("podman", "--root", store.resolve("root").toString(),
                "--runroot", store.resolve("run").toString(), "--tmpdir", store.resolve("tmp").toString(),
                "--storage-driver", "vfs", "--events-backend", "none"));
        command.addAll(List.of(args));
        return ExternalTools.run(command).assertSuccess();
    }
}
