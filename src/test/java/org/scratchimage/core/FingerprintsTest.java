package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.PlanningFixtures.plan;
import static org.scratchimage.core.PlanningFixtures.settledTreeAndScript;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fingerprints: any change to a source, the settings or the plugin rebuilds; a source changed too recently is not
 * trusted by its stamp.
 */
class FingerprintsTest {
    @TempDir
    Path dir;

    private BuildRequest.Builder fixtures;

    @BeforeEach
    void project() throws Exception {
        // Sources changed a moment before a build are not trusted by their stamps: the fixture waits that out.
        fixtures = settledTreeAndScript(dir);
    }

    private BuildResult build() throws Exception {
        return new ImageBuilder(line -> {}).build(fixtures.build());
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
        Thread.sleep(Fingerprints.RACY_MILLIS + 50);
        BuildResult third = build();
        assertThat(third.upToDate()).isFalse();
        assertThat(build().upToDate()).isTrue();
    }

    @Test
    void aRebuiltPluginOfTheSameVersionDoesNotTrustTheOldState() throws Exception {
        // The plugin's code location: target/classes here, the jar in a build. Its stamp changes when it is rebuilt.
        Path code = Path.of(Fingerprints.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        FileTime original = Files.getLastModifiedTime(code);
        String before = Fingerprints.of(plan(fixtures), ImageBuilder.VERSION, 0).image();
        try {
            Files.setLastModifiedTime(code, FileTime.fromMillis(original.toMillis() + 1_000));
            assertThat(Fingerprints.of(plan(fixtures), ImageBuilder.VERSION, 0).image()).isNotEqualTo(before);
        } finally {
            Files.setLastModifiedTime(code, original);
        }
        assertThat(Fingerprints.of(plan(fixtures), ImageBuilder.VERSION, 0).image()).isEqualTo(before);
    }

    @Test
    void anotherPluginVersionChangesTheImageAndEveryLayerFingerprint() throws Exception {
        Fingerprints before = Fingerprints.of(plan(fixtures), "1.0.0", 0);
        Fingerprints after = Fingerprints.of(plan(fixtures), "1.0.1", 0);

        assertThat(after.image()).isNotEqualTo(before.image());
        assertThat(after.layers()).doesNotContainAnyElementsOf(before.layers());
        assertThat(Fingerprints.of(plan(fixtures), "1.0.0", 0)).isEqualTo(before);
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
}
