package org.scratchimage.core.credentials;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.scratchimage.core.registry.Credential;
import org.scratchimage.core.registry.CredentialSource;
import org.scratchimage.core.registry.ImageReference;
import org.scratchimage.core.registry.RegistryException;

/**
 * The containers auth file that {@code podman login}, {@code skopeo login} and {@code buildah login} write, read as
 * containers/image reads it (containers-auth.json(5)):
 *
 * <ul>
 *   <li>{@code $REGISTRY_AUTH_FILE} alone when it is set (the tools take it as their {@code --authfile}, and then
 *       read no other file);
 *   <li>else {@code $XDG_RUNTIME_DIR/containers/auth.json} (or {@code /run/containers/<uid>/auth.json} without
 *       {@code XDG_RUNTIME_DIR}, as podman run by root in CI writes it), then
 *       {@code ${XDG_CONFIG_HOME:-~/.config}/containers/auth.json}.
 * </ul>
 *
 * <p>The Docker config those tools read last is left to {@link DockerConfigCredentials}. In each file,
 * {@code credHelpers[registry]} comes first (asked for {@code docker.io} on Docker Hub, as podman asks); then
 * {@code auths} keys with repository paths, most specific first: for {@code reg.example/team/app},
 * {@code reg.example/team/app}, {@code reg.example/team}, then {@code reg.example}; then keys written as URLs
 * ({@code https://reg.example/v1/}). Entries without a credential are skipped.
 */
public final class ContainersAuthCredentials implements CredentialSource {
    private static final String KIND = "containers auth file";

    private final UserEnvironment environment;
    private final Duration helperTimeout;

    /** @param environment where the variables, the home folder and the helpers' {@code PATH} come from */
    public ContainersAuthCredentials(UserEnvironment environment) {
        this(environment, CredentialHelper.DEFAULT_TIMEOUT);
    }

    /** @param helperTimeout how long a credential helper may take */
    public ContainersAuthCredentials(UserEnvironment environment, Duration helperTimeout) {
        this.environment = environment;
        this.helperTimeout = helperTimeout;
    }

    /** @return the files read, in order; some may not exist */
    public List<Path> files() {
        String override = environment.variable("REGISTRY_AUTH_FILE");
        if (override != null) {
            return List.of(Path.of(override));
        }
        List<Path> files = new ArrayList<>();
        String runtime = environment.variable("XDG_RUNTIME_DIR");
        if (runtime != null) {
            files.add(Path.of(runtime, "containers", "auth.json"));
        } else if (environment.uid().isPresent()) {
            files.add(Path.of("/run/containers", Long.toString(environment.uid().getAsLong()), "auth.json"));
        }
        String config = environment.variable("XDG_CONFIG_HOME");
        files.add((config != null ? Path.of(config) : environment.home().resolve(".config"))
                .resolve("containers").resolve("auth.json"));
        return files;
    }

    /** Finds only entries for the whole registry: repository keys need {@link #find(String, String)}. */
    @Override
    public Optional<Credential> find(String registry) throws RegistryException {
        return find(registry, null);
    }

    @Override
    public Optional<Credential> find(String registry, String repository) throws RegistryException {
        String host = ImageReference.normalizeRegistry(registry);
        for (Path path : files()) {
            Optional<AuthFile> read = AuthFile.read(path, KIND, "correct the file, or log in again with podman"
                    + " login " + host + " or skopeo login " + host);
            if (read.isEmpty()) {
                continue;
            }
            Optional<Credential> found = find(read.get(), host, repository);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return KIND + "s " + files();
    }

    private Optional<Credential> find(AuthFile file, String host, String repository) throws RegistryException {
        for (var helper : file.credHelpers().entrySet()) {
            if (!helper.getValue().isEmpty() && ImageReference.normalizeRegistry(helper.getKey()).equals(host)) {
                // containers/image moves on to the next file when the helper has nothing.
                return new CredentialHelper(helper.getValue(), "credHelpers \"" + helper.getKey() + "\" of "
                        + file.description(), environment, helperTimeout).get(host);
            }
        }
        List<String> candidates = new ArrayList<>();
        for (String name = repository == null ? host : host + '/' + repository; ; ) {
            candidates.add(name);
            int slash = name.lastIndexOf('/');
            if (slash < 0) {
                break;
            }
            name = name.substring(0, slash);
        }
        for (String candidate : candidates) {
            for (String key : file.auths().keySet()) {
                if (!hasScheme(key) && normalize(key).equals(candidate)) {
                    Optional<Credential> credential = file.credential(key);
                    if (credential.isPresent()) {
                        return credential;
                    }
                }
            }
        }
        // Keys written as URLs, as docker login once wrote them: only their host counts.
        for (String key : file.auths().keySet()) {
            if (hasScheme(key) && RegistryKeys.host(key).equals(host)) {
                Optional<Credential> credential = file.credential(key);
                if (credential.isPresent()) {
                    return credential;
                }
            }
        }
        return Optional.empty();
    }

    private static boolean hasScheme(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return lower.startsWith("https://") || lower.startsWith("http://");
    }

    /** @return the key with its host normalised, so that Docker Hub's aliases and a host's case match */
    private static String normalize(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? ImageReference.normalizeRegistry(key)
                : ImageReference.normalizeRegistry(key.substring(0, slash)) + key.substring(slash);
    }
}
