package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.PlanningFixtures.requestIn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.sbom.MavenCoordinates;
import org.scratchimage.core.tar.ExternalTools;
import org.spdx.tools.SpdxToolsHelper;
import org.spdx.tools.Verify;

/** The SBOM of a build, checked with SPDX's own validator, GNU tar and the OCI clients. */
class SbomTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final MavenCoordinates PROJECT = new MavenCoordinates("org.example", "myapp", "1.0");

    @TempDir
    Path temp;

    /**
     * A project of two layers: {@code data} (two files, one with a non-ASCII name, one of 300 KB) and {@code app}
     * (a script and a tree with an empty file).
     */
    static BuildRequest.Builder project(Path base, FileTime mtime) throws IOException, InterruptedException {
        Files.createDirectories(base.resolve("data"));
        Files.createDirectories(base.resolve("tree/etc/empty.d"));
        byte[] big = new byte[300_000];
        new Random(3).nextBytes(big);
        Files.write(base.resolve("data/big.bin"), big);
        Files.writeString(base.resolve("data/größe.txt"), "grün\n");
        Files.writeString(base.resolve("app.sh"), "#!/bin/sh\necho hi\n");
        Files.writeString(base.resolve("tree/etc/app.conf"), "port=8080\n");
        Files.write(base.resolve("tree/etc/empty.d/none"), new byte[0]);
        try (Stream<Path> all = Files.walk(base)) {
            for (Path p : all.toList()) {
                Files.setLastModifiedTime(p, mtime);
            }
        }
        // Until then a build does not trust the sources' stamps, and never counts as up to date.
        Thread.sleep(Fingerprints.RACY_MILLIS + 50);
        return request(base);
    }

    /** The request of {@link #project}, for its files as they are. */
    static BuildRequest.Builder request(Path base) {
        return requestIn(base)
                .outputTimestamp("2023-11-14T22:13:20Z")
                .addFile(FileSpec.builder().source("data/big.bin").path("/data/big.bin").layer("data").build())
                .addFile(FileSpec.builder().source("data/größe.txt").path("/data/größe.txt").layer("data").build())
                .addBinary(BinarySpec.builder().source("app.sh").path("/bin/app").resolveLibraries(false).build())
                .addDirectory(DirectorySpec.builder().source("tree").path("/").build())
                .sbomFile(Path.of("target/myapp-1.0-sbom.spdx.json"))
                .project(PROJECT);
    }

    private BuildResult build(BuildRequest.Builder request) throws Exception {
        return new ImageBuilder(BuildListener.of(line -> { })).build(request.build());
    }

    @Test
    void theSbomIsValidSpdxAndListsEveryRegularFileWithTheChecksumsOfItsBytesInTheLayer() throws Exception {
        Path base = temp.resolve("p");
        BuildResult result = build(project(base, FileTime.fromMillis(1_600_000_000_000L)));
        Path sbom = base.resolve("target/myapp-1.0-sbom.spdx.json");
        assertThat(result.sbom().file()).isEqualTo(sbom);

        // SPDX's own validator, offline with the license list in its jar.
        System.setProperty("org.spdx.useJARLicenseInfoOnly", "true");
        SpdxToolsHelper.initialize();
        List<String> problems = Verify.verify(sbom.toString(), SpdxToolsHelper.SerFileType.JSON);
        assertThat(problems).isEmpty();

        JsonNode document = JSON.readTree(sbom.toFile());
        assertThat(document.path("spdxVersion").asText()).isEqualTo("SPDX-2.3");
        assertThat(document.path("creationInfo").path("created").asText()).isEqualTo("2023-11-14T22:13:20Z");
        assertThat(document.path("documentNamespace").asText())
                .startsWith("https://scratchimage.org/spdx/myapp/sha256-" + result.manifestDigest().substring(7));
        JsonNode image = document.path("packages").get(0);
        assertThat(image.path("primaryPackagePurpose").asText()).isEqualTo("CONTAINER");
        assertThat(image.path("externalRefs").get(0).path("referenceLocator").asText())
                .isEqualTo("pkg:oci/myapp@sha256%3A" + result.manifestDigest().substring(7) + "?arch=amd64");
        JsonNode project = document.path("packages").get(1);
        assertThat(project.path("externalRefs").get(0).path("referenceLocator").asText())
                .isEqualTo("pkg:maven/org.example/myapp@1.0");
        assertThat(document.path("relationships").get(0).toString()).isEqualTo("{\"spdxElementId\":\"SPDXRef-DOCUMENT\","
                + "\"relationshipType\":\"DESCRIBES\",\"relatedSpdxElement\":\"SPDXRef-Image\"}");

        // What the SBOM says of each file, against the files GNU tar extracts from the layers.
        Map<String, String> listed = new TreeMap<>();
        Map<String, String> containedBy = new HashMap<>();
        for (JsonNode relationship : document.path("relationships")) {
            if (relationship.path("relationshipType").asText().equals("CONTAINS")) {
                containedBy.put(relationship.path("relatedSpdxElement").asText(),
                        relationship.path("spdxElementId").asText());
            }
        }
        for (JsonNode file : document.path("files")) {
            listed.put(file.path("fileName").asText(), file.path("checksums").get(0).path("checksumValue").asText()
                    + " " + file.path("checksums").get(1).path("checksumValue").asText());
            assertThat(containedBy.get(file.path("SPDXID").asText())).isEqualTo(project.path("SPDXID").asText());
        }
        ExternalTools.require("tar");
        Map<String, String> extracted = new TreeMap<>();
        Path layout = base.resolve("target/oci");
        for (BuildResult.Layer layer : result.layers()) {
            Path into = Files.createDirectories(temp.resolve("x-" + layer.name()));
            ExternalTools.run(List.of("tar", "-xzf", blob(layout, layer.digest()).toString(), "-C", into.toString()))
                    .assertSuccess();
            try (Stream<Path> files = Files.walk(into)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    byte[] bytes = Files.readAllBytes(file);
                    extracted.put("./" + into.relativize(file), hex("SHA-1", bytes) + " " + hex("SHA-256", bytes));
                }
            }
        }
        assertThat(listed).isEqualTo(extracted).containsKeys("./data/größe.txt", "./etc/empty.d/none", "./bin/app");
    }

    @Test
    void theHostsDebianPackagesAreListedWithTheirPurlsLicensesAndFiles() throws Exception {
        ExternalTools.require("dpkg-query");
        Path ls = Path.of("/usr/bin/ls");
        ExternalTools.requireThat(Files.isRegularFile(ls), "/usr/bin/ls (coreutils) is missing");
        Path base = Files.createDirectories(temp.resolve("p"));
        BuildResult result = build(requestIn(base).outputTimestamp("2023-11-14T22:13:20Z").packageMetadata(true)
                .addBinary(BinarySpec.builder().source(ls.toString()).path("/bin/ls").build())
                .sbomFile(Path.of("target/sbom.json")).project(PROJECT));

        SpdxToolsHelper.initialize();
        System.setProperty("org.spdx.useJARLicenseInfoOnly", "true");
        assertThat(Verify.verify(result.sbom().file().toString(), SpdxToolsHelper.SerFileType.JSON)).isEmpty();
        JsonNode document = JSON.readTree(result.sbom().file().toFile());
        String version = ExternalTools.run(List.of("dpkg-query", "-W", "-f", "${Version}", "libc6")).assertSuccess()
                .out();
        StringBuilder encoded = new StringBuilder();
        for (byte b : version.getBytes(StandardCharsets.UTF_8)) {
            encoded.append(Character.isLetterOrDigit(b) || b == '.' || b == '-' || b == '_' || b == '~' ? (char) b
                    : String.format("%%%02X", b));
        }
        String osId = osRelease("ID");
        String libc = null;
        for (JsonNode p : document.path("packages")) {
            if (p.path("name").asText().equals("libc6")) {
                libc = p.path("SPDXID").asText();
                assertThat(p.path("versionInfo").asText()).isEqualTo(version);
                assertThat(p.path("externalRefs").get(0).path("referenceLocator").asText()).isEqualTo("pkg:deb/"
                        + osId + "/libc6@" + encoded + "?arch=amd64&distro=" + osId + "-" + osRelease("VERSION_ID"));
                assertThat(p.path("supplier").asText()).startsWith("Person: ");
            }
        }
        assertThat(libc).as("libc6 in %s", document.path("packages")).isNotNull();
        // The loader and libc are contained by libc6, ls by coreutils.
        Map<String, String> ids = new HashMap<>();
        for (JsonNode file : document.path("files")) {
            ids.put(file.path("fileName").asText(), file.path("SPDXID").asText());
        }
        String libcFile = ids.keySet().stream().filter(n -> n.endsWith("/libc.so.6")).findFirst().orElseThrow();
        assertThat(document.path("relationships").toString()).contains("{\"spdxElementId\":\"" + libc
                + "\",\"relationshipType\":\"CONTAINS\",\"relatedSpdxElement\":\"" + ids.get(libcFile) + "\"}");

        // A scanner still takes the image, not the referrer listed after it, and sees the same packages.
        ExternalTools.require("trivy");
        String scanned = ExternalTools.run(List.of("trivy", "image", "--quiet", "--input",
                base.resolve("target/oci").toString(), "--format", "cyclonedx", "--offline-scan", "--scanners",
                "license")).assertSuccess().out();
        assertThat(scanned).contains("pkg:deb/" + osId + "/libc6@");
    }

    private static String osRelease(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1).replace("\"", "");
            }
        }
        throw new IllegalStateException(key + " not in /etc/os-release");
    }

    @Test
    void theReferrerFollowsTheImageInTheIndexWithTheSbomAsItsLayerAndTheImageAsItsSubject() throws Exception {
        Path base = temp.resolve("p");
        BuildResult result = build(project(base, FileTime.fromMillis(1_600_000_000_000L)));
        Path layout = base.resolve("target/oci");
        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        assertThat(index.path("manifests")).hasSize(2);
        JsonNode imageEntry = index.path("manifests").get(0);
        assertThat(imageEntry.path("digest").asText()).isEqualTo(result.manifestDigest());
        JsonNode entry = index.path("manifests").get(1);
        assertThat(entry.has("annotations")).isFalse();
        assertThat(entry.path("artifactType").asText()).isEqualTo("application/spdx+json");
        assertThat(entry.path("digest").asText()).isEqualTo(result.sbom().referrer());

        JsonNode referrer = JSON.readTree(blob(layout, result.sbom().referrer()).toFile());
        assertThat(referrer.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(referrer.path("artifactType").asText()).isEqualTo("application/spdx+json");
        assertThat(referrer.path("config").toString()).isEqualTo("{\"mediaType\":\"application/vnd.oci.empty.v1+json\","
                + "\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2}");
        assertThat(blob(layout, referrer.path("config").path("digest").asText())).hasContent("{}");
        assertThat(referrer.path("subject").path("digest").asText()).isEqualTo(result.manifestDigest());
        assertThat(referrer.path("subject").path("size").asLong()).isEqualTo(imageEntry.path("size").asLong());
        assertThat(referrer.path("subject").path("mediaType").asText()).isEqualTo(imageEntry.path("mediaType").asText());
        JsonNode layer = referrer.path("layers").get(0);
        assertThat(layer.path("mediaType").asText()).isEqualTo("application/spdx+json");
        assertThat(Files.readAllBytes(blob(layout, layer.path("digest").asText())))
                .isEqualTo(Files.readAllBytes(result.sbom().file()));

        // The clients still take the image by its tag, with the referrer in the index.
        ExternalTools.require("oci-image-tool");
        ExternalTools.run(List.of("oci-image-tool", "validate", "--type", "image", "--ref", "name=1.0",
                layout.toString())).assertSuccess();
        ExternalTools.require("skopeo");
        String inspected = ExternalTools.run(List.of("skopeo", "inspect", "oci:" + layout + ":1.0")).assertSuccess()
                .out();
        assertThat(JSON.readTree(inspected).path("Digest").asText()).isEqualTo(result.manifestDigest());
        ExternalTools.require("umoci");
        Path bundle = temp.resolve("bundle");
        ExternalTools.run(List.of("umoci", "unpack", "--rootless", "--image", layout + ":1.0", bundle.toString()))
                .assertSuccess();
        assertThat(bundle.resolve("rootfs/data/größe.txt")).hasContent("grün");
        // skopeo verifies the referrer's blobs too when it copies the whole layout.
        Path copy = temp.resolve("copy");
        ExternalTools.run(List.of("skopeo", "copy", "oci:" + layout + ":1.0", "oci:" + copy + ":1.0")).assertSuccess();
    }

    @Test
    void twoFoldersGiveTheSameSbomAndReferrer() throws Exception {
        BuildResult first = build(project(temp.resolve("one/p"), FileTime.fromMillis(1_600_000_000_000L)));
        BuildResult second = build(project(temp.resolve("two/deeper/q"), FileTime.fromMillis(1_700_000_000_000L)));

        assertThat(second.manifestDigest()).isEqualTo(first.manifestDigest());
        assertThat(second.sbom().referrer()).isEqualTo(first.sbom().referrer());
        assertThat(Files.readAllBytes(second.sbom().file())).isEqualTo(Files.readAllBytes(first.sbom().file()));
        assertThat(Files.readString(first.sbom().file())).doesNotContain(temp.toString());
    }

    @Test
    void anUpToDateBuildWritesADeletedSbomFileAgainFromTheLayout() throws Exception {
        Path base = temp.resolve("p");
        BuildRequest.Builder request = project(base, FileTime.fromMillis(1_600_000_000_000L));
        BuildResult first = build(request);
        byte[] bytes = Files.readAllBytes(first.sbom().file());
        Files.delete(first.sbom().file());

        BuildResult second = build(request);

        assertThat(second.upToDate()).isTrue();
        assertThat(second.sbom()).isEqualTo(first.sbom());
        assertThat(Files.readAllBytes(second.sbom().file())).isEqualTo(bytes);
    }

    @Test
    void aLayoutThatLostItsSbomBlobIsNotUpToDateAndIsWrittenAgain() throws Exception {
        Path base = temp.resolve("p");
        BuildRequest.Builder request = project(base, FileTime.fromMillis(1_600_000_000_000L));
        BuildResult first = build(request);
        Path layout = base.resolve("target/oci");
        Files.delete(blob(layout, first.sbom().digest()));

        BuildResult second = build(request);

        assertThat(second.upToDate()).isFalse();
        assertThat(second.layers()).allMatch(BuildResult.Layer::reused);
        assertThat(blob(layout, second.sbom().digest())).hasBinaryContent(Files.readAllBytes(first.sbom().file()));
        assertThat(second.sbom()).isEqualTo(first.sbom());
    }

    @Test
    void aChangedImageReplacesTheReferrerAndWithoutSbomTheLayoutHoldsNone() throws Exception {
        Path base = temp.resolve("p");
        BuildRequest.Builder request = project(base, FileTime.fromMillis(1_600_000_000_000L));
        BuildResult first = build(request);
        Path layout = base.resolve("target/oci");
        Files.writeString(base.resolve("app.sh"), "#!/bin/sh\necho changed\n");
        Thread.sleep(Fingerprints.RACY_MILLIS + 50);

        BuildResult second = build(request);

        assertThat(second.sbom().referrer()).isNotEqualTo(first.sbom().referrer());
        assertThat(blob(layout, first.sbom().referrer())).doesNotExist();
        assertThat(blob(layout, first.sbom().digest())).doesNotExist();
        assertThat(blob(layout, second.sbom().referrer())).exists();
        // The data layer was reused: its files' checksums came from the record, and are listed all the same.
        assertThat(second.layers().get(0).reused()).isTrue();
        assertThat(Files.readString(second.sbom().file())).contains("./data/big.bin");
        // The next build without change is up to date, with the referrer in the layout.
        assertThat(build(request).upToDate()).isTrue();

        BuildResult third = build(request.sbomFile(null));

        assertThat(third.sbom()).isNull();
        assertThat(third.upToDate()).isFalse();
        assertThat(JSON.readTree(layout.resolve("index.json").toFile()).path("manifests")).hasSize(1);
        assertThat(blob(layout, second.sbom().referrer())).doesNotExist();
        assertThat(blob(layout, "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"))
                .doesNotExist();
    }

    @Test
    void aLayerBuiltWithoutSbomIsWrittenAgainOnceForItsChecksumsAndSaysSo() throws Exception {
        Path base = temp.resolve("p");
        BuildRequest.Builder request = project(base, FileTime.fromMillis(1_600_000_000_000L));
        new ImageBuilder(BuildListener.of(line -> { })).build(request.sbomFile(null).build());
        List<String> log = new java.util.ArrayList<>();

        BuildResult result = new ImageBuilder(BuildListener.of(log::add)).build(request
                .sbomFile(Path.of("target/sbom.json")).build());

        assertThat(result.layers()).noneMatch(BuildResult.Layer::reused);
        assertThat(log).anyMatch(line -> line.startsWith("Layer data: ") && line.endsWith("written (the SBOM lists"
                + " its files, whose checksums the previous build did not record)"));
        assertThat(Files.readString(result.sbom().file())).contains("./data/big.bin");
        assertThat(new ImageBuilder(BuildListener.of(line -> { })).build(request.build()).upToDate()).isTrue();
    }

    @Test
    void theArchiveHoldsTheImageOnly() throws Exception {
        Path base = temp.resolve("p");
        BuildResult result = build(project(base, FileTime.fromMillis(1_600_000_000_000L))
                .archiveFile(Path.of("target/image.tar")));
        Map<String, byte[]> entries = new TreeMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(base.resolve("target/image.tar")))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        JsonNode index = JSON.readTree(entries.get("index.json"));
        assertThat(index.path("manifests")).hasSize(1);
        assertThat(index.path("manifests").get(0).path("digest").asText()).isEqualTo(result.manifestDigest());
        assertThat(entries).doesNotContainKeys("blobs/sha256/" + result.sbom().referrer().substring(7),
                "blobs/sha256/" + result.sbom().digest().substring(7));
    }

    static Path blob(Path layout, String digest) {
        return layout.resolve("blobs/sha256").resolve(digest.substring(7));
    }

    static String hex(String algorithm, byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
    }

    static String utf8(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
