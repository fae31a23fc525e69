package org.scratchimage.maven;

import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.apache.maven.model.Model;
import org.apache.maven.project.MavenProject;

/** Maven projects for mojo tests: with coordinates and a main artifact, so that the mojo can attach to them. */
final class TestProjects {
    private TestProjects() {}

    /** @return a {@code pom} project {@code org.scratchimage.test:ARTIFACT:VERSION} */
    static MavenProject pom(String artifactId, String version) {
        Model model = new Model();
        model.setGroupId("org.scratchimage.test");
        model.setArtifactId(artifactId);
        model.setVersion(version);
        model.setPackaging("pom");
        MavenProject project = new MavenProject(model);
        project.setArtifact(new DefaultArtifact("org.scratchimage.test", artifactId, version, null, "pom", null,
                new DefaultArtifactHandler("pom")));
        return project;
    }
}
