package org.scratchimage.core.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.BuildResult;
import org.scratchimage.core.compress.DigestingOutputStream;
import org.scratchimage.core.tar.ExternalTools;
import org.scratchimage.core.tar.RawTar;

/** The archive's bytes: what is in it, in which order, with which headers, and that the same image gives the same bytes. */
class ImageArchiveTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path busybox;

    @BeforeEach
    void busybox() throws Exception {
        busybox = ArchiveFixtures.busybox();
    }

    @Test
    void theArchiveIsTheLayoutsImagesAndADockerSaveManifestWithEveryBlobOnceInSortedDeterministicEntries()
            throws Exception {
        BuildResult build = ArchiveFixtures.build(dir.resolve("p"), busybox);
        Path layout = ArchiveFixtures.layout(dir.resolve("p"));

        ArchiveResult result = ImageArchive.write(layout, dir.resolve("out/image.tar"), ArchiveFixtures.TIMESTAMP);

        assertThat(result.file()).isEqualTo(dir.resolve("out/image.tar"));
        assertThat(result.size()).isEqualTo(Files.size(result.file()));
        assertThat(result.repoTags()).containsExactly("myapp:1.0", "myapp:latest");
        List<RawTar.Header> headers = RawTar.parse(Files.readAllBytes(result.file()));
        assertThat(headers).noneMatch(RawTar.Header::isPax);
        assertThat(headers).allSatisfy(h -> {
            assertThat(h.uid()).isZero();
            assertThat(h.gid()).isZero();
            assertThat(h.mtime()).isEqualTo(ArchiveFixtures.TIMESTAMP);
            assertThat(h.mode()).isEqualTo(h.type() == '5' ? 0755 : 0644);
        });
        String layer = build.layerDigest().substring(7);
        String config = build.configDigest().substring(7);
        String manifest = build.manifestDigest().substring(7);
        List<String> blobs = new ArrayList<>(List.of(layer, config, manifest));
        blobs.sort(null);
        List<String> expected = new ArrayList<>(List.of("blobs/", "blobs/sha256/"));
        blobs.forEach(hex -> expected.add("blobs/sha256/" + hex));
        expected.addAll(List.of("index.json", "manifest.json", "oci-layout", "repositories"));
        assertThat(headers).extracting(RawTar.Header::ustarPath).containsExactlyElementsOf(expected);
        assertThat(headers).extracting(RawTar.Header::type)
                .containsExactly((byte) '5', (byte) '5', (byte) '0', (byte) '0', (byte) '0', (byte) '0', (byte) '0',
                        (byte) '0', (byte) '0');

        Map<String, byte[]> files = contents(headers);
        for (String hex : blobs) {
            assertThat(files.get("blobs/sha256/" + hex)).as(hex)
                    .isEqualTo(Files.readAllBytes(layout.resolve("blobs/sha256").resolve(hex)));
        }
        assertThat(new String(files.get("oci-layout"), StandardCharsets.UTF_8)).isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");

        JsonNode index = JSON.readTree(files.get("index.json"));
        assertThat(index.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
        assertThat(index.path("manifests")).hasSize(2);
        for (int i = 0; i < 2; i++) {
            JsonNode entry = index.path("manifests").path(i);
            assertThat(entry.path("digest").asText()).isEqualTo(build.manifestDigest());
            assertThat(entry.path("size").asLong()).isEqualTo(Files.size(layout.resolve("blobs/sha256/" + manifest)));
            assertThat(entry.path("platform").path("os").asText()).isEqualTo("linux");
            String tag = i == 0 ? "1.0" : "latest";
            assertThat(entry.path("annotations").path("org.opencontainers.image.ref.name").asText()).isEqualTo(tag);
            assertThat(entry.path("annotations").path("io.containerd.image.name").asText())
                    .isEqualTo("docker.io/library/myapp:" + tag);
        }

        assertThat(new String(files.get("manifest.json"), StandardCharsets.UTF_8)).isEqualTo("[{\"Config\":\"blobs/sha256/"
                + config + "\",\"RepoTags\":[\"docker.io/library/myapp:1.0\",\"docker.io/library/myapp:latest\"],"
                + "\"Layers\":[\"blobs/sha256/" + layer + "\"]}]\n");
        assertThat(new String(files.get("repositories"), StandardCharsets.UTF_8))
                .isEqualTo("{\"docker.io/library/myapp\":{\"1.0\":\"" + layer + "\",\"latest\":\"" + layer + "\"}}\n");
    }

    @Test
    void aNameWithARegistryAndPortIsKeptAndTheTagIsWhatFollowsTheLastColon() throws Exception {
        ArchiveFixtures.build(dir.resolve("p"), busybox, "registry.example.org:5000/team/app", List.of("2.0"), "gzip");

        ArchiveResult result = ImageArchive.write(ArchiveFixtures.layout(dir.resolve("p")), dir.resolve("image.tar"),
                ArchiveFixtures.TIMESTAMP);

        assertThat(result.repoTags()).containsExactly("registry.example.org:5000/team/app:2.0");
        Map<String, byte[]> files = contents(RawTar.parse(Files.readAllBytes(result.file())));
        JsonNode entry = JSON.readTree(files.get("index.json")).path("manifests").path(0);
        assertThat(entry.path("annotations").path("io.containerd.image.name").asText())
                .isEqualTo("registry.example.org:5000/team/app:2.0");
        assertThat(entry.path("annotations").path("org.opencontainers.image.ref.name").asText()).isEqualTo("2.0");
        assertThat(JSON.readTree(files.get("manifest.json")).path(0).path("RepoTags").path(0).asText())
                .isEqualTo("registry.example.org:5000/team/app:2.0");
        assertThat(JSON.readTree(files.get("repositories")).path("registry.example.org:5000/team/app").path("2.0")
                .isTextual()).isTrue();
    }

    /**
     * The same image gives the same bytes: built and archived here, again after the layout's files got other mtimes,
     * and by two other JVMs in other folders, one with umask 077 and one with umask 022 on the other JDK.
     */
    @Test
    void theSameImageGivesTheSameArchiveInAnotherFolderUmaskAndJdk() throws Exception {
        ArchiveFixtures.build(dir.resolve("here"), busybox);
        Path here = ImageArchive.write(ArchiveFixtures.layout(dir.resolve("here")), dir.resolve("here.tar"),
                ArchiveFixtures.TIMESTAMP).file();

        // The layout's files get new mtimes: the archive takes the image's timestamp, never a file's.
        try (var blobs = Files.list(ArchiveFixtures.layout(dir.resolve("here")).resolve("blobs/sha256"))) {
            for (Path blob : blobs.toList()) {
                Files.setLastModifiedTime(blob, FileTime.fromMillis(System.currentTimeMillis() + 86_400_000L));
            }
        }
        Path again = ImageArchive.write(ArchiveFixtures.layout(dir.resolve("here")), dir.resolve("again.tar"),
                ArchiveFixtures.TIMESTAMP).file();
        assertThat(again).hasSameBinaryContentAs(here);

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path elsewhere = dir.resolve("elsewhere/deeper/project");
        Path other = forkedArchive(java, "077", elsewhere, dir.resolve("umask077.tar"));
        assertThat(Files.getPosixFilePermissions(ArchiveFixtures.layout(elsewhere).resolve("index.json")))
                .as("the umask reached the other build").isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(other).hasSameBinaryContentAs(here);

        Path jdk25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
        ExternalTools.requireThat(Files.isExecutable(jdk25), "the other JDK is missing at " + jdk25
                + ": install Temurin 25 there to check that another JDK writes the same archive");
        Path otherJdk = forkedArchive(jdk25, "022", dir.resolve("jdk25"), dir.resolve("jdk25.tar"));
        assertThat(otherJdk).hasSameBinaryContentAs(here);
    }

    private Path forkedArchive(Path java, String umask, Path project, Path archive) {
        String command = "umask " + umask + " && exec \"$0\" -cp \"$1\" " + ArchiveFixtures.class.getName()
                + " \"$2\" \"$3\" \"$4\"";
        ExternalTools.run(List.of("sh", "-c", command, java.toString(), System.getProperty("java.class.path"),
                project.toString(), busybox.toString(), archive.toString())).assertSuccess();
        return archive;
    }

    /**
     * A referrer in index.json (an SBOM naming the image as its subject), and an entry of another media type, are no
     * images: the archive leaves them out, and the blobs only they use, so its index lists exactly what a runtime
     * loads.
     */
    @Test
    void referrersAndOtherEntriesOfTheIndexAreLeftOutWithTheBlobsOnlyTheyUse() throws Exception {
        BuildResult build = ArchiveFixtures.build(dir.resolve("p"), busybox, "myapp", List.of("1.0"), "gzip");
        Path layout = ArchiveFixtures.layout(dir.resolve("p"));
        List<String> foreign = ReferrerFixture.addTo(layout, build.manifestDigest());

        ArchiveResult result = ImageArchive.write(layout, dir.resolve("image.tar"), ArchiveFixtures.TIMESTAMP);

        assertThat(result.repoTags()).containsExactly("myapp:1.0");
        Map<String, byte[]> files = contents(RawTar.parse(Files.readAllBytes(result.file())));
        JsonNode manifests = JSON.readTree(files.get("index.json")).path("manifests");
        assertThat(manifests).hasSize(1);
        assertThat(manifests.path(0).path("digest").asText()).isEqualTo(build.manifestDigest());
        assertThat(files.keySet()).filteredOn(name -> name.startsWith("blobs/sha256/") && name.length() > 13)
                .containsExactlyInAnyOrder("blobs/sha256/" + build.manifestDigest().substring(7),
                        "blobs/sha256/" + build.configDigest().substring(7),
                        "blobs/sha256/" + build.layerDigest().substring(7));
        for (String digest : foreign) {
            assertThat(files).doesNotContainKey("blobs/sha256/" + digest.substring(7));
        }
        assertThat(JSON.readTree(files.get("manifest.json"))).hasSize(1);
    }

    @Test
    void aLayoutWithNothingButReferrersIsRefusedAndNothingIsWritten() throws Exception {
        BuildResult build = ArchiveFixtures.build(dir.resolve("p"), busybox, "myapp", List.of("1.0"), "gzip");
        Path layout = ArchiveFixtures.layout(dir.resolve("p"));
        ReferrerFixture.addTo(layout, build.manifestDigest());
        ObjectNode index = (ObjectNode) JSON.readTree(layout.resolve("index.json").toFile());
        ((ArrayNode) index.path("manifests")).remove(0);
        JSON.writeValue(layout.resolve("index.json").toFile(), index);

        assertThatThrownBy(() -> ImageArchive.write(layout, dir.resolve("image.tar"), ArchiveFixtures.TIMESTAMP))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("lists no image manifest")
                .hasMessageContaining(layout.toString()).hasMessageContaining("Fix:");
        assertThat(dir.resolve("image.tar")).doesNotExist();
    }

    @Test
    void aLayoutNamingAnImageWithoutATagIsNotOneTheBuildWroteAndIsRefused() throws Exception {
        ArchiveFixtures.build(dir.resolve("p"), busybox, "myapp", List.of("1.0"), "gzip");
        Path layout = ArchiveFixtures.layout(dir.resolve("p"));
        Files.writeString(layout.resolve("index.json"), Files.readString(layout.resolve("index.json"))
                .replace("\"myapp:1.0\"", "\"registry.example.org:5000/myapp\""));

        assertThatThrownBy(() -> ImageArchive.write(layout, dir.resolve("image.tar"), ArchiveFixtures.TIMESTAMP))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("\"registry.example.org:5000/myapp\", which has no tag")
                .hasMessageContaining("Fix: delete the folder and run scratch:build again");
        assertThat(dir.resolve("image.tar")).doesNotExist();
    }

    /** The old archive is replaced whole; a write refused leaves it as it was, and no temporary file behind. */
    @Test
    void theArchiveIsReplacedWholeAndARefusedWriteLeavesTheOldOneAndNoTemporaryFile() throws Exception {
        BuildResult build = ArchiveFixtures.build(dir.resolve("p"), busybox, "myapp", List.of("1.0"), "gzip");
        Path layout = ArchiveFixtures.layout(dir.resolve("p"));
        Path out = Files.createDirectories(dir.resolve("out"));
        Path archive = out.resolve("image.tar");
        Files.writeString(archive, "an older archive, longer than nothing");

        ImageArchive.write(layout, archive, ArchiveFixtures.TIMESTAMP);
        byte[] written = Files.readAllBytes(archive);
        assertThat(RawTar.parse(written)).isNotEmpty();
        try (var files = Files.list(out)) {
            assertThat(files).containsExactly(archive);
        }

        assertThatThrownBy(() -> ImageArchive.write(layout, out, ArchiveFixtures.TIMESTAMP))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("is a directory");

        // A layer shorter than its descriptor says: found before anything is written.
        Path layer = layout.resolve("blobs/sha256").resolve(build.layerDigest().substring(7));
        byte[] layerBytes = Files.readAllBytes(layer);
        Files.write(layer, java.util.Arrays.copyOf(layerBytes, layerBytes.length - 1));
        assertThatThrownBy(() -> ImageArchive.write(layout, archive, ArchiveFixtures.TIMESTAMP))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("is damaged")
                .hasMessageContaining(build.layerDigest().substring(7));
        assertThat(archive).hasBinaryContent(written);
        try (var files = Files.list(out)) {
            assertThat(files).containsExactly(archive);
        }
    }

    /** Docker before 25 cannot load zstd layers, but the archive is written all the same: the mojo warns. */
    @Test
    void zstdLayersAreArchivedAsTheyAre() throws Exception {
        BuildResult build = ArchiveFixtures.build(dir.resolve("p"), busybox, "myapp", List.of("1.0"), "zstd");

        ArchiveResult result = ImageArchive.write(ArchiveFixtures.layout(dir.resolve("p")), dir.resolve("image.tar"),
                ArchiveFixtures.TIMESTAMP);

        Map<String, byte[]> files = contents(RawTar.parse(Files.readAllBytes(result.file())));
        byte[] layer = files.get("blobs/sha256/" + build.layerDigest().substring(7));
        assertThat(DigestingOutputStream.digestOf(layer)).isEqualTo(build.layerDigest());
        assertThat(layer).startsWith(0x28, 0xb5, 0x2f, 0xfd);
    }

    private static Map<String, byte[]> contents(List<RawTar.Header> headers) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (RawTar.Header header : headers) {
            files.put(header.ustarPath(), header.data());
        }
        return files;
    }
}
