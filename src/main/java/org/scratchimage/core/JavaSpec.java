package org.scratchimage.core;

import java.nio.file.Path;
import java.util.List;

/**
 * A {@code <java>} application as the user configured it and Maven resolved it: the project's jar, its runtime
 * class path and the JDK to link a runtime from. Values are unparsed; {@code null} means "not set". Make one with
 * {@link #builder()}.
 *
 * @param mainClass the main class, or {@code null} for the {@code Main-Class} of the project's jar's manifest
 * @param jvmFlags the JVM's options, before {@code -cp}
 * @param modules the runtime's modules, comma-separated, or {@code null} to compute them with jdeps
 * @param jdk the JDK's home, or {@code null} for the JDK running the build
 * @param qualifiedJarNames whether every jar in {@code /app/libs} is named
 *     {@code groupId-artifactId-version[-classifier].jar}; {@code null} means no
 * @param artifactId the project's artifact id: its jar goes to {@code /app/<artifactId>.jar}
 * @param packaging the project's packaging, such as {@code jar} or {@code pom}
 * @param projectJar the project's jar, or {@code null} when it has none (yet)
 * @param dependencies the runtime class path, in Maven's order
 * @param workDirectory where the runtime and the jdeps answers are cached, such as {@code target/scratch-java}
 */
public record JavaSpec(String mainClass, List<String> jvmFlags, String modules, String jdk, Boolean qualifiedJarNames,
        String artifactId, String packaging, Path projectJar, List<JavaDependency> dependencies, Path workDirectory) {

    public JavaSpec {
        jvmFlags = Copies.list(jvmFlags);
        dependencies = Copies.list(dependencies);
    }

    /** @return a builder with nothing set */
    public static Builder builder() {
        return new Builder();
    }

    /** Named setters for a {@link JavaSpec}; what is not set stays {@code null}, or empty for the lists. */
    public static final class Builder {
        private String mainClass;
        private List<String> jvmFlags;
        private String modules;
        private String jdk;
        private Boolean qualifiedJarNames;
        private String artifactId;
        private String packaging;
        private Path projectJar;
        private List<JavaDependency> dependencies;
        private Path workDirectory;

        private Builder() {}

        /** @param mainClass the main class; not set for the jar manifest's {@code Main-Class} */
        public Builder mainClass(String mainClass) {
            this.mainClass = mainClass;
            return this;
        }

        /** @param jvmFlags the JVM's options */
        public Builder jvmFlags(List<String> jvmFlags) {
            this.jvmFlags = jvmFlags;
            return this;
        }

        /** @param modules the runtime's modules, comma-separated; not set to compute them with jdeps */
        public Builder modules(String modules) {
            this.modules = modules;
            return this;
        }

        /** @param jdk the JDK's home; not set for the JDK running the build */
        public Builder jdk(String jdk) {
            this.jdk = jdk;
            return this;
        }

        /** @param qualifiedJarNames whether the jars' names start with their group id */
        public Builder qualifiedJarNames(Boolean qualifiedJarNames) {
            this.qualifiedJarNames = qualifiedJarNames;
            return this;
        }

        /** @param artifactId the project's artifact id */
        public Builder artifactId(String artifactId) {
            this.artifactId = artifactId;
            return this;
        }

        /** @param packaging the project's packaging */
        public Builder packaging(String packaging) {
            this.packaging = packaging;
            return this;
        }

        /** @param projectJar the project's jar, or {@code null} */
        public Builder projectJar(Path projectJar) {
            this.projectJar = projectJar;
            return this;
        }

        /** @param dependencies the runtime class path, in Maven's order */
        public Builder dependencies(List<JavaDependency> dependencies) {
            this.dependencies = dependencies;
            return this;
        }

        /** @param workDirectory where the runtime and the jdeps answers are cached */
        public Builder workDirectory(Path workDirectory) {
            this.workDirectory = workDirectory;
            return this;
        }

        /** @return the application */
        public JavaSpec build() {
            return new JavaSpec(mainClass, jvmFlags, modules, jdk, qualifiedJarNames, artifactId, packaging,
                    projectJar, dependencies, workDirectory);
        }
    }
}
