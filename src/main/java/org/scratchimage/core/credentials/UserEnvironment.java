package org.scratchimage.core.credentials;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What the credential sources read of the user's environment, passed in explicitly so that tests never touch the
 * real user's files and helpers.
 *
 * @param variables the environment variables: {@code DOCKER_CONFIG}, {@code REGISTRY_AUTH_FILE},
 *     {@code XDG_RUNTIME_DIR}, {@code XDG_CONFIG_HOME}, and {@code PATH} (where credential helpers are found, and
 *     passed on to them as their whole environment)
 * @param home the home folder: {@code ~/.docker/config.json} and {@code ~/.config/containers/auth.json}
 * @param uid the user id, for podman's {@code /run/containers/<uid>/auth.json} when {@code XDG_RUNTIME_DIR} is not
 *     set; empty when unknown
 */
public record UserEnvironment(Map<String, String> variables, Path home, OptionalLong uid) {

    public UserEnvironment {
        variables = Map.copyOf(variables);
    }

    /** @return an environment of these variables and home folder, with no user id */
    public static UserEnvironment of(Map<String, String> variables, Path home) {
        return new UserEnvironment(variables, home, OptionalLong.empty());
    }

    /**
     * @return this process's environment; the home folder is {@code $HOME} when set, as the docker CLI and podman
     *     take it (a CI job often sets it to another folder than the passwd entry Java's {@code user.home} reads)
     */
    public static UserEnvironment current() {
        Map<String, String> variables = System.getenv();
        String home = variables.get("HOME");
        return new UserEnvironment(variables,
                Path.of(home == null || home.isEmpty() ? System.getProperty("user.home") : home), currentUid());
    }

    /** @return the variable's value, or {@code null} when it is not set or empty (the tools treat both alike) */
    public String variable(String name) {
        String value = variables.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    /** Never the variables: they may hold secrets, such as a CI job's registry password. */
    @Override
    public String toString() {
        return "user environment of " + home;
    }

    private static OptionalLong currentUid() {
        try {
            // /proc/self belongs to the process's effective user: no JNI, no com.sun class.
            return OptionalLong.of(((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue());
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return OptionalLong.empty();
        }
    }
}
