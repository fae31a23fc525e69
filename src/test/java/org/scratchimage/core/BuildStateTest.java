package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.PlanningFixtures.file;
import static org.scratchimage.core.PlanningFixtures.plan;
import static org.scratchimage.core.PlanningFixtures.requestIn;
import static org.scratchimage.core.PlanningFixtures.settledTreeAndScript;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.oci.OciLayout;
import org.scratchimage.core.tar.ExternalTools;

/**
 * The state file beside the layout: with nothing changed the build stops at once; a damaged or untidy layout, or a
 * lost state, rebuilds. What counts as a change of the sources and settings is in {@link FingerprintsTest}.
 */
class BuildStateTest {
    @TempDir
    Path dir;

    private BuildRequest.Builder fixtures;
    private Path layout;

    @BeforeEach
    void project() throws Exception {
        // Sources changed a moment before a build are not trusted by their stamps: the fixture waits that out.
        fixtures = settledTreeAndScript(dir);
        layout = dir.resolve("target/oci");
    }

    private BuildResult build() throws Exception {
        return new ImageBuilder(line -> {}).build(fixtures.build());
    }

    @Test
    void aSecondBuildWithNothingChangedWritesNothing() throws Exception {
        BuildResult first = build();
        FileTime indexTime = Files.getLastModifiedTime(layout.resolve("index.json"));

        BuildResult second = build();

        assertThat(first.upToDate()).isFalse();
        assertThat(second.upToDate()).isTrue();
        assertThat(second.manifestDigest()).isEqualTo(first.manifestDigest());
        assertThat(second.layerDigest()).isEqualTo(first.layerDigest());
        assertThat(second.layerSize()).isEqualTo(first.layerSize());
        assertThat(second.diffId()).isEqualTo(first.diffId());
        assertThat(Files.getLastModifiedTime(layout.resolve("index.json"))).isEqualTo(indexTime);
        assertThat(dir.resolve("target/.oci.scratch-state")).isRegularFile();
    }

    @Test
    void aDamagedOrUntidyLayoutRebuilds() throws Exception {
        BuildResult first = build();

        Files.delete(layout.resolve("blobs/sha256").resolve(first.layerDigest().substring(7)));
        assertThat(build().upToDate()).isFalse();

        Files.writeString(layout.resolve("index.json"), Files.readString(layout.resolve("index.json")) + " ");
        assertThat(build().upToDate()).isFalse();

        Files.createDirectory(layout.resolve(OciLayout.STAGING));
        BuildResult cleaned = build();
        assertThat(cleaned.upToDate()).isFalse();
        assertThat(layout.resolve(OciLayout.STAGING)).doesNotExist();

        Files.write(layout.resolve("blobs/sha256").resolve("0".repeat(64)), new byte[] {1});
        assertThat(build().upToDate()).isFalse();
        assertThat(layout.resolve("blobs/sha256").resolve("0".repeat(64))).doesNotExist();

        assertThat(build().upToDate()).isTrue();
        assertThat(build().manifestDigest()).isEqualTo(first.manifestDigest());
    }

    @Test
    void aDamagedOciLayoutFileRebuildsIntoAValidLayout() throws Exception {
        BuildResult first = build();
        // Same size as the real one, so that only its content tells.
        byte[] garbage = new byte[OciLayout.OCI_LAYOUT.length];
        java.util.Arrays.fill(garbage, (byte) 'x');
        Files.write(layout.resolve("oci-layout"), garbage);

        BuildResult rebuilt = build();

        assertThat(rebuilt.upToDate()).isFalse();
        assertThat(rebuilt.manifestDigest()).isEqualTo(first.manifestDigest());
        assertThat(layout.resolve("oci-layout")).hasBinaryContent(OciLayout.OCI_LAYOUT);
        assertThat(new String(OciLayout.OCI_LAYOUT, java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");
        ExternalTools.run((byte[]) null, List.of("oci-image-tool", "validate", "--type", "image", "--ref",
                "name=1.0", layout.toString())).assertSuccess();
        assertThat(build().upToDate()).isTrue();
    }

    @Test
    void aSourceStampedNoEarlierThanTheStateFileIsRecordedRacy() throws Exception {
        BuildResult first = build();
        // The JVM's clock an hour ahead of the file system's, which stamped the source a minute after "now": the
        // rules on the JVM's clock trust it, git's rule on the state file's own mtime must not.
        Files.setLastModifiedTime(dir.resolve("app"), FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        Fingerprints fingerprints = Fingerprints.of(plan(fixtures), ImageBuilder.VERSION,
                System.currentTimeMillis() + 3_600_000);
        assertThat(fingerprints.anyRacy()).isFalse();

        BuildState.record(layout, fingerprints, first);

        assertThat(BuildState.check(layout, fingerprints.image())).isEmpty();
        assertThat(BuildState.reusable(layout)).isEmpty();
    }

    @Test
    void aLostStateFileRebuilds() throws Exception {
        build();
        Files.delete(dir.resolve("target/.oci.scratch-state"));

        assertThat(build().upToDate()).isFalse();
    }

    @Test
    void anOutputPathBelowAFileIsNotUpToDateButAnIoErrorOfTheBuild() throws Exception {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        BuildRequest.Builder below = requestIn(dir);
        below.addFile(file("app", "/app"));
        BuildRequest request = below.build();
        BuildRequest moved = request.toBuilder().outputDirectory(file.resolve("oci")).build();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ImageBuilder(line -> {}).build(moved))
                .isInstanceOf(java.nio.file.FileSystemException.class)
                .hasMessageContaining(file.toString())
                .hasMessageNotContaining("scratch-state");
    }
}
