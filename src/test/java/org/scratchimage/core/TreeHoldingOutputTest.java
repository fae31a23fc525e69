package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.PlanningFixtures.assertInvalid;
import static org.scratchimage.core.PlanningFixtures.plan;
import static org.scratchimage.core.PlanningFixtures.requestIn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.image.LayerEntry;

/**
 * A {@code <directory>} tree that holds the output folder, or its lock or state beside it, would pack the previous
 * image into the next one, which grows on every build and is never up to date: it is refused, by real paths and
 * before anything exists, unless its patterns leave them out.
 */
class TreeHoldingOutputTest {
    private static final String SOURCE = "<directories>/<directory>[1]/<source>";

    @TempDir
    Path temp;

    private Path project;

    @BeforeEach
    void project() throws IOException {
        project = Files.createDirectories(temp.toRealPath().resolve("project"));
        Files.createDirectories(project.resolve("src"));
        Files.writeString(project.resolve("src/app.conf"), "port=8080\n");
        Files.writeString(project.resolve("pom.xml"), "<project/>\n");
    }

    private BuildRequest.Builder tree(String source, List<String> includes, List<String> excludes) {
        return requestIn(project).addDirectory(DirectorySpec.builder().source(source).path("/proj")
                .includes(includes).excludes(excludes).build());
    }

    @Test
    void theProjectWithTheDefaultOutputIsRefusedOnTheFirstBuild() {
        // target/oci does not exist yet: refused by its path, before the first image could be packed.
        InvalidConfigurationException e = assertInvalid(() -> plan(tree(".", List.of(), List.of())), SOURCE, ".");

        assertThat(e.getMessage()).contains("holds the output folder " + project.resolve("target/oci"))
                .contains(".oci.scratch-lock").contains(".oci.scratch-state");
        assertThat(e.fix()).contains("<exclude>target/oci/**</exclude>")
                .contains("<exclude>target/.oci.scratch-*</exclude>")
                .contains("move <outputDirectory>");
    }

    @Test
    void theProjectWithAnExistingLayoutIsRefused() throws Exception {
        Files.createDirectories(project.resolve("target/oci/blobs/sha256"));
        Files.writeString(project.resolve("target/.oci.scratch-state"), "fingerprint=racy\n");

        assertInvalid(() -> plan(tree(".", List.of(), List.of())), SOURCE, ".");
    }

    @Test
    void theSuggestedExcludesLeaveTheOutputOut() throws Exception {
        Files.createDirectories(project.resolve("target/oci/blobs/sha256"));
        Files.writeString(project.resolve("target/.oci.scratch-lock"), "");

        assertThat(paths(plan(tree(".", List.of(), List.of("target/oci/**", "target/.oci.scratch-*")))))
                .contains("proj/pom.xml", "proj/src/app.conf", "proj/target")
                .noneMatch(path -> path.startsWith("proj/target/"));
        assertThat(paths(plan(tree(".", List.of(), List.of("target/**"))))).contains("proj/pom.xml")
                .noneMatch(path -> path.startsWith("proj/target"));
    }

    @Test
    void excludingTheFolderAloneLeavesItsLockAndStateIn() {
        InvalidConfigurationException e = assertInvalid(
                () -> plan(tree(".", List.of(), List.of("target/oci/**"))), SOURCE, ".");

        assertThat(e.fix()).contains("<exclude>target/.oci.scratch-*</exclude>");
    }

    @Test
    void includesThatCannotReachTheOutputLeaveItOut() throws Exception {
        assertThat(paths(plan(tree(".", List.of("src/**"), List.of())))).containsExactly("", "proj", "proj/src",
                "proj/src/app.conf");
    }

    @Test
    void anIncludeStartingWithDoubleStarMayReachTheOutputAndIsRefused() {
        assertInvalid(() -> plan(tree(".", List.of("**/*.conf"), List.of())), SOURCE, ".");
    }

    @Test
    void anIncludeIsRefusedOnlyIfItsNamesLeadIntoTheOutput() throws Exception {
        Files.createDirectories(project.resolve("target"));
        Files.writeString(project.resolve("target/app.jar"), "jar\n");

        assertThat(paths(plan(tree(".", List.of("target/*.jar", "pom.xml"), List.of()))))
                .containsExactly("", "proj", "proj/pom.xml", "proj/target", "proj/target/app.jar");
        assertInvalid(() -> plan(tree(".", List.of("target/oci/index.json"), List.of())), SOURCE, ".");
        assertInvalid(() -> plan(tree(".", List.of("t*/o?i/"), List.of())), SOURCE, ".");
    }

    @Test
    void aSourceReachedThroughALinkIsComparedByItsRealPath() throws IOException {
        Files.createSymbolicLink(temp.resolve("link"), project);

        assertInvalid(() -> plan(tree(temp.resolve("link").toString(), List.of(), List.of())), SOURCE,
                temp.resolve("link").toString());
    }

    @Test
    void anOutputReachedThroughALinkIsComparedByItsRealPath() throws IOException {
        Path elsewhere = Files.createDirectories(temp.resolve("elsewhere"));
        Files.createSymbolicLink(elsewhere.resolve("out"), project.resolve("build/oci"));

        assertInvalid(() -> plan(tree(".", List.of(), List.of()).outputDirectory(elsewhere.resolve("out"))),
                SOURCE, ".");
    }

    @Test
    void theOutputFolderItselfOrAFolderInsideItIsRefused() throws Exception {
        new ImageBuilder(line -> {}).build(tree("src", List.of(), List.of()).build());

        InvalidConfigurationException itself = assertInvalid(
                () -> plan(tree("target/oci", List.of(), List.of())), SOURCE, "target/oci");
        InvalidConfigurationException inside = assertInvalid(
                () -> plan(tree("target/oci/blobs", List.of(), List.of())), SOURCE, "target/oci/blobs");

        assertThat(itself.getMessage()).contains("is the output folder " + project.resolve("target/oci"));
        assertThat(inside.getMessage()).contains("is inside the output folder " + project.resolve("target/oci"));
    }

    @Test
    void aTreeInsideAForeignOutputFolderIsLeftToTheOutputFoldersOwnError() throws Exception {
        // The project as the output: its pom.xml makes the builder refuse it, the mistake to report.
        assertInvalid(() -> new ImageBuilder(line -> {}).build(tree("src", List.of(), List.of())
                .outputDirectory(project).build()), "<outputDirectory>", project.toString());
    }

    @Test
    void aSiblingWhoseNameStartsLikeTheTreeIsNotInIt() throws Exception {
        Files.createDirectories(project.resolve("data"));
        Files.writeString(project.resolve("data/a.txt"), "a\n");

        assertThat(paths(plan(tree("data", List.of(), List.of()).outputDirectory(project.resolve("data-oci")))))
                .contains("proj/a.txt");
    }

    private static List<String> paths(org.scratchimage.core.image.ImagePlan plan) {
        return plan.entries().stream().map(LayerEntry::path).toList();
    }
}
