package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.PlanningFixtures.binary;
import static org.scratchimage.core.PlanningFixtures.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.archive.ImageArchive;
import org.scratchimage.core.image.Platform;
import org.scratchimage.core.oci.LayoutContents;
import org.scratchimage.core.oci.LayoutIndex;
import org.scratchimage.core.oci.LayoutReader;
import org.scratchimage.core.tar.ExternalTools;
import org.scratchimage.testing.registry.AnonymousRegistryTest;

/**
 * A real two-platform build (amd64 from {@code /}, arm64 from Debian's arm64 packages) read, pushed and archived:
 * what main's {@code <platforms>} writes is what the consumers read.
 */
class MultiPlatformConsumersTest extends AnonymousRegistryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path project;

    /** @return the arm64 sysroot .ci/run prepares */
    static Path arm64Sysroot() {
        String set = System.getenv("SCRATCH_ARM64_SYSROOT");
        Path sysroot = Path.of(set == null || set.isEmpty() ? "/var/cache/scratch/arm64-sysroot" : set);
        ExternalTools.requireThat(Files.isRegularFile(sysroot.resolve("bin/busybox")), "an arm64 sysroot at "
                + sysroot + " (SCRATCH_ARM64_SYSROOT); make it with .ci/arm64-sysroot " + sysroot);
        return sysroot;
    }

    @Test
    void theBuildsIndexIsReadPushedWithEachPlatformAndArchivedWhole() throws Exception {
        ExternalTools.require("skopeo");
        Path sysroot = arm64Sysroot();
        ExternalTools.requireThat(Files.isRegularFile(Path.of("/bin/busybox")), "busybox-static on the host");
        Files.writeString(project.resolve("app.conf"), "port=8080\n");
        Thread.sleep(Fingerprints.RACY_MILLIS + 50);
        String image = registry.host() + "/real/app";
        BuildResult built = new ImageBuilder(line -> {}).build(PlanningFixtures.requestIn(project).image(image)
                .platform(null).tags(List.of("1.0", "latest"))
                .platforms(List.of(new PlatformSpec("linux/amd64", null),
                        new PlatformSpec("linux/arm64", sysroot.toString())))
                .addBinary(binary("/bin/busybox", "/bin/busybox")).addFile(file("app.conf", "/etc/app.conf"))
                .sbomFile(Path.of("target/sbom.json")).project(SbomTest.PROJECT).build());
        Path indexBlob = built.layout().resolve("blobs/sha256").resolve(built.index().digest().substring(7));

        LayoutContents read = LayoutReader.read(built.layout());
        assertThat(read.images()).isEmpty();
        LayoutIndex index = read.indexes().get(0);
        assertThat(index.manifest().digest()).isEqualTo(built.index().digest());
        assertThat(index.names()).containsExactly(image + ":1.0", image + ":latest");
        assertThat(index.images()).extracting(i -> i.manifest().digest())
                .containsExactlyElementsOf(built.images().stream().map(BuildResult.Image::manifestDigest).toList());
        assertThat(index.images()).extracting(i -> i.platform().toString()).containsExactly("linux/amd64",
                "linux/arm64");
        assertThat(read.referrers()).extracting(r -> r.subject().digest())
                .containsExactlyElementsOf(built.images().stream().map(BuildResult.Image::manifestDigest).toList());

        Path imageFile = project.resolve("target/scratch-image.json");
        new ImagePusher(new PushListener() {
            @Override
            public void info(String message) {}

            @Override
            public void debug(String message) {}

            @Override
            public void warn(String message) {}
        }).push(PushRequest.builder().outputDirectory(built.layout()).imageFile(imageFile).build());

        assertThat(skopeo("inspect", "--raw", "--tls-verify=false", "docker://" + image + ":latest").stdout())
                .isEqualTo(Files.readAllBytes(indexBlob));
        JsonNode arm64 = JSON.readTree(skopeo("--override-arch", "arm64", "inspect", "--tls-verify=false",
                "docker://" + image + ":1.0").stdout());
        assertThat(arm64.path("Architecture").asText()).isEqualTo("arm64");
        assertThat(arm64.path("Layers").size()).isEqualTo(built.images().get(1).layers().size());
        for (int i = 0; i < arm64.path("Layers").size(); i++) {
            assertThat(arm64.path("Layers").get(i).asText()).isEqualTo(built.images().get(1).layers().get(i).digest());
        }
        JsonNode metadata = JSON.readTree(imageFile.toFile());
        assertThat(metadata.path("digest").asText()).isEqualTo(built.index().digest());
        for (int i = 0; i < 2; i++) {
            JsonNode manifest = metadata.path("manifests").get(i);
            assertThat(manifest.path("digest").asText()).isEqualTo(built.images().get(i).manifestDigest());
            assertThat(manifest.path("layers").size()).isEqualTo(built.images().get(i).layers().size());
        }
        assertThat(metadata.path("pushed").get(0).asText()).isEqualTo(image + ":1.0@" + built.index().digest());

        Path archive = ImageArchive.write(built.layout(), project.resolve("target/image.tar"), 1,
                new Platform("linux", "arm64", null)).file();
        assertThat(skopeo("inspect", "--raw", "oci-archive:" + archive + ":1.0").stdout())
                .isEqualTo(Files.readAllBytes(indexBlob));
        assertThat(JSON.readTree(skopeo("inspect", "docker-archive:" + archive + ":" + image + ":1.0").stdout())
                .path("Architecture").asText()).isEqualTo("arm64");
        Path copy = project.resolve("from-archive");
        skopeo("--override-arch", "arm64", "copy", "--preserve-digests", "oci-archive:" + archive + ":1.0",
                "oci:" + copy + ":1.0");
        assertThat(JSON.readTree(copy.resolve("index.json").toFile()).path("manifests").get(0).path("digest").asText())
                .isEqualTo(built.images().get(1).manifestDigest());
    }

    private static ExternalTools.Result skopeo(String... arguments) {
        List<String> command = new ArrayList<>(List.of("skopeo"));
        command.addAll(List.of(arguments));
        return ExternalTools.run(command).assertSuccess();
    }
}
