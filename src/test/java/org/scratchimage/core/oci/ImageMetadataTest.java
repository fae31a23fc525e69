package org.scratchimage.core.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scratch-image.json as the build and the push write it, each keeping what the other recorded of the same image. */
class ImageMetadataTest {
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final List<ImageMetadata.Layer> LAYERS =
            List.of(new ImageMetadata.Layer("app", "sha256:" + "c".repeat(64), 123, "sha256:" + "d".repeat(64)));

    @TempDir
    Path temp;

    private static ImageMetadata built(String digest, String archive) {
        return new ImageMetadata("team/app", List.of("1.0", "latest"), digest, "linux/amd64", LAYERS, archive,
                List.of());
    }

    @Test
    void theFieldsComeInTheirDocumentedOrderOnOneLineAndReadBack() throws Exception {
        ImageMetadata metadata = built(A, "/w/target/app-1.0-image.tar").withPushed(List.of("r.example/app:1.0@" + A),
                Optional.empty());
        Path file = temp.resolve("target/scratch-image.json");

        metadata.write(file);

        assertThat(Files.readString(file)).isEqualTo("{\"image\":\"team/app\",\"tags\":[\"1.0\",\"latest\"],\"digest\":\""
                + A + "\",\"platform\":\"linux/amd64\",\"layers\":[{\"name\":\"app\",\"digest\":\"sha256:" + "c".repeat(64)
                + "\",\"size\":123,\"diff_id\":\"sha256:" + "d".repeat(64) + "\"}],\"archive\":\"/w/target/app-1.0-image.tar\","
                + "\"pushed\":[\"r.example/app:1.0@" + A + "\"]}\n");
        assertThat(new ObjectMapper().readTree(file.toFile()).path("layers").get(0).path("size").asLong()).isEqualTo(123);
        assertThat(ImageMetadata.read(file).orElseThrow().toJson()).isEqualTo(Files.readAllBytes(file));
        metadata.writeDigest(temp.resolve("target/scratch-image.digest"));
        assertThat(temp.resolve("target/scratch-image.digest")).hasContent(A + "\n");
    }

    @Test
    void aMultiPlatformImageListsEachManifestWhereTheLayersWouldBeAndReadsBack() throws Exception {
        ImageMetadata.Manifest amd64 = new ImageMetadata.Manifest("linux/amd64", "sha256:" + "e".repeat(64), LAYERS);
        ImageMetadata.Manifest arm64 = new ImageMetadata.Manifest("linux/arm64/v8", "sha256:" + "f".repeat(64),
                List.of());
        ImageMetadata metadata = new ImageMetadata("team/app", List.of("1.0"), A, null, List.of(),
                List.of(amd64, arm64), "/w/app.tar", List.of()).withPushed(List.of("r.example/app:1.0@" + A),
                        Optional.empty());
        Path file = temp.resolve("scratch-image.json");

        metadata.write(file);

        assertThat(Files.readString(file)).isEqualTo("{\"image\":\"team/app\",\"tags\":[\"1.0\"],\"digest\":\"" + A
                + "\",\"manifests\":[{\"platform\":\"linux/amd64\",\"digest\":\"sha256:" + "e".repeat(64)
                + "\",\"layers\":[{\"name\":\"app\",\"digest\":\"sha256:" + "c".repeat(64) + "\",\"size\":123,"
                + "\"diff_id\":\"sha256:" + "d".repeat(64) + "\"}]},{\"platform\":\"linux/arm64/v8\",\"digest\":"
                + "\"sha256:" + "f".repeat(64) + "\",\"layers\":[]}],\"archive\":\"/w/app.tar\","
                + "\"pushed\":[\"r.example/app:1.0@" + A + "\"]}\n");
        assertThat(new ObjectMapper().readTree(file.toFile()).path("manifests").get(1).path("digest").asText())
                .isEqualTo("sha256:" + "f".repeat(64));
        ImageMetadata read = ImageMetadata.read(file).orElseThrow();
        assertThat(read).isEqualTo(metadata);
        assertThat(read.toJson()).isEqualTo(Files.readAllBytes(file));
    }

    @Test
    void aSinglePlatformImageHasNoManifestsKeyAndTheSevenArgumentConstructorMeansNoManifests() {
        ImageMetadata metadata = built(A, null);

        assertThat(metadata.manifests()).isEmpty();
        assertThat(new String(metadata.toJson(), StandardCharsets.UTF_8)).doesNotContain("manifests")
                .contains("\"layers\":[");
        assertThat(new ImageMetadata("team/app", List.of(), A, null, List.of(), null, List.of()).toJson())
                .asString(StandardCharsets.UTF_8).contains("\"layers\":[]");
    }

    @Test
    void aBuildAndAPushKeepTheManifestsOfAMultiPlatformImage() {
        List<ImageMetadata.Manifest> manifests =
                List.of(new ImageMetadata.Manifest("linux/amd64", "sha256:" + "e".repeat(64), LAYERS));
        ImageMetadata built = new ImageMetadata("team/app", List.of("1.0"), A, null, List.of(), manifests, null,
                List.of());

        ImageMetadata pushed = built.withPushed(List.of("r.example/app:1.0@" + A), Optional.empty());
        ImageMetadata rebuilt = built.afterBuild(Optional.of(pushed));

        assertThat(pushed.manifests()).isEqualTo(manifests);
        assertThat(rebuilt.manifests()).isEqualTo(manifests);
        assertThat(rebuilt.pushed()).containsExactly("r.example/app:1.0@" + A);
    }

    @Test
    void aBuildKeepsThePushedReferencesOfTheSameManifestOnlyAndItsOwnArchiveField() {
        ImageMetadata pushed = built(A, "/old.tar").withPushed(List.of("r.example/app:1.0@" + A), Optional.empty());

        ImageMetadata same = built(A, null).afterBuild(Optional.of(pushed));
        ImageMetadata other = built(B, null).afterBuild(Optional.of(pushed));

        assertThat(same.pushed()).containsExactly("r.example/app:1.0@" + A);
        // The build says whether it wrote an archive: one it no longer writes is not named.
        assertThat(same.archive()).isNull();
        assertThat(other.pushed()).isEmpty();
    }

    @Test
    void aPushKeepsTheArchiveTheBuildRecordedOfTheSameManifestAndAddsItsReferences() {
        ImageMetadata afterBuild = built(A, "/w/target/app-1.0-image.tar")
                .withPushed(List.of("one.example/app:1.0@" + A), Optional.empty());

        ImageMetadata same = built(A, null).withPushed(List.of("two.example/app:1.0@" + A), Optional.of(afterBuild));
        ImageMetadata other = built(B, null).withPushed(List.of("two.example/app:1.0@" + B), Optional.of(afterBuild));

        assertThat(same.archive()).isEqualTo("/w/target/app-1.0-image.tar");
        assertThat(same.pushed()).containsExactly("one.example/app:1.0@" + A, "two.example/app:1.0@" + A);
        assertThat(same.layers()).isEqualTo(LAYERS);
        assertThat(other.archive()).isNull();
        assertThat(other.pushed()).containsExactly("two.example/app:1.0@" + B);
    }

    @Test
    void theLayersOfALayoutComeFromTheManifestAndTheConfigsDiffIdsAndHistory() throws Exception {
        byte[] config = ("{\"architecture\":\"amd64\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:"
                + "1".repeat(64) + "\",\"sha256:" + "2".repeat(64) + "\"]},\"history\":[{\"comment\":\"libraries\"},"
                + "{\"comment\":\"app\"}]}").getBytes(StandardCharsets.UTF_8);
        List<Descriptor> layers = List.of(new Descriptor(MediaTypes.MANIFEST, "sha256:" + "3".repeat(64), 10),
                new Descriptor(MediaTypes.MANIFEST, "sha256:" + "4".repeat(64), 20));

        assertThat(ImageMetadata.layers(layers, config)).containsExactly(
                new ImageMetadata.Layer("libraries", "sha256:" + "3".repeat(64), 10, "sha256:" + "1".repeat(64)),
                new ImageMetadata.Layer("app", "sha256:" + "4".repeat(64), 20, "sha256:" + "2".repeat(64)));
    }

    @Test
    void aFileThisClassDidNotWriteIsNotRead() throws Exception {
        Path file = Files.writeString(temp.resolve("scratch-image.json"), "{\"digest\":\"" + A + "\",\"tags\":[],"
                + "\"layers\":[{\"name\":\"app\"}]}");
        Path badManifest = Files.writeString(temp.resolve("bad-manifest.json"), "{\"digest\":\"" + A + "\","
                + "\"tags\":[],\"manifests\":[{\"platform\":\"linux/amd64\",\"layers\":[]}]}");

        assertThat(ImageMetadata.read(file)).isEmpty();
        assertThat(ImageMetadata.read(badManifest)).isEmpty();
        assertThat(ImageMetadata.read(temp.resolve("missing.json"))).isEmpty();
    }
}
