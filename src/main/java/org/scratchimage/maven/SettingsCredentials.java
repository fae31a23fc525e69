package org.scratchimage.maven;

import java.util.Optional;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.scratchimage.core.registry.Credential;
import org.scratchimage.core.registry.CredentialSource;
import org.scratchimage.core.registry.RegistryException;

/**
 * The {@code <server>} of Maven's {@code settings.xml} for a registry: the one whose {@code <id>} is the registry as
 * the reference writes it ({@code host:port} when it has a port, else the host), or the one {@code <serverId>}
 * names. An encrypted password is decrypted with Maven's {@link SettingsDecrypter}.
 */
final class SettingsCredentials implements CredentialSource {
    private final Settings settings;
    private final SettingsDecrypter decrypter;
    private final String serverId;

    /** @param serverId the {@code <serverId>} parameter, or {@code null} to look servers up by registry */
    SettingsCredentials(Settings settings, SettingsDecrypter decrypter, String serverId) {
        this.settings = settings;
        this.decrypter = decrypter;
        this.serverId = serverId == null || serverId.isBlank() ? null : serverId.strip();
    }

    @Override
    public Optional<Credential> find(String registry) throws RegistryException {
        String id = serverId == null ? registry : serverId;
        Server server = settings == null ? null : settings.getServer(id);
        if (server == null) {
            if (serverId != null) {
                throw new RegistryException("<serverId> (scratch.serverId) \"" + serverId + "\" names no <server> in"
                        + " settings.xml", "add <server><id>" + serverId + "</id><username>…</username><password>…"
                        + "</password></server> to ~/.m2/settings.xml, or correct <serverId>");
            }
            return Optional.empty();
        }
        String source = "settings.xml server \"" + id + "\"";
        Server decrypted = decrypt(server, source);
        String username = decrypted.getUsername();
        String password = decrypted.getPassword();
        boolean hasUser = username != null && !username.isEmpty();
        boolean hasPassword = password != null && !password.isEmpty();
        if (!hasUser && !hasPassword) {
            if (serverId != null) {
                throw new RegistryException("The " + source + ", which <serverId> names, has no <username> and"
                        + " <password>", "give the server a <username> and a <password>");
            }
            // A server entry that holds something else (a private key, configuration) is not for registries.
            return Optional.empty();
        }
        if (!hasUser || !hasPassword) {
            throw new RegistryException("The " + source + " has a " + (hasUser ? "<username> but no <password>"
                    : "<password> but no <username>"), "give it both, or remove it to try the next source of"
                    + " credentials");
        }
        return Optional.of(Credential.basic(username, password, source));
    }

    private Server decrypt(Server server, String source) throws RegistryException {
        SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        for (SettingsProblem problem : result.getProblems()) {
            // The problem's message may quote the encrypted value; only the server id is named.
            if (problem.getSeverity() == SettingsProblem.Severity.ERROR
                    || problem.getSeverity() == SettingsProblem.Severity.FATAL) {
                throw new RegistryException("The password of the " + source + " cannot be decrypted",
                        "check that settings-security.xml (~/.m2/settings-security.xml, or the file that"
                                + " -Dsettings.security names) holds the master password it was encrypted with, or"
                                + " encrypt it again with mvn --encrypt-password");
            }
        }
        return result.getServer() == null ? server : result.getServer();
    }
}
