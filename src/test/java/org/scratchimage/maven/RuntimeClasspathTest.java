package org.scratchimage.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import javax.inject.Inject;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.apache.maven.artifact.resolver.filter.CumulativeScopeArtifactFilter;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.DefaultMavenExecutionResult;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.lifecycle.internal.LifecycleDependencyResolver;
import org.apache.maven.model.Dependency;
import org.apache.maven.model.Model;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.ProjectDependenciesResolver;
import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.codehaus.plexus.PlexusContainer;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.WorkspaceReader;
import org.eclipse.aether.repository.WorkspaceRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.JavaDependency;

/**
 * {@link RuntimeClasspath} with Maven's own resolver, over a local repository and a reactor module made here, checked
 * against what Maven's lifecycle gave the goal as {@code project.getArtifacts()} when it declared
 * {@code requiresDependencyResolution = RUNTIME}.
 */
@MojoTest
class RuntimeClasspathTest {
    private static final String G = "org.example";
    /** The remote repository of the projects; never reached, the session is offline. */
    private static final RemoteRepository CENTRAL =
            new RemoteRepository.Builder("central", "default", "https://repo.maven.apache.org/maven2").build();

    @Inject
    private PlexusContainer container;

    @Inject
    private ProjectDependenciesResolver resolver;

    @Inject
    private RepositorySystem system;

    @Inject
    private LifecycleDependencyResolver lifecycle;

    @TempDir
    Path temp;

    private Path repository;
    private Path siblingJar;

    @BeforeEach
    void repository() throws IOException {
        repository = temp.resolve("repository");
        // lib brings a compile dependency, an optional one and a test one of its own: only the first is transitive.
        install("lib", "1.0", null, dependency("transitive", "1.0", "compile"),
                optional(dependency("optional", "1.0", "compile")), dependency("lib-test", "1.0", "test"));
        install("transitive", "1.0", null);
        install("optional", "1.0", null);
        install("lib-test", "1.0", null);
        // junit is a test dependency whose own dependency "widened" is also one of driver, at the same depth: the
        // graph keeps it below junit, where it comes first, with driver's scope, runtime.
        install("junit", "5.0", null, dependency("widened", "1.0", "compile"));
        install("widened", "1.0", null);
        install("driver", "1.0", null, dependency("widened", "1.0", "compile"));
        installSnapshot();
        install("api", "1.0", null);
        install("direct-optional", "1.0", null);
        install("natives", "1.0", "linux");
        // a pom dependency: not a jar itself, but its dependencies are on the class path
        installPom("bundle", "1.0", "pom", dependency("bundled", "1.0", "compile"));
        install("bundled", "1.0", null);
        siblingJar = temp.resolve("sibling/target/sibling-1.0-SNAPSHOT.jar");
        Files.createDirectories(siblingJar.getParent());
        Files.writeString(siblingJar, "sibling", StandardCharsets.UTF_8);
    }

    @Test
    void resolvesWhatMavensRuntimeResolutionGaveInItsOrder() throws Exception {
        MavenSession session = session();
        List<Artifact> resolved = new RuntimeClasspath(resolver, session).of(project());

        assertThat(resolved).extracting(Artifact::toString).containsExactly(
                "org.example:lib:jar:1.0:compile",
                "org.example:transitive:jar:1.0:compile",
                "org.example:widened:jar:1.0:runtime",
                "org.example:snap:jar:2.0-SNAPSHOT:runtime",
                "org.example:direct-optional:jar:1.0:compile",
                "org.example:driver:jar:1.0:runtime",
                "org.example:sibling:jar:1.0-SNAPSHOT:compile",
                "org.example:natives:jar:linux:1.0:compile",
                "org.example:bundle:pom:1.0:compile",
                "org.example:bundled:jar:1.0:compile");
        assertThat(resolved).allSatisfy(artifact -> assertThat(artifact.getFile()).isFile());
        assertThat(resolved.get(3).getVersion()).isEqualTo("2.0-20240101.101010-3");
        assertThat(resolved.get(6).getFile()).as("the reactor module's jar").isEqualTo(siblingJar.toFile());

        // Maven's lifecycle, for this goal alone (runtime) and for a build whose surefire resolves the test scope.
        for (List<String> scopes : List.of(List.of("compile", "runtime"),
                List.of("compile", "system", "provided", "runtime", "test"))) {
            MavenProject project = project();
            lifecycle.resolveProjectDependencies(project, List.of(), scopes, session(), false, Set.of());
            project.setArtifactFilter(new CumulativeScopeArtifactFilter(List.of("runtime")));
            assertThat(ids(resolved)).as("resolving %s", scopes).isEqualTo(ids(project.getArtifacts()));
        }

        List<JavaDependency> jars = JavaParameters.dependencies(resolved);
        assertThat(jars).extracting(d -> d.fileName(false)).as("the pom dependency left out")
                .containsExactly("lib-1.0.jar", "transitive-1.0.jar", "widened-1.0.jar", "snap-2.0-SNAPSHOT.jar",
                        "direct-optional-1.0.jar", "driver-1.0.jar", "sibling-1.0-SNAPSHOT.jar",
                        "natives-1.0-linux.jar", "bundled-1.0.jar");
    }

    @Test
    void aMissingRuntimeDependencyIsAUserMistakeNamingIt() throws Exception {
        MavenProject project = project(dependency("lib", "1.0", "compile"), dependency("missing", "1.0", "runtime"),
                dependency("gone", "2.0", "runtime"));

        Throwable thrown = catchThrowable(() -> new RuntimeClasspath(resolver, session()).of(project));

        String error = RecordingLog.assertUserMistake(thrown, "<java>", "org.example:missing:jar:1.0",
                List.of("\"org.example:gone:jar:2.0\"", "are dependencies of the runtime class path that could not"
                        + " be found: ", "org.example:missing:jar:1.0", "correct the coordinates in the pom"));
        assertThat(error).doesNotContain("org.example:lib").doesNotContain("..");
    }

    @Test
    void aMissingTestDependencyIsNoneOfItsBusiness() throws Exception {
        MavenProject project = project(dependency("lib", "1.0", "compile"), dependency("missing", "1.0", "test"),
                dependency("also-missing", "1.0", "provided"));

        assertThat(new RuntimeClasspath(resolver, session()).of(project)).extracting(Artifact::getArtifactId)
                .containsExactly("lib", "transitive");
    }

    @Test
    void aGraphThatCannotBeCollectedIsAnExecutionError() throws Exception {
        MavenProject project = project(dependency("lib", "[7,8)", "compile"));

        Throwable thrown = catchThrowable(() -> new RuntimeClasspath(resolver, session()).of(project));

        assertThat(thrown).isExactlyInstanceOf(MojoExecutionException.class)
                .hasMessageStartingWith("<java> needs the runtime class path of the project. ")
                .hasMessageContaining("No versions available for org.example:lib:jar:[7,8) within specified range. Fix: ")
                .as("one line, the one Maven prints").message().doesNotContain("\n");
    }

    /** @return the project: its dependencies in the order of the pom, of every scope and kind */
    private MavenProject project() throws IOException {
        Path system = Files.writeString(temp.resolve("tools.jar"), "jar", StandardCharsets.UTF_8);
        Dependency systemScoped = dependency("tools", "1.0", "system");
        systemScoped.setSystemPath(system.toString());
        Dependency natives = dependency("natives", "1.0", "compile");
        natives.setClassifier("linux");
        Dependency bundle = dependency("bundle", "1.0", "compile");
        bundle.setType("pom");
        return project(dependency("lib", "1.0", "compile"), dependency("junit", "5.0", "test"),
                dependency("snap", "2.0-20240101.101010-3", "runtime"), dependency("api", "1.0", "provided"),
                systemScoped, optional(dependency("direct-optional", "1.0", "compile")),
                dependency("driver", "1.0", "runtime"), dependency("sibling", "1.0-SNAPSHOT", "compile"), natives,
                bundle);
    }

    private static MavenProject project(Dependency... dependencies) {
        Model model = new Model();
        model.setGroupId("org.scratchimage.test");
        model.setArtifactId("app");
        model.setVersion("1.0");
        model.setPackaging("jar");
        model.setDependencies(new ArrayList<>(List.of(dependencies)));
        // Its repositories as Maven sets them from the pom's; the setter takes maven-artifact's older type.
        MavenProject project = new MavenProject(model) {
            @Override
            public List<RemoteRepository> getRemoteProjectRepositories() {
                return List.of(CENTRAL);
            }
        };
        project.setArtifact(new DefaultArtifact("org.scratchimage.test", "app", "1.0", null, "jar", null,
                new DefaultArtifactHandler("jar")));
        return project;
    }

    /**
     * @return a session offline over the local repository, whose workspace (the reactor) holds
     *     {@code org.example:sibling:1.0-SNAPSHOT}, packaged
     */
    private MavenSession session() throws IOException {
        DefaultRepositorySystemSession repositorySession = MavenRepositorySystemUtils.newSession();
        repositorySession.setOffline(true);
        repositorySession.setLocalRepositoryManager(
                system.newLocalRepositoryManager(repositorySession, new LocalRepository(repository.toFile())));
        Path siblingPom = Files.writeString(temp.resolve("sibling/pom.xml"), pom("sibling", "1.0-SNAPSHOT", "jar"),
                StandardCharsets.UTF_8);
        repositorySession.setWorkspaceReader(new WorkspaceReader() {
            private final WorkspaceRepository reactor = new WorkspaceRepository("reactor");

            @Override
            public WorkspaceRepository getRepository() {
                return reactor;
            }

            @Override
            public File findArtifact(org.eclipse.aether.artifact.Artifact artifact) {
                if (!artifact.getArtifactId().equals("sibling")) {
                    return null;
                }
                return (artifact.getExtension().equals("pom") ? siblingPom : siblingJar).toFile();
            }

            @Override
            public List<String> findVersions(org.eclipse.aether.artifact.Artifact artifact) {
                return artifact.getArtifactId().equals("sibling") ? List.of("1.0-SNAPSHOT") : List.of();
            }
        });
        @SuppressWarnings("deprecation")
        MavenSession session = new MavenSession(container, repositorySession, new DefaultMavenExecutionRequest(),
                new DefaultMavenExecutionResult());
        MavenProject sibling = project();
        sibling.getModel().setArtifactId("sibling");
        sibling.getModel().setVersion("1.0-SNAPSHOT");
        Artifact siblingArtifact = new DefaultArtifact(G, "sibling", "1.0-SNAPSHOT", null, "jar", null,
                new DefaultArtifactHandler("jar"));
        siblingArtifact.setFile(siblingJar.toFile());
        sibling.setArtifact(siblingArtifact);
        session.setProjects(List.of(project(), sibling));
        return session;
    }

    private static List<String> ids(Collection<Artifact> artifacts) {
        return artifacts.stream().map(a -> a + " " + a.getFile()).toList();
    }

    private static Dependency dependency(String artifactId, String version, String scope) {
        Dependency dependency = new Dependency();
        dependency.setGroupId(G);
        dependency.setArtifactId(artifactId);
        dependency.setVersion(version);
        dependency.setScope(scope);
        return dependency;
    }

    private static Dependency optional(Dependency dependency) {
        dependency.setOptional(true);
        return dependency;
    }

    /** Puts a jar (with a classifier, or none) and its pom into the local repository, as if downloaded. */
    private void install(String artifactId, String version, String classifier, Dependency... dependencies)
            throws IOException {
        installPom(artifactId, version, "jar", dependencies);
        Path folder = repository.resolve(G.replace('.', '/')).resolve(artifactId).resolve(version);
        Files.writeString(folder.resolve(artifactId + "-" + version + (classifier == null ? "" : "-" + classifier)
                + ".jar"), artifactId, StandardCharsets.UTF_8);
    }

    private void installPom(String artifactId, String version, String packaging, Dependency... dependencies)
            throws IOException {
        Path folder = repository.resolve(G.replace('.', '/')).resolve(artifactId).resolve(version);
        Files.createDirectories(folder);
        Files.writeString(folder.resolve(artifactId + "-" + version + ".pom"),
                pom(artifactId, version, packaging, dependencies), StandardCharsets.UTF_8);
    }

    /**
     * Puts {@code org.example:snap:2.0-SNAPSHOT}, deployed as 2.0-20240101.101010-3, into the local repository, as
     * downloaded from {@link #CENTRAL}: a local repository holds a timestamped version only when downloaded.
     */
    private void installSnapshot() throws IOException {
        Path folder = repository.resolve("org/example/snap/2.0-SNAPSHOT");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("snap-2.0-20240101.101010-3.pom"), pom("snap", "2.0-SNAPSHOT", "jar"),
                StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("snap-2.0-20240101.101010-3.jar"), "snap", StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("_remote.repositories"), "snap-2.0-20240101.101010-3.pom>central=\n"
                + "snap-2.0-20240101.101010-3.jar>central=\n", StandardCharsets.UTF_8);
    }

    private static String pom(String artifactId, String version, String packaging, Dependency... dependencies) {
        StringBuilder pom = new StringBuilder("<project><modelVersion>4.0.0</modelVersion><groupId>" + G
                + "</groupId><artifactId>" + artifactId + "</artifactId><version>" + version + "</version><packaging>"
                + packaging + "</packaging><dependencies>");
        for (Dependency dependency : dependencies) {
            pom.append("<dependency><groupId>").append(dependency.getGroupId()).append("</groupId><artifactId>")
                    .append(dependency.getArtifactId()).append("</artifactId><version>")
                    .append(dependency.getVersion()).append("</version><scope>").append(dependency.getScope())
                    .append("</scope><optional>").append(dependency.isOptional()).append("</optional></dependency>");
        }
        return pom.append("</dependencies></project>").toString();
    }
}
