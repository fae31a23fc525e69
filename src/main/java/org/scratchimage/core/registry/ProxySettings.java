package org.scratchimage.core.registry;

import java.util.List;

/**
 * An HTTP proxy, as Maven's {@code settings.xml} declares it.
 *
 * @param protocol {@code http} or {@code https}: the registry URLs it is used for
 * @param host the proxy's host
 * @param port the proxy's port
 * @param username the proxy user, or {@code null}
 * @param password the proxy password, or {@code null}; never logged
 * @param nonProxyHosts host patterns that bypass it, {@code *} as a wildcard (settings.xml's {@code |} list, split)
 */
public record ProxySettings(String protocol, String host, int port, String username, String password,
        List<String> nonProxyHosts) {

    @Override
    public String toString() {
        return protocol + " proxy " + host + ':' + port;
    }
}
