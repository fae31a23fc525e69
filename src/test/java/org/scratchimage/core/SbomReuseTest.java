package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.tar.ExternalTools;

/**
 * Issue 18's rule for the SBOM: no file is read twice, and no file of a reused layer is opened at all; its files'
 * checksums come from what the build that wrote the layer recorded. Proven with strace on a build in a JVM of its own.
 */
class SbomReuseTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void aReusedLayersFilesAreListedWithTheirChecksumsWithoutBeingOpened() throws Exception {
        ExternalTools.require("strace");
        Path base = temp.resolve("p");
        SbomTest.project(base, FileTime.fromMillis(1_600_000_000_000L));
        new ImageBuilder(BuildListener.of(line -> { })).build(SbomTest.request(base).build());
        Files.writeString(base.resolve("app.sh"), "#!/bin/sh\necho changed\n");
        Thread.sleep(Fingerprints.RACY_MILLIS + 50);

        Path trace = temp.resolve("trace.txt");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ExternalTools.Result built = ExternalTools.run(List.of("strace", "-f", "-qq", "-e",
                "trace=open,openat,openat2", "-o", trace.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
                SbomBuildMain.class.getName(), base.toString())).assertSuccess();

        assertThat(built.out().lines()).containsExactly("data reused", "app written");
        String opened = Files.readString(trace);
        // The tracer sees the build open the sources of the layer it writes...
        assertThat(opened).contains(base.resolve("app.sh") + "\"");
        // ...and none of the reused layer's, whose files the SBOM still lists with the checksums of their bytes.
        assertThat(opened).doesNotContain("big.bin").doesNotContain(base.resolve("data").toString() + "/");
        JsonNode document = JSON.readTree(base.resolve("target/myapp-1.0-sbom.spdx.json").toFile());
        String big = null;
        for (JsonNode file : document.path("files")) {
            if (file.path("fileName").asText().equals("./data/big.bin")) {
                big = file.path("checksums").get(1).path("checksumValue").asText();
            }
        }
        assertThat(big).isEqualTo(SbomTest.hex("SHA-256", Files.readAllBytes(base.resolve("data/big.bin"))));
    }
}
