package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.PlanningFixtures.file;
import static org.scratchimage.core.PlanningFixtures.requestIn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scratchimage.core.image.FileStamp;
import org.scratchimage.core.tar.ExternalTools;

/**
 * On a file system that stamps whole seconds (ext2 and ext3, ext4 with 128-byte inodes, FAT, some NFS mounts), a
 * file written twice within one second, with the same size, keeps its size, mtime, ctime and inode. A build made
 * between the two writes must not let the second pass as up to date. Runs on a real ext2 with 128-byte inodes,
 * loop-mounted in the test: it needs root and truncate, mkfs.ext2, mount and umount, as CI has them.
 */
class CoarseClockTest {
    /** Attempts whose rewrite landed in the second of the build before it: each one shows the bug, if present. */
    private static final int SHOWN = 3;
    /** A loaded machine may miss the second now and then: such an attempt shows nothing, and another is made. */
    private static final int ATTEMPTS = 12;

    @TempDir
    Path temp;

    private Path mount;

    @BeforeEach
    void mountExt2() throws Exception {
        ExternalTools.requireRoot("mounting an ext2 loop image");
        Path image = temp.resolve("ext2.img");
        ExternalTools.run(List.of("truncate", "-s", "16M", image.toString())).assertSuccess();
        // -I 128: inodes too small for nanoseconds, so every time is stamped in whole seconds.
        ExternalTools.run(List.of("mkfs.ext2", "-q", "-F", "-I", "128", image.toString())).assertSuccess();
        Path dir = Files.createDirectory(temp.resolve("ext2"));
        ExternalTools.run(List.of("mount", "-o", "loop", image.toString(), dir.toString())).assertSuccess();
        mount = dir;
    }

    @AfterEach
    void unmount() {
        if (mount != null) {
            ExternalTools.run(List.of("umount", mount.toString())).assertSuccess();
        }
    }

    @ParameterizedTest(name = "the layout on {0}")
    @ValueSource(strings = {"the same file system", "a file system with nanosecond times"})
    void aSameSizeRewriteWithinTheSecondOfABuildRebuildsWithTheNewContent(String where) throws Exception {
        Path project = Files.createDirectory(mount.resolve("project"));
        Path conf = project.resolve("app.conf");
        Path output = where.equals("the same file system") ? project.resolve("target/oci")
                : temp.resolve("target/oci");
        Files.writeString(conf, "v=0\n");
        BuildRequest request = requestIn(project).outputDirectory(output).addFile(file("app.conf", "/etc/app.conf"))
                .build();
        // Warm: a build then takes a few milliseconds, well within the second.
        build(request);
        build(request);

        int shown = 0;
        long second = 0;
        for (int attempt = 1; attempt <= ATTEMPTS && shown < SHOWN; attempt++) {
            second = Math.floorDiv(System.currentTimeMillis(), 1000) + 1;
            sleepUntil(second * 1000 + 30);
            Files.writeString(conf, "v=" + (char) ('a' + 2 * attempt) + "\n");
            // As in the issue: planned 0.3 s into the second, well after the write, yet within its second.
            sleepUntil(second * 1000 + 300);
            BuildResult before = build(request);
            if (System.currentTimeMillis() > second * 1000 + 800) {
                continue;
            }
            Files.writeString(conf, "v=" + (char) ('a' + 2 * attempt + 1) + "\n");
            FileStamp stamp = FileStamp.read(conf, true);
            if (stamp.mtimeSeconds() != second || stamp.ctimeSeconds() != second) {
                continue;
            }
            assertThat(stamp.mtimeNanos()).as("a whole-second stamp on ext2 -I 128").isZero();
            shown++;

            BuildResult after = build(request);

            assertThat(after.upToDate()).as("attempt %d: a build after the same-size rewrite", attempt).isFalse();
            assertThat(after.diffId()).as("attempt %d: the layer of the new content", attempt)
                    .isNotEqualTo(before.diffId());
        }
        assertThat(shown).as("attempts whose rewrite landed in the second of the build before it").isPositive();

        // Once the whole-second stamp is old enough, it is trusted again: the build after the next is up to date.
        sleepUntil((second + FileStamp.COARSE_SECONDS) * 1000 + Fingerprints.RACY_MILLIS + 100);
        build(request);
        assertThat(build(request).upToDate()).isTrue();
    }

    private static BuildResult build(BuildRequest request) throws Exception {
        return new ImageBuilder(line -> {}).build(request);
    }

    private static void sleepUntil(long millis) throws InterruptedException {
        for (long now = System.currentTimeMillis(); now < millis; now = System.currentTimeMillis()) {
            Thread.sleep(millis - now);
        }
    }
}
