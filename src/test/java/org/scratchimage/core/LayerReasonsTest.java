package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.PlanningFixtures.settledTreeAndScript;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each reason a written layer's info line gives, from the build that finds it; a reused layer says nothing more. */
class LayerReasonsTest {
    @TempDir
    Path dir;

    private BuildRequest.Builder request;

    @BeforeEach
    void project() throws Exception {
        request = settledTreeAndScript(dir);
        Files.writeString(dir.resolve("app.conf"), "port=8080\n");
        request.addFile(FileSpec.builder().source("app.conf").path("/srv/app.conf").layer("config").build());
        Thread.sleep(Fingerprints.RACY_MILLIS + 50);
    }

    /** @return the end of each layer line of a build of the request, such as {@code app: written (…)} */
    private List<String> build() throws Exception {
        List<String> lines = new ArrayList<>();
        new ImageBuilder(line -> {
            if (line.startsWith("Layer ") && !line.contains(" diff_id ")) {
                // Layer NAME: N entries, SIZE, sha256:HEX, what
                lines.add(line.substring(6, line.indexOf(':'))
                        + ": " + line.substring(line.indexOf("sha256:") + "sha256:".length() + 64 + 2));
            }
        }).build(request.build());
        return lines;
    }

    @Test
    void theFirstBuildHasNoPreviousBuild() throws Exception {
        assertThat(build()).containsExactly("config: written (no previous build)", "app: written (no previous build)");
    }

    @Test
    void aChangedSourceIsNamedRelativeToTheProject() throws Exception {
        build();
        Files.writeString(dir.resolve("tree/etc/app.conf"), "port=9090\n");

        assertThat(build()).containsExactly("config: reused", "app: written (tree/etc/app.conf changed)");
    }

    @Test
    void aNewTimestampCompressionOrPluginRewritesEveryLayerForThatReason() throws Exception {
        build();
        request.compressionLevel("9");

        assertThat(build()).containsExactly("config: written (the timestamp, the compression or the plugin changed)",
                "app: written (the timestamp, the compression or the plugin changed)");
    }

    @Test
    void aChangedDeclarationIsAChangeOfTheLayersEntries() throws Exception {
        build();
        request.addFile(FileSpec.builder().source("app.conf").path("/srv/other.conf").layer("config").build());

        assertThat(build()).containsExactly("config: written (its entries changed: one added, removed or moved, or"
                + " another mode, owner or link target)", "app: reused");
    }

    @Test
    void aLayerTheLastBuildDidNotHaveSaysSo() throws Exception {
        build();
        request.addSymlink(SymlinkSpec.builder().path("/bin/run").target("app").layer("links").build());

        assertThat(build()).containsExactly("config: reused", "links: written (the previous build had no layer links)",
                "app: reused");
    }

    @Test
    void anUnchangedLayerWhoseBlobIsGoneSaysSo() throws Exception {
        BuildResult first = new ImageBuilder(line -> {}).build(request.build());
        String config = first.layers().get(0).digest();
        Files.delete(dir.resolve("target/oci/blobs/sha256").resolve(config.substring(7)));

        assertThat(build()).containsExactly("config: written (its blob was missing from the layout)", "app: reused");
    }

    @Test
    void aLayerTheLastBuildCouldNotTrustSaysThatItsSourceChangedJustBeforeIt() throws Exception {
        build();
        // As the first build records a layer with a source changed too close to it for its stamp to be trusted
        // (Fingerprints): written by hand, as a machine under load may take longer than that between write and build.
        Path state = dir.resolve("target/.oci.scratch-state");
        Files.writeString(state, Files.readString(state).replaceFirst("layer\\.1\\.fingerprint=[a-f0-9]{64}",
                "layer.1.fingerprint=racy").replaceFirst("(?m)^fingerprint=[a-f0-9]{64}$", "fingerprint=racy"));
        assertThat(Files.readString(state)).contains("layer.1.name=config\n").contains("layer.1.fingerprint=racy\n");

        assertThat(build()).containsExactly("config: written (a source changed just before the previous build, too"
                + " close to it for its time stamps to be trusted)", "app: reused");
    }
}
