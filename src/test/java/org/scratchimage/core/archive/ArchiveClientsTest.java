package org.scratchimage.core.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.BuildResult;
import org.scratchimage.core.tar.ExternalTools;

/**
 * The archive read by the real clients: skopeo through both of its transports (the OCI layout, and
 * {@code manifest.json} as Docker before 25 reads it), podman's {@code load}, and umoci and runc on the layout
 * extracted with GNU tar. containerd is {@link ContainerdArchiveTest}.
 */
class ArchiveClientsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private BuildResult build;
    private Path archive;

    @BeforeEach
    void archive() throws Exception {
        build = ArchiveFixtures.build(dir.resolve("p"), ArchiveFixtures.busybox());
        archive = ImageArchive.write(ArchiveFixtures.layout(dir.resolve("p")), dir.resolve("image.tar"),
                ArchiveFixtures.TIMESTAMP).file();
    }

    @Test
    void skopeoReadsTheLayoutsImageThroughTheOciArchiveAndTheDockerArchiveTransport() throws Exception {
        ExternalTools.require("skopeo");
        for (String tag : List.of("1.0", "latest")) {
            JsonNode manifest = raw("oci-archive:" + archive + ":" + tag);
            assertThat(manifest.path("config").path("digest").asText()).as(tag).isEqualTo(build.configDigest());
            assertThat(manifest.path("layers").path(0).path("digest").asText()).isEqualTo(build.layerDigest());
            assertThat(inspect("oci-archive:" + archive + ":" + tag).path("Digest").asText())
                    .isEqualTo(build.manifestDigest());
        }
        // docker-archive reads manifest.json, as Docker before 25 does; it names layers by their diff_ids.
        for (String name : List.of("myapp:1.0", "myapp:latest", "docker.io/library/myapp:1.0")) {
            JsonNode manifest = raw("docker-archive:" + archive + ":" + name);
            assertThat(manifest.path("config").path("digest").asText()).as(name).isEqualTo(build.configDigest());
            assertThat(inspect("docker-archive:" + archive + ":" + name).path("Layers").path(0).asText())
                    .isEqualTo(build.diffId());
        }
    }

    /** skopeo copy checks every blob it reads against its digest, and the diff_id of each layer it decompresses. */
    @Test
    void skopeoCopiesTheArchiveThroughEitherTransportIntoALayoutOfTheSameImage() throws Exception {
        ExternalTools.require("skopeo");
        Path fromDocker = dir.resolve("from-docker");
        ExternalTools.run(List.of("skopeo", "copy", "docker-archive:" + archive, "oci:" + fromDocker))
                .assertSuccess();
        assertThat(raw("oci:" + fromDocker).path("config").path("digest").asText()).isEqualTo(build.configDigest());

        Path fromOci = dir.resolve("from-oci");
        ExternalTools.run(List.of("skopeo", "copy", "--preserve-digests", "oci-archive:" + archive + ":1.0",
                "oci:" + fromOci + ":1.0")).assertSuccess();
        assertThat(inspect("oci:" + fromOci + ":1.0").path("Digest").asText()).isEqualTo(build.manifestDigest());
        assertThat(fromOci.resolve("blobs/sha256").resolve(build.layerDigest().substring(7)))
                .hasSameBinaryContentAs(ArchiveFixtures.layout(dir.resolve("p")).resolve("blobs/sha256")
                        .resolve(build.layerDigest().substring(7)));
    }

    /** Named as Docker would name it, so {@code myapp:1.0} finds it, not {@code localhost/latest}. */
    @Test
    void podmanLoadsTheArchiveUnderItsNames() throws Exception {
        Path store = dir.resolve("podman");
        String loaded = podman(store, "load", "-i", archive.toString()).out();
        assertThat(loaded).contains("docker.io/library/myapp:1.0").contains("docker.io/library/myapp:latest")
                .doesNotContain("localhost/");

        for (String name : List.of("myapp:1.0", "myapp:latest")) {
            JsonNode image = JSON.readTree(podman(store, "image", "inspect", name).stdout()).path(0);
            assertThat(image.path("Id").asText()).as(name).isEqualTo(build.configDigest().substring(7));
            assertThat(image.path("RepoTags").toString()).contains("docker.io/library/myapp:1.0",
                    "docker.io/library/myapp:latest");
        }
    }

    /**
     * A layout with a referrer and a nested index beside the image: the archive lists only the image, and podman loads
     * it through the OCI layout under its name (with a second entry in index.json, podman 4.3 gives up on the layout).
     */
    @Test
    void podmanLoadsTheArchiveOfALayoutWithReferrers() throws Exception {
        Path project = dir.resolve("with-referrers");
        BuildResult single = ArchiveFixtures.build(project, ArchiveFixtures.busybox(), "myapp", List.of("1.0"), "gzip");
        ReferrerFixture.addTo(ArchiveFixtures.layout(project), single.manifestDigest());
        Path withReferrers = ImageArchive.write(ArchiveFixtures.layout(project), dir.resolve("referrers.tar"),
                ArchiveFixtures.TIMESTAMP).file();

        Path store = dir.resolve("podman");
        assertThat(podman(store, "load", "-i", withReferrers.toString()).out())
                .contains("Loaded image: docker.io/library/myapp:1.0");
        JsonNode image = JSON.readTree(podman(store, "image", "inspect", "myapp:1.0").stdout()).path(0);
        assertThat(image.path("Id").asText()).isEqualTo(single.configDigest().substring(7));
        // Loaded through the layout, the image keeps the OCI manifest; through manifest.json it would get a Docker one.
        assertThat(image.path("Digest").asText()).isEqualTo(single.manifestDigest());
    }

    /** umoci applies the layer checking its diff_id, then runc runs the image's program. */
    @Test
    void theLayoutExtractedWithGnuTarIsUnpackedByUmociAndRunByRunc() throws Exception {
        ExternalTools.require("umoci");
        ExternalTools.require("runc");
        ExternalTools.requireRoot("umoci unpack without --rootless and runc run");
        Path extracted = Files.createDirectories(dir.resolve("extracted"));
        ExternalTools.run(List.of("tar", "-C", extracted.toString(), "-xf", archive.toString())).assertSuccess();

        Path bundle = dir.resolve("bundle");
        ExternalTools.run(List.of("umoci", "unpack", "--image", extracted + ":1.0", bundle.toString()))
                .assertSuccess();
        ObjectNode config = (ObjectNode) JSON.readTree(bundle.resolve("config.json").toFile());
        ((ObjectNode) config.path("process")).put("terminal", false);
        JSON.writeValue(bundle.resolve("config.json").toFile(), config);
        String id = "scratch-archive-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try {
            ExternalTools.Result run = ExternalTools.run(List.of("runc", "run", "--bundle", bundle.toString(), id));
            assertThat(run.exitCode()).as("runc run: %s %s", run.out(), run.stderr()).isZero();
            assertThat(run.out()).isEqualTo(ArchiveFixtures.GREETING + "\n");
        } finally {
            ExternalTools.run(List.of("runc", "delete", "-f", id));
        }
    }

    private static JsonNode raw(String reference) throws Exception {
        return JSON.readTree(ExternalTools.run(List.of("skopeo", "inspect", "--raw", reference)).assertSuccess().stdout());
    }

    private static JsonNode inspect(String reference) throws Exception {
        return JSON.readTree(ExternalTools.run(List.of("skopeo", "inspect", reference)).assertSuccess().stdout());
    }

    /**
     * Runs podman on a store of its own under {@code store} (vfs, so nothing is mounted), so the test leaves the
     * machine's images alone and runs beside others.
     */
    private static ExternalTools.Result podman(Path store, String... args) {
        ExternalTools.require("podman");
        List<String> command = new ArrayList<>(List.of("podman", "--root", store.resolve("root").toString(),
                "--runroot", store.resolve("run").toString(), "--tmpdir", store.resolve("tmp").toString(),
                "--storage-driver", "vfs", "--events-backend", "none"));
        command.addAll(List.of(args));
        return ExternalTools.run(command).assertSuccess();
    }
}
