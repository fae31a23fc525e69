package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.PlanningFixtures.settledTreeAndScript;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output folder is one folder whatever name the request gives it: one lock, one state, one layout. */
class OutputFolderTest {
    @TempDir
    Path temp;

    @Test
    void aLinkToTheOutputFolderSharesItsLockStateAndLayout() throws Exception {
        Path base = temp.toRealPath().resolve("project");
        BuildRequest.Builder request = settledTreeAndScript(base);
        Path out = base.resolve("target/out");
        Files.createDirectories(out);
        Files.createSymbolicLink(base.resolve("target/alias"), Path.of("out"));

        BuildResult first = new ImageBuilder(line -> {}).build(request.outputDirectory(out).build());
        BuildResult second = new ImageBuilder(line -> {}).build(request.outputDirectory(Path.of("target/alias")).build());

        // The state of out is the state of alias: nothing changed, so the second build writes nothing.
        assertThat(second.upToDate()).isTrue();
        assertThat(second.manifestDigest()).isEqualTo(first.manifestDigest());
        assertThat(second.layout()).isEqualTo(out);
        try (Stream<Path> beside = Files.list(base.resolve("target"))) {
            assertThat(beside.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("out", "alias", ".out.scratch-lock", ".out.scratch-state",
                            ".out.scratch-inputs", ".out.scratch-elf");
        }
        assertThat(base.resolve("target/alias")).isSymbolicLink();
    }

    @Test
    void aLinkToAFolderNotMadeYetIsFollowedAndTheFolderMadeWhereItPoints() throws Exception {
        Path base = temp.toRealPath().resolve("project");
        BuildRequest.Builder request = settledTreeAndScript(base);
        Files.createDirectories(base.resolve("target"));
        Files.createSymbolicLink(base.resolve("target/alias"), Path.of("images/oci"));

        BuildResult result = new ImageBuilder(line -> {}).build(request.outputDirectory(Path.of("target/alias")).build());

        assertThat(result.layout()).isEqualTo(base.resolve("target/images/oci"));
        assertThat(base.resolve("target/images/oci/index.json")).isRegularFile();
        assertThat(base.resolve("target/alias")).isSymbolicLink();
        assertThat(base.resolve("target/images/.oci.scratch-lock")).isRegularFile();
    }
}
