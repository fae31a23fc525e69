package org.scratchimage.core.registry;

import java.util.Optional;

/** One place credentials can come from: the pom, settings.xml, the Docker config, the containers auth file. */
@FunctionalInterface
public interface CredentialSource {
    /**
     * @param registry the registry as {@link ImageReference#registry()} gives it, such as {@code docker.io} or
     *     {@code 127.0.0.1:5000}
     * @return its entry for that registry, or empty when it has none (the next source is then tried)
     * @throws RegistryException when it has an entry that cannot be used: it names the source and the fix, never
     *     the secret
     */
    Optional<Credential> find(String registry) throws RegistryException;

    /**
     * The lookup the registry client makes: a source whose entries may name a repository (the containers auth
     * file's {@code reg.example/team} keys, matched most specific first) overrides it; the others answer for the
     * registry as a whole.
     *
     * @param registry as for {@link #find(String)}
     * @param repository the repository path the credentials are for, such as {@code team/app} or
     *     {@code library/busybox} ({@link ImageReference#repository()})
     * @return its entry for that repository of that registry, or empty when it has none
     * @throws RegistryException as {@link #find(String)}
     */
    default Optional<Credential> find(String registry, String repository) throws RegistryException {
        return find(registry);
    }
}
