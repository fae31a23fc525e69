package org.scratchimage.maven;

import static org.apache.maven.api.plugin.testing.MojoExtension.setVariableValueToObject;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code <sbom>}: the file named after the project's final name, attached, and the referrer in the layout. */
@MojoTest
class SbomMojoTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private MavenProject project;

    /** The mojo writing into {@code temp}, with a project of its own to attach to and to name in the SBOM. */
    private BuildMojo configured(BuildMojo mojo, String sbom, String attach) throws Exception {
        setVariableValueToObject(mojo, "outputDirectory", temp.resolve("target/oci").toFile());
        setVariableValueToObject(mojo, "buildDirectory", temp.resolve("target").toFile());
        setVariableValueToObject(mojo, "finalName", "mojo-busybox-2.0");
        setVariableValueToObject(mojo, "sbom", sbom);
        setVariableValueToObject(mojo, "attach", attach);
        project = TestProjects.pom("mojo-busybox", "2.0");
        setVariableValueToObject(mojo, "project", project);
        mojo.setLog(new RecordingLog());
        return mojo;
    }

    @Test
    @Basedir("/unit/busybox")
    @InjectMojo(goal = "build")
    void theSbomIsWrittenAttachedAsSbomSpdxJsonAndReferredToInTheLayout(BuildMojo mojo) throws Exception {
        configured(mojo, "true", "true").execute();

        Path sbom = temp.resolve("target/mojo-busybox-2.0-sbom.spdx.json");
        JsonNode document = JSON.readTree(sbom.toFile());
        assertThat(document.path("packages").get(1).path("externalRefs").get(0).path("referenceLocator").asText())
                .isEqualTo("pkg:maven/org.scratchimage.test/mojo-busybox@2.0");
        List<Artifact> attached = project.getAttachedArtifacts();
        assertThat(attached).hasSize(1);
        assertThat(attached.get(0).getClassifier()).isEqualTo("sbom");
        assertThat(attached.get(0).getType()).isEqualTo("spdx.json");
        assertThat(attached.get(0).getFile()).isEqualTo(sbom.toFile());
        JsonNode index = JSON.readTree(temp.resolve("target/oci/index.json").toFile());
        assertThat(index.path("manifests")).hasSize(2);
        assertThat(index.path("manifests").get(1).path("artifactType").asText()).isEqualTo("application/spdx+json");

        // Up to date, it is attached all the same.
        configured(mojo, "true", "true").execute();
        assertThat(project.getAttachedArtifacts()).extracting(Artifact::getClassifier).containsExactly("sbom");
    }

    @Test
    @Basedir("/unit/busybox")
    @InjectMojo(goal = "build")
    void withoutAttachTheSbomIsWrittenButNotAttached(BuildMojo mojo) throws Exception {
        configured(mojo, "true", "false").execute();

        assertThat(temp.resolve("target/mojo-busybox-2.0-sbom.spdx.json")).isRegularFile();
        assertThat(project.getAttachedArtifacts()).isEmpty();
    }

    @Test
    @Basedir("/unit/busybox")
    @InjectMojo(goal = "build")
    void withoutSbomNeitherTheFileNorTheReferrerIsWritten(BuildMojo mojo) throws Exception {
        configured(mojo, "FALSE", "true").execute();

        try (var files = Files.list(temp.resolve("target"))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("sbom"));
        }
        assertThat(project.getAttachedArtifacts()).isEmpty();
        assertThat(JSON.readTree(temp.resolve("target/oci/index.json").toFile()).path("manifests")).hasSize(1);
    }
}
