package org.scratchimage.core;

import java.util.List;
import java.util.Map;

/**
 * The runtime configuration as the user wrote it; every field may be empty or {@code null}. Make one with
 * {@link #builder()}.
 *
 * @param entrypoint {@code <entrypoint>} arguments
 * @param cmd {@code <cmd>} arguments
 * @param environment {@code <environment>} variables
 * @param workingDirectory {@code <workingDirectory>}
 * @param user {@code <user>}: {@code name}, {@code uid}, {@code uid:gid} or {@code name:group}
 * @param ports {@code <ports>}: {@code 8080}, {@code 8080/tcp}, {@code 53/udp}
 * @param volumes {@code <volumes>}: absolute paths
 * @param labels {@code <labels>}
 * @param stopSignal {@code <stopSignal>}, e.g. {@code SIGTERM}
 */
public record ContainerSpec(
        List<String> entrypoint,
        List<String> cmd,
        Map<String, String> environment,
        String workingDirectory,
        String user,
        List<String> ports,
        List<String> volumes,
        Map<String, String> labels,
        String stopSignal) {

    public ContainerSpec {
        entrypoint = Copies.list(entrypoint);
        cmd = Copies.list(cmd);
        environment = Copies.map(environment);
        ports = Copies.list(ports);
        volumes = Copies.list(volumes);
        labels = Copies.map(labels);
    }

    /** @return a configuration that sets nothing */
    public static ContainerSpec empty() {
        return builder().build();
    }

    /** @return a builder with nothing set */
    public static Builder builder() {
        return new Builder();
    }

    /** Named setters for a {@link ContainerSpec}; what is not set stays {@code null}, or empty for collections. */
    public static final class Builder {
        private List<String> entrypoint;
        private List<String> cmd;
        private Map<String, String> environment;
        private String workingDirectory;
        private String user;
        private List<String> ports;
        private List<String> volumes;
        private Map<String, String> labels;
        private String stopSignal;

        private Builder() {}

        /** @param entrypoint the program and its first arguments */
        public Builder entrypoint(List<String> entrypoint) {
            this.entrypoint = entrypoint;
            return this;
        }

        /** @param cmd default arguments, appended to the entrypoint */
        public Builder cmd(List<String> cmd) {
            this.cmd = cmd;
            return this;
        }

        /** @param environment environment variables by name */
        public Builder environment(Map<String, String> environment) {
            this.environment = environment;
            return this;
        }

        /** @param workingDirectory the working directory of the process */
        public Builder workingDirectory(String workingDirectory) {
            this.workingDirectory = workingDirectory;
            return this;
        }

        /** @param user the user the process runs as */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** @param ports exposed ports */
        public Builder ports(List<String> ports) {
            this.ports = ports;
            return this;
        }

        /** @param volumes volumes, absolute paths */
        public Builder volumes(List<String> volumes) {
            this.volumes = volumes;
            return this;
        }

        /** @param labels labels of the image configuration */
        public Builder labels(Map<String, String> labels) {
            this.labels = labels;
            return this;
        }

        /** @param stopSignal the signal that stops the container */
        public Builder stopSignal(String stopSignal) {
            this.stopSignal = stopSignal;
            return this;
        }

        /** @return the configuration */
        public ContainerSpec build() {
            return new ContainerSpec(entrypoint, cmd, environment, workingDirectory, user, ports, volumes, labels,
                    stopSignal);
        }
    }
}
