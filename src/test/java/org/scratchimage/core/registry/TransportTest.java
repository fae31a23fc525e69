package org.scratchimage.core.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which hosts count as loopback, which are insecure, and which go through a proxy. */
class TransportTest {

    @Test
    void loopbackIsLocalhostAnd127Slash8AndIpv6One() {
        for (String host : List.of("localhost", "LocalHost", "127.0.0.1", "127.1.2.3", "127.255.255.255", "[::1]",
                "::1", "0:0:0:0:0:0:0:1", "registry.localhost")) {
            assertThat(Transport.isLoopback(host)).as(host).isTrue();
        }
        for (String host : List.of("127.0.0.1.example.com", "128.0.0.1", "127.0.0", "127.0.0.256", "10.0.0.1",
                "localhost.example.com", "[::2]", "example.com", "127.0.0.-1")) {
            assertThat(Transport.isLoopback(host)).as(host).isFalse();
        }
    }

    @Test
    void credentialsTravelOnlyOverTlsOrToLoopback() {
        assertThat(Transport.mayCarryCredentials(URI.create("https://registry.example.org/v2/"))).isTrue();
        assertThat(Transport.mayCarryCredentials(URI.create("http://127.0.0.1:5000/v2/"))).isTrue();
        assertThat(Transport.mayCarryCredentials(URI.create("http://[::1]:5000/v2/"))).isTrue();
        assertThat(Transport.mayCarryCredentials(URI.create("http://registry.example.org/v2/"))).isFalse();
    }

    @Test
    void anInsecureRegistryMatchesWithItsPortOrAsABareHost() {
        assertThat(Transport.isInsecure("reg.local:5000", Set.of("reg.local:5000"))).isTrue();
        assertThat(Transport.isInsecure("reg.local:5000", Set.of("reg.local"))).isTrue();
        assertThat(Transport.isInsecure("reg.local:5000", Set.of("https://REG.local:5000/"))).isTrue();
        assertThat(Transport.isInsecure("reg.local", Set.of("reg.local:5000"))).isFalse();
        assertThat(Transport.isInsecure("reg.local:5001", Set.of("reg.local:5000"))).isFalse();
        assertThat(Transport.isInsecure("other.local", Set.of("reg.local"))).isFalse();
        assertThat(Transport.hostOf("[::1]:5000")).isEqualTo("[::1]");
        assertThat(Transport.hostOf("h:5000")).isEqualTo("h");
    }

    @Test
    void nonProxyHostsMatchWildcardsWithoutCaseOrPort() {
        List<String> patterns = List.of("*.internal.example.com|localhost", "10.*", "registry.example.org");
        assertThat(Transport.bypasses("a.internal.example.com", patterns)).isTrue();
        assertThat(Transport.bypasses("A.Internal.Example.COM", patterns)).isTrue();
        assertThat(Transport.bypasses("internal.example.com", patterns)).isFalse();
        assertThat(Transport.bypasses("10.1.2.3", patterns)).isTrue();
        assertThat(Transport.bypasses("registry.example.org", patterns)).isTrue();
        assertThat(Transport.bypasses("registry.example.org.evil", patterns)).isFalse();
        assertThat(Transport.bypasses("xregistry.example.org", patterns)).isFalse();
        // A dot in a pattern is a dot, not any character.
        assertThat(Transport.bypasses("registryxexample.org", patterns)).isFalse();
        assertThat(Transport.bypasses("b.example.com", List.of("a.example.com, b.example.com"))).isTrue();
    }

    @Test
    void theProxyOfTheSchemeIsChosenAndAnHttpProxyAlsoTunnelsHttps() {
        ProxySettings http = new ProxySettings("http", "proxy", 3128, null, null, List.of("*.direct.example"));
        ProxySettings https = new ProxySettings("https", "sproxy", 3129, null, null, List.of());

        assertThat(Transport.proxyFor(URI.create("https://r.example/v2/"), List.of(http, https))).isSameAs(https);
        assertThat(Transport.proxyFor(URI.create("http://r.example/v2/"), List.of(http, https))).isSameAs(http);
        assertThat(Transport.proxyFor(URI.create("https://r.example/v2/"), List.of(http))).isSameAs(http);
        assertThat(Transport.proxyFor(URI.create("https://r.direct.example/v2/"), List.of(http))).isNull();
        assertThat(Transport.proxyFor(URI.create("http://127.0.0.1:5000/v2/"), List.of(http))).isNull();
        assertThat(Transport.proxyFor(URI.create("http://r.example/v2/"), List.of(https))).isNull();
        assertThat(Transport.proxyFor(URI.create("http://r.example/v2/"), List.of())).isNull();
    }
}
