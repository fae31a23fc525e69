package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.oci.LayoutContents;
import org.scratchimage.core.oci.LayoutImage;
import org.scratchimage.core.oci.LayoutReferrer;
import org.scratchimage.core.oci.Descriptor;
import org.scratchimage.core.oci.LayoutReader;
import org.scratchimage.core.oci.LayoutSnapshot;
import org.scratchimage.core.oci.MediaTypes;
import org.scratchimage.core.oci.UnusableLayoutException;

/** Reads layouts that {@link ImageBuilder} wrote, and refuses missing and damaged ones before anything is pushed. */
class LayoutReaderTest {
    @TempDir
    Path project;

    private Path layout;
    private BuildResult built;

    @BeforeEach
    void build() throws Exception {
        built = new ImageBuilder(line -> {})
                .build(PlanningFixtures.settledTreeAndScript(project).tags(List.of("1.0", "latest")).build());
        layout = project.resolve("target/oci");
    }

    @Test
    void readsTheImageWithItsNamesManifestBytesConfigLayersAndPlatform() throws Exception {
        LayoutContents read = LayoutReader.read(layout);

        assertThat(read.images()).hasSize(1);
        LayoutImage image = read.images().get(0);
        assertThat(image.names()).containsExactly("myapp:1.0", "myapp:latest");
        assertThat(image.manifest().digest()).isEqualTo(built.manifestDigest());
        assertThat(image.manifest().mediaType()).isEqualTo(MediaTypes.MANIFEST);
        assertThat(image.manifestBytes()).isEqualTo(Files.readAllBytes(blob(built.manifestDigest())));
        assertThat(image.config().digest()).isEqualTo(built.configDigest());
        assertThat(image.layers()).extracting(Descriptor::digest)
                .containsExactlyElementsOf(built.layers().stream().map(BuildResult.Layer::digest).toList());
        assertThat(image.layers()).extracting(Descriptor::size)
                .containsExactlyElementsOf(built.layers().stream().map(BuildResult.Layer::size).toList());
        assertThat(image.platform()).hasToString("linux/amd64");
        assertThat(image.blobs().get(0)).isEqualTo(image.config());
        assertThat(read.blob(image.config())).isEqualTo(blob(built.configDigest()));
    }

    @Test
    void noFolderAndAFolderWithoutIndexAreNoLayoutAndSayRunBuildFirst() {
        for (Path missing : List.of(project.resolve("target/nothing"), project)) {
            UnusableLayoutException e = catchThrowableOfType(UnusableLayoutException.class,
                    () -> LayoutReader.read(missing));
            assertThat(e).as(missing.toString()).isNotNull();
            assertThat(e.getMessage()).startsWith("No image layout in " + missing)
                    .contains("Fix: run scratch:build first").contains("bind it to the package phase");
        }
    }

    @Test
    void aMissingLayerIsRefused() throws Exception {
        Files.delete(blob(built.layers().get(0).digest()));

        assertDamaged("blobs/sha256/" + hex(built.layers().get(0).digest()) + ", which the manifest "
                + built.manifestDigest() + " references, is missing");
    }

    @Test
    void aLayerOfTheWrongSizeIsRefused() throws Exception {
        Files.write(blob(built.layers().get(0).digest()), new byte[] {1, 2, 3});

        assertDamaged("references, is 3 bytes, not " + built.layers().get(0).size());
    }

    @Test
    void aConfigWhoseBytesDoNotMatchItsDigestIsRefused() throws Exception {
        Path config = blob(built.configDigest());
        byte[] bytes = Files.readAllBytes(config);
        bytes[bytes.length - 2] ^= 1;
        Files.write(config, bytes);

        assertDamaged("blobs/sha256/" + hex(built.configDigest()) + " (which the manifest " + built.manifestDigest()
                + " references) does not match its digest: its bytes are sha256:" + LayoutSnapshot.sha256(bytes));
    }

    @Test
    void aManifestWhoseBytesDoNotMatchItsDigestIsRefused() throws Exception {
        Path manifest = blob(built.manifestDigest());
        String json = Files.readString(manifest);
        Files.writeString(manifest, json.replace("\"schemaVersion\":2", "\"schemaVersion\":3"));

        assertDamaged("blobs/sha256/" + hex(built.manifestDigest()) + " (which index.json references) does not match"
                + " its digest");
    }

    @Test
    void anIndexThatIsNotJsonIsRefused() throws Exception {
        Files.writeString(layout.resolve("index.json"), "{\"manifests\":[");

        assertDamaged("index.json is not JSON");
    }

    @Test
    void aReferrerComesApartFromTheImagesAndOnlyTheStrictReadReturnsIt() throws Exception {
        BuildResult withSbom = new ImageBuilder(line -> {}).build(PlanningFixtures.requestIn(project)
                .tags(List.of("1.0", "latest")).addDirectory(PlanningFixtures.tree("tree", "/"))
                .addBinary(PlanningFixtures.binary("app", "/bin/app")).sbomFile(Path.of("target/sbom.json"))
                .project(SbomTest.PROJECT).build());

        LayoutContents read = LayoutReader.read(layout);

        assertThat(read.images()).hasSize(1);
        assertThat(read.referrers()).hasSize(1);
        LayoutReferrer referrer = read.referrers().get(0);
        assertThat(referrer.manifest().digest()).isEqualTo(withSbom.sbom().referrer());
        assertThat(referrer.artifactType()).isEqualTo(MediaTypes.SPDX_JSON);
        assertThat(referrer.subject().digest()).isEqualTo(withSbom.manifestDigest());
        assertThat(referrer.blobs()).extracting(Descriptor::mediaType).containsExactly(MediaTypes.EMPTY,
                MediaTypes.SPDX_JSON);
        assertThat(read.referrersOf(read.images().get(0))).containsExactly(referrer);
        assertThat(LayoutReader.readImages(layout).referrers()).isEmpty();
    }

    @Test
    void aReferrerWithoutItsImageIsRefused() throws Exception {
        byte[] empty = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(blob("sha256:" + LayoutSnapshot.sha256(empty)), empty);
        String other = "sha256:" + LayoutSnapshot.sha256(new byte[] {1});
        byte[] referrer = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.MANIFEST + "\",\"artifactType\":\""
                + MediaTypes.SPDX_JSON + "\",\"config\":{\"mediaType\":\"" + MediaTypes.EMPTY + "\",\"digest\":\"sha256:"
                + LayoutSnapshot.sha256(empty) + "\",\"size\":2},\"layers\":[],\"subject\":{\"mediaType\":\""
                + MediaTypes.MANIFEST + "\",\"digest\":\"" + other + "\",\"size\":1}}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String digest = "sha256:" + LayoutSnapshot.sha256(referrer);
        Files.write(blob(digest), referrer);
        String index = Files.readString(layout.resolve("index.json"));
        Files.writeString(layout.resolve("index.json"), index.substring(0, index.length() - 2) + ",{\"mediaType\":\""
                + MediaTypes.MANIFEST + "\",\"digest\":\"" + digest + "\",\"size\":" + referrer.length + "}]}");

        assertDamaged("the referrer " + digest + " is about " + other + ", which index.json does not list as an image");
    }

    private void assertDamaged(String problem) {
        UnusableLayoutException e = catchThrowableOfType(UnusableLayoutException.class,
                () -> LayoutReader.read(layout));
        assertThat(e).isNotNull();
        assertThat(e.problem()).startsWith("The image layout in " + layout + " is damaged: ").contains(problem);
        assertThat(e.getMessage()).contains("Fix: delete the folder and run scratch:build again");
    }

    private Path blob(String digest) {
        return layout.resolve("blobs/sha256").resolve(hex(digest));
    }

    private static String hex(String digest) {
        return digest.substring("sha256:".length());
    }
}
