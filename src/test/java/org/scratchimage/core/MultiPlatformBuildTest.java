package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.PlanningFixtures.assertInvalid;
import static org.scratchimage.core.PlanningFixtures.requestIn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.elf.SyntheticElf;
import org.scratchimage.core.sbom.MavenCoordinates;
import org.scratchimage.core.tar.ExternalTools;

/**
 * {@code <platforms>}: one image per platform, each from its own sysroot, under one image index. The sysroots hold
 * synthetic static programs of each machine, so that the test runs on any host; the IT {@code multi-platform} runs
 * real arm64 programs under qemu.
 */
class MultiPlatformBuildTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EM_X86_64 = 62;
    private static final int EM_AARCH64 = 183;

    @TempDir
    Path temp;

    private final List<String> log = new ArrayList<>();

    /** A project with an amd64 and an arm64 sysroot, each with its /bin/app, and a config file of its own. */
    private BuildRequest.Builder project(Path base) throws Exception {
        program(base.resolve("sysroots/amd64/bin/app"), EM_X86_64);
        program(base.resolve("sysroots/arm64/bin/app"), EM_AARCH64);
        Files.writeString(base.resolve("app.conf"), "port=8080\n");
        try (Stream<Path> all = Files.walk(base)) {
            for (Path p : all.toList()) {
                Files.setLastModifiedTime(p, FileTime.fromMillis(1_600_000_000_000L));
            }
        }
        Thread.sleep(Fingerprints.RACY_MILLIS + 50);
        return request(base);
    }

    private static BuildRequest.Builder request(Path base) {
        return requestIn(base).platform(null).outputTimestamp("2023-11-14T22:13:20Z")
                .addPlatform(new PlatformSpec("linux/amd64", "sysroots/amd64"))
                .addPlatform(new PlatformSpec("linux/arm64", "sysroots/arm64"))
                .addBinary(BinarySpec.builder().source("/bin/app").path("/bin/app").build())
                .addFile(FileSpec.builder().source("app.conf").path("/etc/app.conf").layer("config").build())
                .sbomFile(Path.of("target/myapp-1.0-sbom.spdx.json"))
                .project(new MavenCoordinates("org.example", "myapp", "1.0"))
                .resultDirectory(base.resolve("target"));
    }

    private static void program(Path file, int machine) throws Exception {
        Files.createDirectories(file.getParent());
        Files.write(file, new SyntheticElf(64, true, machine).bytes());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private BuildResult build(BuildRequest.Builder request) throws Exception {
        log.clear();
        return new ImageBuilder(BuildListener.of(log::add)).build(request.build());
    }

    private static JsonNode blob(Path layout, String digest) throws Exception {
        return JSON.readTree(layout.resolve("blobs/sha256").resolve(digest.substring(7)).toFile());
    }

    @Test
    void eachPlatformHasItsManifestUnderOneIndexAndASharedLayerIsWrittenOnce() throws Exception {
        Path base = temp.resolve("p");
        BuildResult result = build(project(base));
        Path layout = base.resolve("target/oci");

        assertThat(result.index()).isNotNull();
        assertThat(result.images()).extracting(i -> i.plan().platform().toString())
                .containsExactly("linux/amd64", "linux/arm64");
        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        JsonNode tag = index.path("manifests").get(0);
        assertThat(tag.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
        assertThat(tag.path("digest").asText()).isEqualTo(result.digest());
        assertThat(tag.has("platform")).isFalse();
        assertThat(tag.path("annotations").path("io.containerd.image.name").asText()).isEqualTo("myapp:1.0");

        JsonNode imageIndex = blob(layout, result.digest());
        assertThat(imageIndex.path("manifests")).hasSize(2);
        for (int k = 0; k < 2; k++) {
            BuildResult.Image image = result.images().get(k);
            JsonNode entry = imageIndex.path("manifests").get(k);
            assertThat(entry.path("digest").asText()).isEqualTo(image.manifestDigest());
            assertThat(entry.path("platform").path("architecture").asText())
                    .isEqualTo(k == 0 ? "amd64" : "arm64");
            JsonNode config = blob(layout, blob(layout, image.manifestDigest()).path("config").path("digest").asText());
            assertThat(config.path("architecture").asText()).isEqualTo(k == 0 ? "amd64" : "arm64");
        }
        // The config layer holds the project's file, the same on both: one blob, written for amd64 only.
        assertThat(result.images().get(0).layers().get(0).name()).isEqualTo("config");
        assertThat(result.images().get(1).layers().get(0).digest())
                .isEqualTo(result.images().get(0).layers().get(0).digest());
        assertThat(result.images().get(1).layers().get(1).digest())
                .isNotEqualTo(result.images().get(0).layers().get(1).digest());
        assertThat(log).anyMatch(line -> line.startsWith("Layer config (linux/amd64):") && line.contains("written"))
                .anyMatch(line -> line.startsWith("Layer config (linux/arm64):")
                        && line.endsWith("the same as linux/amd64's"));

        // One SBOM per platform, each a referrer of its own manifest, in a file of its own.
        for (int k = 0; k < 2; k++) {
            JsonNode referrer = index.path("manifests").get(1 + k);
            assertThat(referrer.path("artifactType").asText()).isEqualTo("application/spdx+json");
            assertThat(blob(layout, referrer.path("digest").asText()).path("subject").path("digest").asText())
                    .isEqualTo(result.images().get(k).manifestDigest());
        }
        assertThat(result.images().get(1).sbom().file())
                .isEqualTo(base.resolve("target/myapp-1.0-sbom-linux-arm64.spdx.json"));
        assertThat(JSON.readTree(result.images().get(1).sbom().file().toFile()).path("documentNamespace").asText())
                .contains(result.images().get(1).manifestDigest().substring(7));

        // The result file: the index digest, and each platform's manifest.
        assertThat(Files.readString(base.resolve("target/scratch-image.digest"))).isEqualTo(result.digest() + "\n");
        JsonNode metadata = JSON.readTree(base.resolve("target/scratch-image.json").toFile());
        assertThat(metadata.path("digest").asText()).isEqualTo(result.digest());
        assertThat(metadata.path("manifests").get(1).path("platform").asText()).isEqualTo("linux/arm64");
        assertThat(metadata.path("manifests").get(1).path("digest").asText())
                .isEqualTo(result.images().get(1).manifestDigest());
        assertThat(metadata.has("layers")).isFalse();
    }

    @Test
    void skopeoPicksEachPlatformsManifestFromTheIndex() throws Exception {
        ExternalTools.require("skopeo");
        Path base = temp.resolve("p");
        BuildResult result = build(project(base));
        for (int k = 0; k < 2; k++) {
            String arch = k == 0 ? "amd64" : "arm64";
            ExternalTools.Result inspect = ExternalTools.run(List.of("skopeo", "inspect", "--override-os", "linux",
                    "--override-arch", arch, "oci:" + base.resolve("target/oci") + ":1.0"));
            inspect.assertSuccess();
            JsonNode picked = JSON.readTree(inspect.stdout());
            assertThat(picked.path("Architecture").asText()).isEqualTo(arch);
            List<String> layers = new ArrayList<>();
            picked.path("Layers").forEach(layer -> layers.add(layer.asText()));
            assertThat(layers).isEqualTo(result.images().get(k).layers().stream().map(BuildResult.Layer::digest)
                    .toList());
        }
    }

    @Test
    void aSecondBuildIsUpToDateAndAChangedProjectFileRewritesOnlyItsLayerOnce() throws Exception {
        Path base = temp.resolve("p");
        BuildResult first = build(project(base));
        BuildResult again = build(request(base));
        assertThat(again.upToDate()).isTrue();
        assertThat(again.digest()).isEqualTo(first.digest());
        assertThat(again.images().get(1).sbom().digest()).isEqualTo(first.images().get(1).sbom().digest());

        Files.writeString(base.resolve("app.conf"), "port=9090\n");
        Files.setLastModifiedTime(base.resolve("app.conf"), FileTime.fromMillis(1_600_000_100_000L));
        Thread.sleep(Fingerprints.RACY_MILLIS + 50);
        BuildResult changed = build(request(base));
        assertThat(changed.upToDate()).isFalse();
        assertThat(changed.digest()).isNotEqualTo(first.digest());
        assertThat(log).filteredOn(line -> line.startsWith("Layer ") && line.contains(", written ("))
                .singleElement().asString().startsWith("Layer config (linux/amd64):");
        assertThat(log).filteredOn(line -> line.startsWith("Layer app") && line.endsWith(", reused")).hasSize(2);
        assertThat(changed.images().get(1).layers().get(1).digest())
                .isEqualTo(first.images().get(1).layers().get(1).digest());
    }

    @Test
    void theSameProjectInAnotherFolderGivesTheSameIndex() throws Exception {
        BuildResult one = build(project(temp.resolve("one")));
        BuildResult two = build(project(temp.resolve("elsewhere/two")));
        assertThat(two.digest()).isEqualTo(one.digest());
        assertThat(Files.readAllBytes(temp.resolve("elsewhere/two/target/oci/index.json")))
                .isEqualTo(Files.readAllBytes(temp.resolve("one/target/oci/index.json")));
    }

    @Test
    void aProgramOfAnotherMachineInAPlatformsSysrootNamesTheFileWhatItIsAndWhatThePlatformNeeds() throws Exception {
        Path base = temp.resolve("p");
        BuildRequest.Builder request = project(base);
        program(base.resolve("sysroots/arm64/bin/app"), EM_X86_64);

        InvalidConfigurationException e = assertInvalid(() -> build(request), "<binaries>/<binary>[1]", "/bin/app");
        assertThat(e.getMessage())
                .startsWith("<binaries>/<binary>[1] \"/bin/app\" of linux/arm64 (<platforms>/<platform>[2]) is "
                        + base.resolve("sysroots/arm64/bin/app") + ", ELF64 LSB x86-64, built for amd64")
                .contains("but <platforms>/<platform>[2]/<name> is linux/arm64, which needs ELF64 LSB ARM aarch64");
        assertThat(base.resolve("target/oci")).doesNotExist();
    }

    @Test
    void anAbsoluteSourceIsLookedUpInsideThePlatformsSysrootAndItsLinksStayThere() throws Exception {
        Path base = temp.resolve("p");
        BuildRequest.Builder request = project(base);
        // /bin/app is a link to /usr/bin/app in the arm64 sysroot: an absolute target, taken inside the sysroot.
        Path arm = base.resolve("sysroots/arm64");
        Files.createDirectories(arm.resolve("usr/bin"));
        Files.move(arm.resolve("bin/app"), arm.resolve("usr/bin/app"));
        Files.createSymbolicLink(arm.resolve("bin/app"), Path.of("/usr/bin/app"));
        Thread.sleep(Fingerprints.RACY_MILLIS + 50);

        BuildResult result = build(request);
        assertThat(result.images().get(1).plan().platform().architecture()).isEqualTo("arm64");
        assertThat(result.images().get(1).plan().entries()).anyMatch(entry -> entry.path().equals("bin/app")
                && entry instanceof org.scratchimage.core.image.RegularFileEntry file
                && file.source().equals(arm.resolve("usr/bin/app")));
    }
}
