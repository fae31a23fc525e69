package org.scratchimage.core.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.BuildResult;
import org.scratchimage.core.tar.ExternalTools;

/**
 * containerd, the engine under Docker 25's image store and under Kubernetes, imports the archive under the names
 * Docker gives it and runs the image.
 */
class ContainerdArchiveTest {
    @TempDir
    Path dir;

    @Test
    void containerdImportsTheArchiveUnderItsFullNamesAndRunsTheImagesProgram() throws Exception {
        BuildResult build = ArchiveFixtures.build(dir.resolve("p"), ArchiveFixtures.busybox());
        Path archive = ImageArchive.write(ArchiveFixtures.layout(dir.resolve("p")), dir.resolve("image.tar"),
                ArchiveFixtures.TIMESTAMP).file();

        try (Containerd containerd = Containerd.start(dir.resolve("c"))) {
            // The native snapshotter copies instead of mounting overlays: it works on any file system.
            String imported = containerd.ctr("images", "import", "--snapshotter", "native", archive.toString())
                    .assertSuccess().out();
            assertThat(imported).contains("docker.io/library/myapp:1.0").contains("docker.io/library/myapp:latest");
            // containerd keeps names as imported; Docker and Kubernetes look up myapp:1.0 by this full name.
            String images = containerd.ctr("images", "ls").assertSuccess().out();
            assertThat(images.lines().filter(line -> line.contains(build.manifestDigest())))
                    .extracting(line -> line.split("\\s+")[0])
                    .containsExactlyInAnyOrder("docker.io/library/myapp:1.0", "docker.io/library/myapp:latest");

            String id = "scratch-archive-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
            try {
                ExternalTools.Result run = containerd.ctr("run", "--rm", "--snapshotter", "native",
                        "docker.io/library/myapp:1.0", id);
                assertThat(run.exitCode()).as("ctr run: %s %s; containerd: %s", run.out(), run.stderr(),
                        containerd.log()).isZero();
                assertThat(run.out()).isEqualTo(ArchiveFixtures.GREETING + "\n");
            } finally {
                // After a failure the task and container may remain; their shim would outlive containerd.
                containerd.ctr("tasks", "kill", "--signal", "SIGKILL", id);
                containerd.ctr("tasks", "delete", "--force", id);
                containerd.ctr("containers", "delete", id);
            }
        }
    }
}
