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
}
