package org.scratchimage.maven;

import java.io.File;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.scratchimage.core.InvalidConfigurationException;
import org.scratchimage.core.JavaDependency;
import org.scratchimage.core.JavaSpec;
import org.scratchimage.core.Values;

/** Maps {@code <java>} and the project's runtime class path to the core's {@link JavaSpec}. */
final class JavaParameters {
    private JavaParameters() {}

    /**
     * @param java the parameter, or {@code null} when {@code <java>} is not set
     * @param project the project
     * @param classpath what resolves the project's runtime class path, only when {@code java} is set
     * @return the application, or {@code null} for none
     */
    static JavaSpec of(ImageJava java, MavenProject project, File buildDirectory, RuntimeClasspath classpath)
            throws InvalidConfigurationException, MojoExecutionException, MojoFailureException {
        if (java == null) {
            return null;
        }
        File jar = project.getArtifact() == null ? null : project.getArtifact().getFile();
        return JavaSpec.builder()
                .mainClass(java.mainClass)
                .jvmFlags(java.jvmFlags)
                .modules(java.modules)
                .jdk(java.jdk)
                .qualifiedJarNames(Values.flag("<java>/<qualifiedJarNames>", java.qualifiedJarNames))
                .artifactId(project.getArtifactId())
                .packaging(project.getPackaging())
                .projectJar(jar == null ? null : jar.toPath())
                .dependencies(dependencies(classpath.of(project)))
                .workDirectory(new File(buildDirectory, "scratch-java").toPath())
                .build();
    }

    /**
     * @param artifacts the runtime class path as {@link RuntimeClasspath} resolves it
     * @return its jars (scopes compile and runtime, of a type that goes on the class path), in Maven's order
     */
    static List<JavaDependency> dependencies(Collection<Artifact> artifacts) {
        List<JavaDependency> dependencies = new ArrayList<>();
        for (Artifact artifact : artifacts) {
            String scope = artifact.getScope();
            boolean runtime = scope == null || scope.equals(Artifact.SCOPE_COMPILE)
                    || scope.equals(Artifact.SCOPE_RUNTIME);
            if (!runtime || !artifact.getArtifactHandler().isAddedToClasspath()) {
                continue;
            }
            dependencies.add(JavaDependency.builder().groupId(artifact.getGroupId())
                    .artifactId(artifact.getArtifactId()).version(artifact.getVersion())
                    .baseVersion(artifact.getBaseVersion()).classifier(artifact.getClassifier())
                    .file(artifact.getFile() == null ? null : artifact.getFile().toPath()).build());
        }
        return dependencies;
    }
}
