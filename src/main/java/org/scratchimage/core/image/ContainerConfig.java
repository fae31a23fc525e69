package org.scratchimage.core.image;

import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * The validated runtime configuration, in the shape of the OCI config's {@code config} object. Empty
 * collections and {@code null} strings are left out of the JSON.
 *
 * @param user {@code User}
 * @param exposedPorts {@code ExposedPorts}, normalised to {@code port/protocol}
 * @param environment {@code Env}, sorted by name
 * @param entrypoint {@code Entrypoint}
 * @param cmd {@code Cmd}
 * @param volumes {@code Volumes}
 * @param workingDirectory {@code WorkingDir}
 * @param labels {@code Labels}
 * @param stopSignal {@code StopSignal}
 */
public record ContainerConfig(
        String user,
        SortedSet<String> exposedPorts,
        SortedMap<String, String> environment,
        List<String> entrypoint,
        List<String> cmd,
        SortedSet<String> volumes,
        String workingDirectory,
        SortedMap<String, String> labels,
        String stopSignal) {}
