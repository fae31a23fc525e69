package org.scratchimage.core.registry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK {@link HttpClient} for one registry, and the rules of where it may go: HTTP/1.1 (no h2c upgrade headers,
 * one connection per parallel upload), redirects never followed by the JDK (we follow blob redirects ourselves,
 * without forwarding {@code Authorization}), the JDK trust store unless the registry is insecure, and the proxies
 * of settings.xml. Proxy credentials go in a {@code Proxy-Authorization} header we set: an {@code Authenticator}
 * on the client would make the JDK drop our own {@code Authorization} headers.
 */
final class Transport implements AutoCloseable {
    private final HttpClients clients;
    private final List<ProxySettings> proxies;

    private Transport(HttpClients clients, List<ProxySettings> proxies) {
        this.clients = clients;
        this.proxies = proxies;
    }

    /**
     * @param insecure whether to accept any certificate: only for a registry listed in {@code <insecureRegistries>}
     */
    static Transport create(RegistryOptions options, boolean insecure) {
        Selector selector = options.proxies().isEmpty() ? null : new Selector(options.proxies());
        HttpClients clients = new HttpClients(() -> {
            HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(options.connectTimeout());
            return selector == null ? builder : builder.proxy(selector);
        }, insecure ? trustingEverything() : options.sslContext());
        if (selector != null) {
            String disabled = System.getProperty("jdk.http.auth.tunneling.disabledSchemes");
            if (options.proxies().stream().anyMatch(p -> p.username() != null)
                    && (disabled == null || disabled.contains("Basic"))) {
                // The JDK strips Basic proxy credentials from CONNECT unless told otherwise, once, at its start.
                options.listener().warn("A settings.xml proxy has credentials: for an HTTPS registry the JDK "
                        + "sends them only when Maven runs with -Djdk.http.auth.tunneling.disabledSchemes= "
                        + "(empty), for example in .mvn/jvm.config");
            }
        }
        return new Transport(clients, options.proxies());
    }

    /** Lets the clients go; see {@link HttpClients#close()}. */
    @Override
    public void close() {
        clients.close();
    }

    /** @return the value of a Basic {@code Authorization} or {@code Proxy-Authorization} header; never logged */
    static String basic(String username, String password) {
        String pair = username + ':' + (password == null ? "" : password);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a request, adding {@code Proxy-Authorization} when a proxy with credentials carries it. */
    <T> HttpResponse<T> send(HttpRequest.Builder request, URI uri, HttpResponse.BodyHandler<T> handler)
            throws IOException {
        ProxySettings proxy = proxyFor(uri, proxies);
        if (proxy != null && proxy.username() != null) {
            request.header("Proxy-Authorization", basic(proxy.username(), proxy.password()));
        }
        try {
            return clients.forScheme(uri.getScheme()).send(request.uri(uri).build(), handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("interrupted while talking to "
                    + uri.getHost());
            interrupted.initCause(e);
            throw interrupted;
        }
    }

    /** @return whether the host is {@code localhost}, in 127.0.0.0/8, or {@code ::1}, with or without brackets */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
            return true;
        }
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** @return whether credentials may travel to this URI: over TLS, or over plain HTTP to a loopback host */
    static boolean mayCarryCredentials(URI uri) {
        return "https".equalsIgnoreCase(uri.getScheme()) || isLoopback(uri.getHost());
    }

    /**
     * @param registry {@code host} or {@code host:port}
     * @return whether {@code <insecureRegistries>} lists it, as {@code host:port} or as the bare host
     */
    static boolean isInsecure(String registry, Set<String> insecureRegistries) {
        String host = hostOf(registry);
        for (String entry : insecureRegistries) {
            String e = entry.trim().toLowerCase(Locale.ROOT).replaceFirst("^https?://", "").replaceFirst("/.*", "");
            if (e.equals(registry.toLowerCase(Locale.ROOT)) || e.equals(host.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** @return the host of {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port} */
    static String hostOf(String registry) {
        if (registry.startsWith("[")) {
            return registry.substring(0, registry.indexOf(']') + 1);
        }
        int colon = registry.lastIndexOf(':');
        return colon < 0 ? registry : registry.substring(0, colon);
    }

    /** @return the proxy to use for the URI, or null: loopback and {@code nonProxyHosts} go direct */
    static ProxySettings proxyFor(URI uri, List<ProxySettings> proxies) {
        String host = uri.getHost();
        if (proxies.isEmpty() || host == null || isLoopback(host)) {
            return null;
        }
        ProxySettings chosen = null;
        for (ProxySettings proxy : proxies) {
            if (proxy.protocol().equalsIgnoreCase(uri.getScheme())) {
                chosen = proxy;
                break;
            }
            // An http proxy also tunnels https (CONNECT) when settings.xml declares no https one, as Maven's own
            // transport uses it.
            if (chosen == null && proxy.protocol().equalsIgnoreCase("http")) {
                chosen = proxy;
            }
        }
        if (chosen == null || bypasses(host, chosen.nonProxyHosts())) {
            return null;
        }
        return chosen;
    }

    /** @return whether a {@code nonProxyHosts} pattern ({@code *} any characters, case-insensitive) matches */
    static boolean bypasses(String host, List<String> nonProxyHosts) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        for (String listed : nonProxyHosts) {
            for (String pattern : listed.split("[|,]")) {
                String p = pattern.trim().toLowerCase(Locale.ROOT);
                if (!p.isEmpty() && wildcard(h, p)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean wildcard(String text, String pattern) {
        return text.matches(Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote)
                .collect(Collectors.joining(".*")));
    }

    /** Chooses the settings proxy for each URI; the JDK asks it per connection. */
    private static final class Selector extends ProxySelector {
        private final List<ProxySettings> proxies;

        Selector(List<ProxySettings> proxies) {
            this.proxies = proxies;
        }

        @Override
        public List<Proxy> select(URI uri) {
            ProxySettings proxy = proxyFor(uri, proxies);
            return List.of(proxy == null ? Proxy.NO_PROXY
                    : new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(proxy.host(), proxy.port())));
        }

        @Override
        public void connectFailed(URI uri, SocketAddress address, IOException e) {
            // Nothing to fall back to: the send fails and names the proxy.
        }
    }

    /**
     * An {@link X509ExtendedTrustManager}, not a plain {@code X509TrustManager}: JSSE wraps the latter and still
     * checks the host name, which is what an insecure registry's certificate often gets wrong.
     */
    private static SSLContext trustingEverything() {
        TrustManager all = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {all}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no TLS", e);
        }
    }
}
