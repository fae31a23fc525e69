package org.scratchimage.maven;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.maven.RepositoryUtils;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.DefaultDependencyResolutionRequest;
import org.apache.maven.project.DependencyResolutionException;
import org.apache.maven.project.DependencyResolutionResult;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.ProjectDependenciesResolver;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.graph.DependencyFilter;
import org.eclipse.aether.graph.DependencyNode;
import org.eclipse.aether.transfer.ArtifactNotFoundException;

/**
 * The runtime class path of a project, resolved only when {@code <java>} asks for it, so that a build without
 * {@code <java>} resolves no dependencies. It is what {@code project.getArtifacts()} held when the goal declared
 * {@code requiresDependencyResolution = RUNTIME}: Maven's own resolver with the repository session of the build
 * (reactor modules included, through its workspace reader), the dependencies of scope {@code compile} and
 * {@code runtime} (not {@code system}: Maven's runtime resolution has none), in the same order.
 */
final class RuntimeClasspath {
    private static final Set<String> SCOPES = Set.of(Artifact.SCOPE_COMPILE, Artifact.SCOPE_RUNTIME);

    /**
     * What to resolve and what to keep, as Maven's {@code LifecycleDependencyResolver} filters for the runtime: the
     * nodes of scope compile or runtime, and the root, which has no dependency.
     */
    private static final DependencyFilter RUNTIME =
            (node, parents) -> node.getDependency() == null || SCOPES.contains(node.getDependency().getScope());

    private final ProjectDependenciesResolver resolver;
    private final MavenSession session;

    RuntimeClasspath(ProjectDependenciesResolver resolver, MavenSession session) {
        this.resolver = resolver;
        this.session = session;
    }

    /**
     * @return the project's dependencies of scope compile and runtime, each with its file, in Maven's class path
     *     order (the dependency graph depth first, as Maven lists {@code project.getArtifacts()})
     * @throws MojoFailureException if a dependency cannot be found: the pom names what no repository has
     * @throws MojoExecutionException if the resolution fails otherwise
     */
    List<Artifact> of(MavenProject project) throws MojoExecutionException, MojoFailureException {
        DefaultDependencyResolutionRequest request =
                new DefaultDependencyResolutionRequest(project, session.getRepositorySession());
        request.setResolutionFilter(RUNTIME);
        DependencyResolutionResult result;
        Thread thread = Thread.currentThread();
        ClassLoader caller = thread.getContextClassLoader();
        try {
            // As Maven resolves a project's dependencies: in its realm, where its build extensions live.
            if (project.getClassRealm() != null) {
                thread.setContextClassLoader(project.getClassRealm());
            }
            result = resolver.resolve(request);
        } catch (DependencyResolutionException e) {
            MojoFailureException missing = missing(e);
            if (missing != null) {
                throw missing;
            }
            throw new MojoExecutionException("<java> needs the runtime class path of the project. "
                    + oneLine(e.getMessage()) + ". Fix: check the dependencies of the pom, and that the build reaches"
                    + " their repositories (mvn -X shows each request)", e);
        } finally {
            thread.setContextClassLoader(caller);
        }
        Set<Artifact> artifacts = new LinkedHashSet<>();
        DependencyNode graph = result.getDependencyGraph();
        if (graph != null) {
            // Every node is visited, also below one that is left out: a dependency of a test-scoped one may be
            // on the class path, when another path to it has scope compile or runtime.
            RepositoryUtils.toArtifacts(artifacts, graph.getChildren(),
                    Collections.singletonList(project.getArtifact().getId()), RUNTIME);
        }
        return new ArrayList<>(artifacts);
    }

    /** @return the failure that names the dependencies no repository has, or {@code null} if it failed otherwise */
    private static MojoFailureException missing(DependencyResolutionException e) {
        DependencyResolutionResult result = e.getResult();
        if (result == null || !result.getCollectionErrors().isEmpty() || result.getUnresolvedDependencies().isEmpty()) {
            return null;
        }
        List<String> missing = new ArrayList<>();
        String cause = null;
        for (Dependency dependency : result.getUnresolvedDependencies()) {
            List<Exception> errors = result.getResolutionErrors(dependency);
            if (errors.isEmpty() || !errors.stream().allMatch(ArtifactNotFoundException.class::isInstance)) {
                return null;
            }
            missing.add('"' + dependency.getArtifact().toString() + '"');
            if (cause == null) {
                cause = oneLine(errors.get(0).getMessage());
            }
        }
        return new MojoFailureException("<java> " + String.join(", ", missing) + (missing.size() == 1
                ? " is a dependency of the runtime class path that could not be found: "
                : " are dependencies of the runtime class path that could not be found: ") + cause
                + ". Fix: correct the coordinates in the pom, or install or deploy the artifact; when the build is"
                + " offline (-o), build once online first", e);
    }

    /**
     * @return the resolver's message on one line, the one Maven prints on its error line, without a final period:
     *     a collection failure puts each error on a line of its own
     */
    private static String oneLine(String message) {
        String line = String.valueOf(message).strip().replaceAll("\\s*\\R\\s*", ": ");
        return line.endsWith(".") ? line.substring(0, line.length() - 1) : line;
    }
}
