package org.scratchimage.maven;

import static org.apache.maven.api.plugin.testing.MojoExtension.setVariableValueToObject;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.RepositoryUtils;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.apache.maven.model.Model;
import org.apache.maven.project.DependencyResolutionResult;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.ProjectDependenciesResolver;
import org.eclipse.aether.graph.DefaultDependencyNode;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.graph.DependencyNode;
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
     * Gives the mojo a {@code jar} project {@code org.scratchimage.test:app:1.0} whose jar (main class
     * {@code app.Main}) is built in {@code folder}, and a resolver that answers it with a release dependency
     * {@code org.example:lib:1.0}, a snapshot {@code org.example:snap:2.0-SNAPSHOT} resolved as a timestamped version,
     * and a test-scoped one, in that order.
     */
    static void javaApplication(BuildMojo mojo, Path folder) throws IOException, IllegalAccessException {
        javaApplication(mojo, folder, "jar", true, false);
    }

    /**
     * @param packaging {@code jar}, or {@code pom} for a project with no jar of its own
     * @param mainClass whether the jar's manifest names {@code app.Main}
     * @param twins whether a dependency {@code org.other:lib:1.0} follows, whose jar name is that of
     *     {@code org.example:lib:1.0}
     * @see #javaApplication(BuildMojo, Path)
     */
    static void javaApplication(BuildMojo mojo, Path folder, String packaging, boolean mainClass, boolean twins)
            throws IOException, IllegalAccessException {
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
        List<Artifact> artifacts = new ArrayList<>();
        artifacts.add(dependency("org.example", "lib", "1.0", Artifact.SCOPE_COMPILE, lib.toFile()));
        artifacts.add(dependency("org.example", "snap", "2.0-20240101.101010-3", Artifact.SCOPE_RUNTIME,
                lib.toFile()));
        artifacts.add(dependency("org.example", "junit", "5.0", Artifact.SCOPE_TEST, lib.toFile()));
        if (twins) {
            artifacts.add(dependency("org.other", "lib", "1.0", Artifact.SCOPE_COMPILE, lib.toFile()));
        }
        setVariableValueToObject(mojo, "project", project);
        setVariableValueToObject(mojo, "dependenciesResolver", resolver(artifacts));
    }

    /**
     * Stands in for Maven's resolver, which needs a repository session that the harness's session does not have
     * (RuntimeClasspathTest resolves for real): it answers every request with a graph of these dependencies, each
     * with its file when the request's filter lets it be resolved, as Maven's does.
     */
    static ProjectDependenciesResolver resolver(List<Artifact> dependencies) {
        return request -> {
            DefaultDependencyNode root = new DefaultDependencyNode(
                    RepositoryUtils.toArtifact(request.getMavenProject().getArtifact()));
            List<DependencyNode> children = new ArrayList<>();
            for (Artifact artifact : dependencies) {
                DefaultDependencyNode node = new DefaultDependencyNode(
                        new Dependency(RepositoryUtils.toArtifact(artifact), artifact.getScope()));
                if (request.getResolutionFilter() != null
                        && !request.getResolutionFilter().accept(node, List.of(root))) {
                    node.setArtifact(node.getArtifact().setFile(null));
                }
                children.add(node);
            }
            root.setChildren(children);
            return new DependencyResolutionResult() {
                @Override
                public DependencyNode getDependencyGraph() {
                    return root;
                }

                @Override
                public List<Dependency> getDependencies() {
                    return children.stream().map(DependencyNode::getDependency).toList();
                }

                @Override
                public List<Dependency> getResolvedDependencies() {
                    return children.stream().filter(n -> n.getArtifact().getFile() != null)
                            .map(DependencyNode::getDependency).toList();
                }

                @Override
                public List<Dependency> getUnresolvedDependencies() {
                    return List.of();
                }

                @Override
                public List<Exception> getCollectionErrors() {
                    return List.of();
                }

                @Override
                public List<Exception> getResolutionErrors(Dependency dependency) {
                    return List.of();
                }
            };
        };
    }

    private static Artifact dependency(String group, String artifact, String version, String scope, File file) {
        DefaultArtifactHandler handler = new DefaultArtifactHandler("jar");
        handler.setAddedToClasspath(true);
        Artifact dependency = new DefaultArtifact(group, artifact, version, scope, "jar", null, handler);
        dependency.setFile(file);
        return dependency;
    }
}
