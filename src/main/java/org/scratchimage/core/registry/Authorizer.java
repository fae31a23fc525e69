package org.scratchimage.core.registry;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.scratchimage.core.oci.JsonReader;

/**
 * The {@code Authorization} header for each request: Basic from the credential, or a Bearer token fetched from the
 * challenge's realm for the request's scopes (with the credential, or anonymously) and kept until it expires. A
 * 401 makes it read the new challenge and fetch again, once per request. Tokens are never logged.
 */
final class Authorizer {
    /** Docker's default when a token response has no {@code expires_in}. */
    static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);
    private static final Duration TOKEN_TIMEOUT = Duration.ofSeconds(30);

    private record Token(String value, Instant renewAt) {}

    private final String registry;
    private final Credential credential;
    private final Transport transport;
    private final RegistryErrors errors;
    private final RegistryListener listener;
    private final Map<String, Token> tokens = new HashMap<>();
    private Challenge challenge;

    /** @param credential the credential to answer challenges with, or null for anonymous access */
    Authorizer(String registry, Credential credential, Transport transport, RegistryListener listener) {
        this.registry = registry;
        this.credential = credential;
        this.transport = transport;
        this.errors = new RegistryErrors(registry);
        this.listener = listener;
    }

    /** @return where the credential came from, or null for anonymous access */
    String source() {
        return credential == null ? null : credential.source();
    }

    /** Remembers the challenge of the {@code /v2/} ping, so that the first requests need no 401 round trip. */
    synchronized void challenged(Challenge first) {
        challenge = first;
        if (first != null) {
            listener.debug("Registry " + registry + " asks for " + first.scheme() + " authentication"
                    + (first.scheme().equals("bearer") ? " from " + first.parameter("realm") + " (service "
                    + first.parameter("service") + ")" : ""));
        }
    }

    /**
     * @param scopes the scopes the request needs, such as {@code repository:team/app:pull,push}
     * @return the {@code Authorization} value for a request to {@code uri}, or null when none is needed
     * @throws RegistryException when credentials would travel over plain HTTP to a host that is not loopback
     */
    synchronized String header(List<String> scopes, URI uri) throws IOException, RegistryException {
        if (challenge == null) {
            return null;
        }
        if (challenge.scheme().equals("basic")) {
            if (credential == null) {
                return null;
            }
            guard(uri);
            if (credential.identityToken()) {
                throw new RegistryException("Registry " + registry + " asks for a user name and password, and the "
                        + "credentials from " + credential.source() + " are an identity token", "give a user name "
                        + "and password for " + registry + " instead");
            }
            return Transport.basic(credential.username(), credential.secret());
        }
        if (credential != null) {
            // A token fetched with credentials stands for them.
            guard(uri);
        }
        String key = String.join(" ", scopes);
        Token token = tokens.get(key);
        if (token == null || Instant.now().isAfter(token.renewAt())) {
            token = fetch(scopes);
            tokens.put(key, token);
        }
        return "Bearer " + token.value();
    }

    /**
     * Reads the challenge of a 401 and forgets the token that was refused.
     *
     * @return whether a new try with new authorization may succeed: false when the request already carried what
     *     this challenge asks for and there is nothing else to send
     */
    synchronized boolean refused(List<String> headers, List<String> scopes, boolean hadAuthorization) {
        Challenge next = Challenge.choose(headers);
        if (next == null) {
            return false;
        }
        boolean changed = challenge == null || !next.scheme().equals(challenge.scheme())
                || !next.parameter("realm").equals(challenge.parameter("realm"));
        challenge = next;
        if (next.scheme().equals("bearer")) {
            tokens.remove(String.join(" ", scopes));
            return true;
        }
        // Basic: sending the same credential again cannot help.
        return changed || !hadAuthorization && credential != null;
    }

    private Token fetch(List<String> scopes) throws IOException, RegistryException {
        String realm = challenge.parameter("realm");
        URI realmUri;
        try {
            realmUri = URI.create(realm);
        } catch (IllegalArgumentException e) {
            realmUri = null;
        }
        if (realmUri == null || realmUri.getHost() == null) {
            throw new Retries.Final("registry " + registry + " names no usable token realm (\"" + realm + "\")");
        }
        String service = challenge.parameter("service");
        HttpRequest.Builder request = HttpRequest.newBuilder().timeout(TOKEN_TIMEOUT);
        URI uri;
        if (credential != null) {
            guard(realmUri);
        }
        if (credential != null && credential.identityToken()) {
            // The OAuth2 form Docker uses for an identity (refresh) token.
            String form = "grant_type=refresh_token&client_id=scratch-maven-plugin&service=" + encode(service)
                    + "&scope=" + encode(String.join(" ", scopes)) + "&refresh_token=" + encode(credential.secret());
            request.POST(HttpRequest.BodyPublishers.ofString(form))
                    .header("Content-Type", "application/x-www-form-urlencoded");
            uri = realmUri;
        } else {
            StringBuilder query = new StringBuilder();
            if (!service.isEmpty()) {
                query.append("service=").append(encode(service));
            }
            for (String scope : scopes) {
                query.append(query.length() == 0 ? "" : "&").append("scope=").append(encode(scope));
            }
            if (credential != null) {
                query.append(query.length() == 0 ? "" : "&").append("account=").append(encode(credential.username()));
                request.header("Authorization", Transport.basic(credential.username(), credential.secret()));
            }
            String raw = realmUri.toString();
            uri = URI.create(raw + (realmUri.getRawQuery() == null ? "?" : "&") + query);
            request.GET();
        }
        HttpResponse<byte[]> response;
        try {
            response = transport.send(request, uri, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw errors.unreachable(realmUri, e);
        }
        String who = credential == null ? "anonymously" : "with the credentials from " + credential.source();
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new RegistryException("The token service " + realmUri.getHost() + " of registry " + registry
                    + " refused a token for " + String.join(" ", scopes) + " asked " + who + " ("
                    + response.statusCode() + ")", credential == null ? "give credentials for " + registry
                    + " with <username> and <password>, a settings.xml <server>, or docker login " + registry
                    : "correct the user name and password in " + credential.source());
        }
        // Any 2xx holds a token: a body with a token is never handed to the error message, which quotes bodies.
        if (response.statusCode() / 100 != 2) {
            throw errors.failure(response, "a token request to " + realmUri.getHost(), String.join(" ", scopes),
                    source());
        }
        Token token = parse(response.body(), realmUri);
        listener.debug("Fetched a token for " + String.join(" ", scopes) + " from " + realmUri.getHost() + ' ' + who);
        return token;
    }

    private Token parse(byte[] body, URI realm) throws IOException {
        Object json;
        try {
            json = JsonReader.parse(body);
        } catch (IOException e) {
            // Never quote the body: it might be a token after all.
            throw new IOException("the token service " + realm.getHost() + " of registry " + registry
                    + " answered with a body that is not JSON", e);
        }
        String value = JsonReader.string(json, "token");
        if (value.isEmpty()) {
            value = JsonReader.string(json, "access_token");
        }
        if (value.isEmpty()) {
            throw new IOException("the token service " + realm.getHost() + " of registry " + registry
                    + " answered without a token");
        }
        Duration lifetime = DEFAULT_LIFETIME;
        if (json instanceof Map<?, ?> map && map.get("expires_in") instanceof BigDecimal seconds
                && seconds.signum() > 0 && seconds.compareTo(BigDecimal.valueOf(86_400 * 365)) < 0) {
            lifetime = Duration.ofSeconds(seconds.longValue());
        }
        // Renew before it runs out, so that a request does not carry a token that expires on the way.
        Duration margin = lifetime.compareTo(Duration.ofSeconds(20)) > 0 ? Duration.ofSeconds(10)
                : lifetime.dividedBy(2);
        return new Token(value, Instant.now().plus(lifetime).minus(margin));
    }

    private void guard(URI uri) throws RegistryException {
        if (!Transport.mayCarryCredentials(uri)) {
            throw new RegistryException("Registry " + registry + " would get the credentials from "
                    + credential.source() + " over plain HTTP (" + uri.getScheme() + "://" + uri.getHost()
                    + "), which Scratch never sends to a host that is not loopback", "serve " + uri.getHost()
                    + " over HTTPS (<insecureRegistries> accepts an untrusted certificate), or push anonymously");
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
