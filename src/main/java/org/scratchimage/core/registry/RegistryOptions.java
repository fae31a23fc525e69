package org.scratchimage.core.registry;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * How the client talks to registries.
 *
 * @param credentials the sources to try, in order; the first with an entry for the registry wins, none means
 *     anonymous
 * @param insecureRegistries hosts (with {@code :port} where given) that may be reached over plain HTTP or with an
 *     untrusted certificate; loopback registries may always use plain HTTP
 * @param proxies the active proxies of settings.xml, at most one per protocol
 * @param maxTries how often an idempotent step is tried before it fails (3)
 * @param backoff the wait before the first retry, doubled for each further one; a {@code Retry-After} overrides it
 * @param connectTimeout how long a connection may take before the registry counts as unreachable
 * @param parallelUploads how many blobs are uploaded at once
 * @param listener where decisions and warnings go
 * @param sslContext the TLS context for registries that are not insecure, or {@code null} for the JDK's default,
 *     which honours {@code -Djavax.net.ssl.trustStore}; tests set it, for the default is made once per JVM
 */
public record RegistryOptions(List<CredentialSource> credentials, Set<String> insecureRegistries,
        List<ProxySettings> proxies, int maxTries, Duration backoff, Duration connectTimeout, int parallelUploads,
        RegistryListener listener, SSLContext sslContext) {

    /** Options with the JDK's default TLS context. */
    public RegistryOptions(List<CredentialSource> credentials, Set<String> insecureRegistries,
            List<ProxySettings> proxies, int maxTries, Duration backoff, Duration connectTimeout, int parallelUploads,
            RegistryListener listener) {
        this(credentials, insecureRegistries, proxies, maxTries, backoff, connectTimeout, parallelUploads, listener,
                null);
    }

    /** @return options with no credentials, no insecure registry, no proxy, and the defaults above */
    public static RegistryOptions defaults(RegistryListener listener) {
        return new RegistryOptions(List.of(), Set.of(), List.of(), 3, Duration.ofSeconds(1), Duration.ofSeconds(10),
                4, listener);
    }

    /** @return these options with another TLS context for trusted registries */
    public RegistryOptions withSslContext(SSLContext context) {
        return new RegistryOptions(credentials, insecureRegistries, proxies, maxTries, backoff, connectTimeout,
                parallelUploads, listener, context);
    }
}
