package org.scratchimage.maven;

import java.util.Optional;
import org.scratchimage.core.registry.Credential;
import org.scratchimage.core.registry.CredentialSource;

/** {@code <username>} and {@code <password>}: the same credentials for every registry of the push. */
final class ParameterCredentials implements CredentialSource {
    private final String username;
    private final String password;

    ParameterCredentials(String username, String password) {
        this.username = username;
        this.password = password;
    }

    @Override
    public Optional<Credential> find(String registry) {
        return Optional.of(Credential.basic(username, password, "<username> and <password> (scratch.username)"));
    }
}
