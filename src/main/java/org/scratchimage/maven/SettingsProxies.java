package org.scratchimage.maven;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.scratchimage.core.registry.ProxySettings;
import org.scratchimage.core.registry.RegistryException;

/** The active {@code <proxy>} entries of settings.xml: the first per protocol, decrypted, as Jib takes them. */
final class SettingsProxies {
    private SettingsProxies() {}

    /** @return at most one proxy for {@code http} and one for {@code https} */
    static List<ProxySettings> of(Settings settings, SettingsDecrypter decrypter) throws RegistryException {
        Map<String, ProxySettings> byProtocol = new LinkedHashMap<>();
        if (settings == null) {
            return List.of();
        }
        for (Proxy proxy : settings.getProxies()) {
            if (!proxy.isActive()) {
                continue;
            }
            String protocol = proxy.getProtocol() == null || proxy.getProtocol().isBlank() ? "http"
                    : proxy.getProtocol().strip().toLowerCase(Locale.ROOT);
            if (byProtocol.containsKey(protocol)) {
                continue;
            }
            Proxy decrypted = decrypt(proxy, decrypter);
            List<String> nonProxyHosts = new ArrayList<>();
            if (decrypted.getNonProxyHosts() != null) {
                // settings.xml documents '|'; a ',' list is a common mistake that costs nothing to accept.
                Arrays.stream(decrypted.getNonProxyHosts().split("[|,]")).map(String::strip)
                        .filter(h -> !h.isEmpty()).forEach(nonProxyHosts::add);
            }
            byProtocol.put(protocol, new ProxySettings(protocol, decrypted.getHost(), decrypted.getPort(),
                    emptyToNull(decrypted.getUsername()), emptyToNull(decrypted.getPassword()), nonProxyHosts));
        }
        return List.copyOf(byProtocol.values());
    }

    private static Proxy decrypt(Proxy proxy, SettingsDecrypter decrypter) throws RegistryException {
        SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest().setProxies(
                List.of(proxy)));
        for (SettingsProblem problem : result.getProblems()) {
            if (problem.getSeverity() == SettingsProblem.Severity.ERROR
                    || problem.getSeverity() == SettingsProblem.Severity.FATAL) {
                throw new RegistryException("The password of the settings.xml proxy \"" + proxy.getId()
                        + "\" cannot be decrypted", "check that settings-security.xml (~/.m2/settings-security.xml,"
                        + " or the file that -Dsettings.security names) holds the master password it was encrypted"
                        + " with, or encrypt it again with mvn --encrypt-password");
            }
        }
        return result.getProxies().isEmpty() ? proxy : result.getProxies().get(0);
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
