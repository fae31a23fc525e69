package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.PlanningFixtures.file;
import static org.scratchimage.core.PlanningFixtures.plan;
import static org.scratchimage.core.PlanningFixtures.requestIn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.tar.ExternalTools;

/** A zstd layer end to end: media type, diff_id of the decompressed tar, and skopeo verifying every digest. */
class ZstdImageTest {
    @TempDir
    Path dir;

    @Test
    void aZstdImageIsReadBySkopeoAndItsDiffIdIsTheDecompressedTar() throws Exception {
        Files.writeString(dir.resolve("app.conf"), "x=1\n".repeat(10_000));
        BuildRequest.Builder fixtures = requestIn(dir);
        fixtures.addFile(file("app.conf", "/etc/app.conf"));
        fixtures.compression("zstd");
        fixtures.compressionLevel("9");

        BuildResult result = new ImageBuilder(line -> {}).build(fixtures.build());

        Path layout = dir.resolve("target/oci");
        Path layer = layout.resolve("blobs/sha256").resolve(result.layerDigest().substring(7));
        JsonNode manifest = new ObjectMapper().readTree(layout.resolve("blobs/sha256")
                .resolve(result.manifestDigest().substring(7)).toFile());
        assertThat(manifest.path("layers").path(0).path("mediaType").asText())
                .isEqualTo("application/vnd.oci.image.layer.v1.tar+zstd");
        try (InputStream tar = new ZstdInputStream(Files.newInputStream(layer))) {
            String diffId = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tar.readAllBytes()));
            assertThat(diffId).isEqualTo(result.diffId());
        }
        assertThat(Files.size(layer)).isLessThan(2_000);

        ExternalTools.require("skopeo");
        Path copy = dir.resolve("copy");
        ExternalTools.run((byte[]) null, List.of("skopeo", "copy", "--preserve-digests", "oci:" + layout + ":1.0",
                "oci:" + copy + ":1.0")).assertSuccess();
        assertThat(copy.resolve("blobs/sha256").resolve(result.layerDigest().substring(7))).hasSameBinaryContentAs(layer);
        JsonNode inspect = new ObjectMapper().readTree(ExternalTools.run((byte[]) null,
                List.of("skopeo", "inspect", "oci:" + layout + ":1.0")).assertSuccess().stdout());
        assertThat(inspect.path("Layers").path(0).asText()).isEqualTo(result.layerDigest());
    }

    @Test
    void levelsAreCheckedAgainstTheCodec() throws Exception {
        BuildRequest.Builder fixtures = requestIn(dir);
        fixtures.compression("zstd");
        fixtures.compressionLevel("20");
        assertThat(catchError(fixtures).getMessage()).contains("<compressionLevel> \"20\" is not a level of zstd")
                .contains("from 1 to 19 (default 3)");

        fixtures.compression(null);
        fixtures.compressionLevel("0");
        assertThat(catchError(fixtures).getMessage()).contains("is not a level of gzip").contains("from 1 to 9 (default 6)");

        fixtures.compression("none");
        fixtures.compressionLevel("3");
        assertThat(catchError(fixtures).element()).isEqualTo("<compressionLevel>");

        fixtures.compression("zstd");
        fixtures.compressionLevel(null);
        assertThat(plan(fixtures).compressionLevel()).isEqualTo(3);
        fixtures.compression("gzip");
        fixtures.compressionLevel(" 9 ");
        assertThat(plan(fixtures).compressionLevel()).isEqualTo(9);
    }

    private static InvalidConfigurationException catchError(BuildRequest.Builder fixtures) {
        return org.assertj.core.api.Assertions
                .catchThrowableOfType(InvalidConfigurationException.class, () -> plan(fixtures));
    }
}
