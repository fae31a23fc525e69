package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.PlanningFixtures.binary;
import static org.scratchimage.core.PlanningFixtures.file;
import static org.scratchimage.core.PlanningFixtures.plan;
import static org.scratchimage.core.PlanningFixtures.requestIn;
import static org.scratchimage.core.PlanningFixtures.tree;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.oci.OciLayout;

/** The up-to-date check: nothing changed stops the build; any change to a source, the settings or the layout does not. */
class UpToDateTest {
    @TempDir
    Path dir;

    private BuildRequest.Builder fixtures;
    private Path layout;

    @BeforeEach
    void project() throws Exception {
        Files.createDirectories(dir.resolve("tree/etc"));
        Files.writeString(dir.resolve("tree/etc/app.conf"), "port=8080\n");
        Files.writeString(dir.resolve("app"), "#!/bin/app\n");
        fixtures = requestIn(dir);
        fixtures.addDirectory(tree("tree", "/"));
        fixtures.addBinary(binary("app", "/bin/app"));
        layout = dir.resolve("target/oci");
        // Sources changed a moment before a build are not trusted by their stamps (see the racy tests below).
        Thread.sleep(UpToDate.RACY_MILLIS + 50);
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
    void contentRewrittenWithTheSameSizeAndMtimeRebuilds() throws Exception {
        BuildResult first = build();
        Path conf = dir.resolve("tree/etc/app.conf");
        FileTime mtime = Files.getLastModifiedTime(conf);
        Thread.sleep(20);

        Files.writeString(conf, "port=9090\n");
        Files.setLastModifiedTime(conf, mtime);

        BuildResult second = build();
        assertThat(second.upToDate()).isFalse();
        assertThat(second.layerDigest()).isNotEqualTo(first.layerDigest());
    }

    @Test
    void aSourceChangedTooRecentlyIsNotTrustedUntilABuildFindsItSettled() throws Exception {
        // An mtime ahead of the clock stands for a change within the file system's last clock tick.
        Path app = dir.resolve("app");
        Files.setLastModifiedTime(app, FileTime.fromMillis(System.currentTimeMillis() + 3_000));
        BuildResult first = build();

        BuildResult second = build();

        assertThat(second.upToDate()).isFalse();
        assertThat(second.manifestDigest()).isEqualTo(first.manifestDigest());
        Files.setLastModifiedTime(app, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Thread.sleep(UpToDate.RACY_MILLIS + 50);
        BuildResult third = build();
        assertThat(third.upToDate()).isFalse();
        assertThat(build().upToDate()).isTrue();
    }

    @Test
    void aRebuiltPluginOfTheSameVersionDoesNotTrustTheOldState() throws Exception {
        // The plugin's code location: target/classes here, the jar in a build. Its stamp changes when it is rebuilt.
        Path code = Path.of(UpToDate.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        FileTime original = Files.getLastModifiedTime(code);
        String before = UpToDate.fingerprint(plan(fixtures), 0).image();
        try {
            Files.setLastModifiedTime(code, FileTime.fromMillis(original.toMillis() + 1_000));
            assertThat(UpToDate.fingerprint(plan(fixtures), 0).image()).isNotEqualTo(before);
        } finally {
            Files.setLastModifiedTime(code, original);
        }
        assertThat(UpToDate.fingerprint(plan(fixtures), 0).image()).isEqualTo(before);
    }

    @Test
    void aTouchedFileRebuildsToTheSameImage() throws Exception {
        BuildResult first = build();
        Files.setLastModifiedTime(dir.resolve("app"), FileTime.fromMillis(1_000_000_000_000L));

        BuildResult second = build();

        assertThat(second.upToDate()).isFalse();
        assertThat(second.manifestDigest()).isEqualTo(first.manifestDigest());
    }

    @Test
    void aChangedSettingRebuilds() throws Exception {
        build();
        fixtures.tags(List.of("2.0"));

        assertThat(build().upToDate()).isFalse();
        fixtures.annotations(Map.of("org.opencontainers.image.source", "https://example.org"));
        assertThat(build().upToDate()).isFalse();
        assertThat(build().upToDate()).isTrue();
    }

    @Test
    void aNewFileInACopiedTreeRebuilds() throws Exception {
        build();
        Files.writeString(dir.resolve("tree/etc/new.conf"), "x\n");

        assertThat(build().upToDate()).isFalse();
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
