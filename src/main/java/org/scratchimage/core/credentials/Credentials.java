package org.scratchimage.core.credentials;

import java.util.List;
import java.util.Optional;
import org.scratchimage.core.registry.Credential;
import org.scratchimage.core.registry.CredentialSource;
import org.scratchimage.core.registry.RegistryException;

/** Credential sources put together: the first with an entry for the registry wins. */
public final class Credentials {

    private Credentials() {}

    /**
     * @param sources tried in this order
     * @return a source that asks each in turn and answers with the first entry found, whose
     *     {@link Credential#source()} says where it came from; a source that fails (a malformed file, a broken
     *     helper) stops the search rather than letting a later source or anonymous access stand in for it
     */
    public static CredentialSource chain(List<CredentialSource> sources) {
        List<CredentialSource> copy = List.copyOf(sources);
        return new CredentialSource() {
            @Override
            public Optional<Credential> find(String registry) throws RegistryException {
                for (CredentialSource source : copy) {
                    Optional<Credential> found = source.find(registry);
                    if (found.isPresent()) {
                        return found;
                    }
                }
                return Optional.empty();
            }

            @Override
            public Optional<Credential> find(String registry, String repository) throws RegistryException {
                for (CredentialSource source : copy) {
                    Optional<Credential> found = source.find(registry, repository);
                    if (found.isPresent()) {
                        return found;
                    }
                }
                return Optional.empty();
            }

            @Override
            public String toString() {
                return copy.toString();
            }
        };
    }

    /** @return {@link #chain(List)} of these sources */
    public static CredentialSource chain(CredentialSource... sources) {
        return chain(List.of(sources));
    }

    /**
     * @return the sources the user's tools wrote, in the order: the Docker config, then the containers
     *     auth file; the pom's and settings.xml's come before them, from the goal
     */
    public static List<CredentialSource> fromUserFiles(UserEnvironment environment) {
        return List.of(new DockerConfigCredentials(environment), new ContainersAuthCredentials(environment));
    }
}
