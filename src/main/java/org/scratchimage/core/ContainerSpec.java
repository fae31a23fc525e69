package org.scratchimage.core;

import java.util.List;
import java.util.Map;

/**
 * The runtime configuration as the user wrote it; every field may be empty or {@code null}.
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
        return new ContainerSpec(null, null, null, null, null, null, null, null, null);
    }
}
