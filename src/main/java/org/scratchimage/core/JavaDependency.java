package org.scratchimage.core;

import java.nio.file.Path;

/**
 * One jar of the application's runtime class path, as Maven resolved it. Make one with {@link #builder()}.
 *
 * @param groupId the group id
 * @param artifactId the artifact id
 * @param version the version as resolved: for a snapshot from a repository, the timestamped one
 * @param baseVersion the version as declared: {@code 1.0-SNAPSHOT} for a snapshot, else the same as {@code version};
 *     {@code null} means {@code version}
 * @param classifier the classifier, or {@code null}
 * @param file the jar
 */
public record JavaDependency(String groupId, String artifactId, String version, String baseVersion,
        String classifier, Path file) {

    /** @return whether this is a snapshot, by its base version */
    public boolean snapshot() {
        return (baseVersion == null ? version : baseVersion).endsWith("-SNAPSHOT");
    }

    /** @return {@code groupId:artifactId:baseVersion[:classifier]}, for messages */
    public String coordinates() {
        return groupId + ':' + artifactId + ':' + (baseVersion == null ? version : baseVersion)
                + (classifier == null || classifier.isEmpty() ? "" : ":" + classifier);
    }

    /**
     * @param qualified whether the name starts with the group id
     * @return the jar's name in the image: {@code [groupId-]artifactId-baseVersion[-classifier].jar}, the same for
     *     every build of a snapshot, never the timestamped version
     */
    public String fileName(boolean qualified) {
        return (qualified ? groupId + "-" : "") + artifactId + "-" + (baseVersion == null ? version : baseVersion)
                + (classifier == null || classifier.isEmpty() ? "" : "-" + classifier) + ".jar";
    }

    /** @return a builder with nothing set */
    public static Builder builder() {
        return new Builder();
    }

    /** Named setters for a {@link JavaDependency}. */
    public static final class Builder {
        private String groupId;
        private String artifactId;
        private String version;
        private String baseVersion;
        private String classifier;
        private Path file;

        private Builder() {}

        /** @param groupId the group id */
        public Builder groupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        /** @param artifactId the artifact id */
        public Builder artifactId(String artifactId) {
            this.artifactId = artifactId;
            return this;
        }

        /** @param version the version as resolved */
        public Builder version(String version) {
            this.version = version;
            return this;
        }

        /** @param baseVersion the version as declared, such as {@code 1.0-SNAPSHOT} */
        public Builder baseVersion(String baseVersion) {
            this.baseVersion = baseVersion;
            return this;
        }

        /** @param classifier the classifier, or {@code null} */
        public Builder classifier(String classifier) {
            this.classifier = classifier;
            return this;
        }

        /** @param file the jar */
        public Builder file(Path file) {
            this.file = file;
            return this;
        }

        /** @return the dependency */
        public JavaDependency build() {
            return new JavaDependency(groupId, artifactId, version, baseVersion, classifier, file);
        }
    }
}
