package org.scratchimage.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.apache.maven.model.Model;
import org.apache.maven.project.MavenProject;
import org.scratchimage.core.java.TestJars;

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

    /**
     * @return a {@code jar} project {@code org.scratchimage.test:app:1.0} whose jar (main class {@code app.Main}) is
     *     built in {@code folder}, with a release dependency {@code org.example:lib:1.0}, a snapshot
     *     {@code org.example:snap:2.0-SNAPSHOT} resolved as a timestamped version, and a test-scoped one, in that order
     */
    static MavenProject javaApplication(Path folder) throws IOException {
        return javaApplication(folder, "jar", true, false);
    }

    /**
     * @param packaging {@code jar}, or {@code pom} for a project with no jar of its own
     * @param mainClass whether the jar's manifest names {@code app.Main}
     * @param twins whether a dependency {@code org.other:lib:1.0} follows, whose jar name is that of
     *     {@code org.example:lib:1.0}
     * @return {@link #javaApplication(Path)} with these changes
     */
    static MavenProject javaApplication(Path folder, String packaging, boolean mainClass, boolean twins)
            throws IOException {
        Model model = new Model();
        model.setGroupId("org.scratchimage.test");
        model.setArtifactId("app");
        model.setVersion("1.0");
        model.setPackaging(packaging);
        MavenProject project = new MavenProject(model);
        Artifact main = new DefaultArtifact("org.scratchimage.test", "app", "1.0", null, packaging, null,
                new DefaultArtifactHandler(packaging));
        if (packaging.equals("jar")) {
            main.setFile(TestJars.jar(folder, "app-1.0.jar", mainClass ? "app.Main" : null, "app.Main",
                    "package app; public class Main { public static void main(String[] a) {} }").toFile());
        }
        project.setArtifact(main);
        Path lib = TestJars.jar(folder, "lib-1.0.jar", null, "lib.A", "package lib; public class A {}");
        Set<Artifact> artifacts = new LinkedHashSet<>();
        artifacts.add(dependency("org.example", "lib", "1.0", Artifact.SCOPE_COMPILE, lib.toFile()));
        artifacts.add(dependency("org.example", "snap", "2.0-20240101.101010-3", Artifact.SCOPE_RUNTIME,
                lib.toFile()));
        artifacts.add(dependency("org.example", "junit", "5.0", Artifact.SCOPE_TEST, lib.toFile()));
        if (twins) {
            artifacts.add(dependency("org.other", "lib", "1.0", Artifact.SCOPE_COMPILE, lib.toFile()));
        }
        project.setArtifacts(artifacts);
        return project;
    }

    private static Artifact dependency(String group, String artifact, String version, String scope, File file) {
        DefaultArtifactHandler handler = new DefaultArtifactHandler("jar");
        handler.setAddedToClasspath(true);
        Artifact dependency = new DefaultArtifact(group, artifact, version, scope, "jar", null, handler);
        dependency.setFile(file);
        return dependency;
    }
}
