package org.scratchimage.core.credentials;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.scratchimage.core.registry.Credential;
import org.scratchimage.core.registry.CredentialSource;
import org.scratchimage.core.registry.ImageReference;
import org.scratchimage.core.registry.RegistryException;

/**
 * The Docker config, {@code $DOCKER_CONFIG/config.json} or else {@code ~/.docker/config.json}, read as the docker CLI
 * reads it: {@code credHelpers} for the registry, else the {@code credsStore} helper, else {@code auths}. Keys match
 * as {@link RegistryKeys#matching} says; Docker Hub is asked for as {@code https://index.docker.io/v1/}.
 *
 * <p>Two choices of ours: a {@code credHelpers} entry is final, as in the CLI (its helper's "not found" means no
 * credentials here); a {@code credsStore} miss falls back to {@code auths}, which the CLI does not do, so that an
 * {@code auths} entry written before a store was configured still counts.
 */
public final class DockerConfigCredentials implements CredentialSource {
    private static final String KIND = "Docker config";

    private final UserEnvironment environment;
    private final Duration helperTimeout;

    /** @param environment where {@code DOCKER_CONFIG}, the home folder and the helpers' {@code PATH} come from */
    public DockerConfigCredentials(UserEnvironment environment) {
        this(environment, CredentialHelper.DEFAULT_TIMEOUT);
    }

    /** @param helperTimeout how long a credential helper may take */
    public DockerConfigCredentials(UserEnvironment environment, Duration helperTimeout) {
        this.environment = environment;
        this.helperTimeout = helperTimeout;
    }

    /** @return the file read: {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json} */
    public Path file() {
        String folder = environment.variable("DOCKER_CONFIG");
        return folder != null ? Path.of(folder).resolve("config.json")
                : environment.home().resolve(".docker").resolve("config.json");
    }

    @Override
    public Optional<Credential> find(String registry) throws RegistryException {
        String host = ImageReference.normalizeRegistry(registry);
        Optional<AuthFile> read = AuthFile.read(file(), KIND, "correct the file, log in again with docker login "
                + host + ", or point DOCKER_CONFIG at a folder with a valid config.json");
        if (read.isEmpty()) {
            return Optional.empty();
        }
        AuthFile config = read.get();
        String key = RegistryKeys.dockerKey(host);
        for (String helperKey : RegistryKeys.matching(config.credHelpers().keySet(), host)) {
            String helper = config.credHelpers().get(helperKey);
            // The CLI treats an empty helper name as none.
            if (!helper.isEmpty()) {
                return helper(helper, "credHelpers \"" + helperKey + "\" of " + config.description()).get(key);
            }
        }
        if (config.credsStore() != null) {
            Optional<Credential> stored = helper(config.credsStore(), "credsStore of " + config.description())
                    .get(key);
            if (stored.isPresent()) {
                return stored;
            }
        }
        for (String authKey : RegistryKeys.matching(config.auths().keySet(), host)) {
            Optional<Credential> credential = config.credential(authKey);
            if (credential.isPresent()) {
                return credential;
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return KIND + ' ' + file();
    }

    private CredentialHelper helper(String name, String configuredBy) {
        return new CredentialHelper(name, configuredBy, environment, helperTimeout);
    }
}
