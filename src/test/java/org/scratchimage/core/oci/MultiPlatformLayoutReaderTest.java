package org.scratchimage.core.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.scratchimage.core.oci.MultiPlatformLayouts.AMD64;
import static org.scratchimage.core.oci.MultiPlatformLayouts.ARM64;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A layout whose index.json points at the image index of a multi-platform build, read for the push and the archive. */
class MultiPlatformLayoutReaderTest {
    @TempDir
    Path temp;

    @Test
    void readsTheIndexWithItsNamesBytesAndEachPlatformsImageAndReferrer() throws Exception {
        Path dir = temp.resolve("oci");
        MultiPlatformLayouts.Written written = MultiPlatformLayouts.write(dir, "myapp", List.of("1.0", "latest"),
                List.of(AMD64, ARM64), true);

        LayoutContents read = LayoutReader.read(dir);

        assertThat(read.images()).isEmpty();
        assertThat(read.entries()).hasSize(1);
        LayoutIndex index = read.indexes().get(0);
        assertThat(index.manifest()).isEqualTo(written.index());
        assertThat(index.manifestBytes()).isEqualTo(Files.readAllBytes(read.blob(written.index())));
        assertThat(index.names()).containsExactly("myapp:1.0", "myapp:latest");
        assertThat(index.images()).extracting(LayoutImage::manifest).containsExactlyElementsOf(written.manifests());
        assertThat(index.images()).extracting(i -> i.platform().toString()).containsExactly("linux/amd64",
                "linux/arm64/v8");
        assertThat(index.images()).allSatisfy(i -> assertThat(i.names()).isEmpty());
        // The shared layer once: 1 shared + 2 own layers + 2 configs.
        assertThat(index.blobs()).hasSize(5).containsOnlyOnce(written.sharedLayer());
        assertThat(read.referrers()).extracting(LayoutReferrer::manifest)
                .containsExactlyElementsOf(written.referrers());
        assertThat(read.referrersOf(index.images().get(1))).extracting(LayoutReferrer::manifest)
                .containsExactly(written.referrers().get(1));
        assertThat(LayoutReader.readImages(dir).indexes()).hasSize(1);
        assertThat(LayoutReader.readImages(dir).referrers()).isEmpty();
    }

    @Test
    void anIndexWhoseBytesDoNotMatchItsDigestIsRefused() throws Exception {
        Path dir = temp.resolve("oci");
        MultiPlatformLayouts.Written written = MultiPlatformLayouts.write(dir, "myapp", List.of("1.0"),
                List.of(AMD64, ARM64), false);
        Path blob = dir.resolve("blobs/sha256").resolve(written.index().hex());
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length - 3] ^= 1;
        Files.write(blob, bytes);

        assertThatThrownBy(() -> LayoutReader.read(dir)).isInstanceOf(UnusableLayoutException.class)
                .hasMessageContaining("blobs/sha256/" + written.index().hex() + " (which index.json references) does"
                        + " not match its digest");
        assertThatThrownBy(() -> LayoutReader.readImages(dir)).isInstanceOf(UnusableLayoutException.class);
    }

    @Test
    void aPlatformManifestOrLayerMissingIsRefused() throws Exception {
        Path dir = temp.resolve("oci");
        MultiPlatformLayouts.Written written = MultiPlatformLayouts.write(dir, "myapp", List.of("1.0"),
                List.of(AMD64, ARM64), false);
        Files.delete(dir.resolve("blobs/sha256").resolve(written.manifests().get(1).hex()));

        assertThatThrownBy(() -> LayoutReader.read(dir)).isInstanceOf(UnusableLayoutException.class)
                .hasMessageContaining("blobs/sha256/" + written.manifests().get(1).hex() + ", which the image index "
                        + written.index().digest() + " references, is missing");
    }

    @Test
    void anIndexListingAnotherIndexIsRefusedForThePushAndPassedOverForTheArchive() throws Exception {
        Path dir = temp.resolve("oci");
        MultiPlatformLayouts.Written written = MultiPlatformLayouts.write(dir, "myapp", List.of("1.0"),
                List.of(AMD64), false);
        byte[] nested = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.INDEX + "\",\"manifests\":[{"
                + "\"mediaType\":\"" + MediaTypes.INDEX + "\",\"digest\":\"" + written.index().digest() + "\","
                + "\"size\":" + written.index().size() + "}]}").getBytes(StandardCharsets.UTF_8);
        String digest = MultiPlatformLayouts.digest(nested);
        Files.write(dir.resolve("blobs/sha256").resolve(digest.substring(7)), nested);
        String index = Files.readString(dir.resolve("index.json"));
        Files.writeString(dir.resolve("index.json"), index.replace("]}", ",{\"mediaType\":\"" + MediaTypes.INDEX
                + "\",\"digest\":\"" + digest + "\",\"size\":" + nested.length + "}]}"));

        assertThatThrownBy(() -> LayoutReader.read(dir)).isInstanceOf(UnusableLayoutException.class)
                .hasMessageContaining("the image index " + digest + " lists " + written.index().digest()
                        + " of media type \"" + MediaTypes.INDEX + "\"");
        assertThat(LayoutReader.readImages(dir).indexes()).extracting(LayoutIndex::manifest)
                .containsExactly(written.index());
    }
}
