package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.PlanningFixtures.assertInvalid;
import static org.scratchimage.core.PlanningFixtures.requestIn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One folder, one image per session: a second image fails naming both; the same image again is allowed. */
class OutputClaimsTest {
    @TempDir
    Path temp;

    private BuildRequest request(String image, Path output) {
        return requestIn(temp).image(image).outputDirectory(output).build();
    }

    @Test
    void aSecondImageIntoTheSameFolderFailsNamingTheFolderBothImagesAndBothBuilds() throws Exception {
        OutputClaims claims = new OutputClaims();
        claims.claim(request("app", Path.of("target/oci")), "org.example:app execution \"app\"");

        InvalidConfigurationException e = assertInvalid(
                () -> claims.claim(request("team/app-debug", Path.of("target/oci")),
                        "org.example:app execution \"app-debug\""),
                "<outputDirectory>", temp.toRealPath().resolve("target/oci").toString());

        assertThat(e.getMessage())
                .contains("already holds image \"app\" from org.example:app execution \"app\"")
                .contains("org.example:app execution \"app-debug\" would replace it with image \"team/app-debug\"");
        assertThat(e.fix()).isEqualTo(
                "give each its own <outputDirectory>, such as ${project.build.directory}/oci-app-debug");
    }

    @Test
    void theSameImageTwiceAndOtherFoldersAreAllowed() throws Exception {
        OutputClaims claims = new OutputClaims();
        claims.claim(request("shared", Path.of("../target/shared-oci")), "org.example:a execution \"default\"");
        claims.claim(request("shared", Path.of("../target/shared-oci")), "org.example:b execution \"default\"");
        claims.claim(request("app-debug", Path.of("target/oci-app-debug")), "org.example:a execution \"debug\"");
    }

    @Test
    void aLinkToTheFolderIsTheSameFolder() throws Exception {
        Files.createDirectories(temp.resolve("target/out"));
        Files.createSymbolicLink(temp.resolve("target/alias"), Path.of("out"));
        OutputClaims claims = new OutputClaims();
        claims.claim(request("a", Path.of("target/out")), "org.example:a execution \"default\"");

        assertInvalid(() -> claims.claim(request("b", Path.of("target/alias")), "org.example:b execution \"default\""),
                "<outputDirectory>", temp.toRealPath().resolve("target/out").toString());
    }

    @Test
    void aNewSessionMayRenameTheImage() throws Exception {
        new OutputClaims().claim(request("app", Path.of("target/oci")), "org.example:app execution \"default\"");
        new OutputClaims().claim(request("renamed", Path.of("target/oci")), "org.example:app execution \"default\"");
    }

    @Test
    void buildsClaimingAtOnceLetExactlyOneImageIn() throws Exception {
        for (int round = 0; round < 20; round++) {
            OutputClaims claims = new OutputClaims();
            int threads = 8;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    // Two builds of each image: either both of an image get in, or neither.
                    String image = "image" + (i / 2);
                    Callable<String> build = () -> {
                        start.await();
                        try {
                            claims.claim(request(image, Path.of("target/oci")), "build " + image);
                            return image;
                        } catch (InvalidConfigurationException e) {
                            return null;
                        }
                    };
                    results.add(pool.submit(build));
                }
                start.countDown();
                List<String> admitted = new ArrayList<>();
                for (Future<String> result : results) {
                    if (result.get() != null) {
                        admitted.add(result.get());
                    }
                }
                assertThat(admitted).hasSize(2).containsOnly(admitted.get(0));
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
