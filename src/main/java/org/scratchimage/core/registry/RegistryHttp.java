package org.scratchimage.core.registry;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * Sends one API request: with the {@code Authorization} its scopes need, answering one 401 with a fresh token, and
 * following blob redirects by hand. {@code Authorization} goes only to the registry's own scheme, host and port;
 * a redirect to elsewhere gets none, and a redirect from HTTPS to HTTP is refused.
 */
final class RegistryHttp {
    static final int MAX_REDIRECTS = 5;
    /** For requests without a large body; a blob PUT has none, for the timer would run while the body is sent. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    /**
     * One request.
     *
     * @param body makes the body anew for each send, or null for none
     * @param replayable whether the body may be sent again after a 401: false for a blob PUT, whose upload session
     *     must not see a second body, and which restarts from a new session instead
     * @param followRedirects whether to follow 301, 302, 303, 307 and 308 (blob HEAD and PUT)
     * @param accept the {@code Accept} header, or null for none
     */
    record Call(String method, URI uri, List<String> scopes, Supplier<HttpRequest.BodyPublisher> body,
            String contentType, boolean replayable, boolean followRedirects, String accept) {

        /** A call without {@code Accept}. */
        Call(String method, URI uri, List<String> scopes, Supplier<HttpRequest.BodyPublisher> body,
                String contentType, boolean replayable, boolean followRedirects) {
            this(method, uri, scopes, body, contentType, replayable, followRedirects, null);
        }
    }

    private final Transport transport;
    private final Authorizer authorizer;
    private final RegistryErrors errors;
    private final RegistryListener listener;

    RegistryHttp(Transport transport, Authorizer authorizer, RegistryErrors errors, RegistryListener listener) {
        this.transport = transport;
        this.authorizer = authorizer;
        this.errors = errors;
        this.listener = listener;
    }

    HttpResponse<byte[]> send(Call call) throws IOException, RegistryException {
        URI origin = call.uri();
        String authorization = authorizer.header(call.scopes(), origin);
        HttpResponse<byte[]> response = once(call, origin, authorization);
        if (response.statusCode() == 401 && authorizer.refused(
                response.headers().allValues("WWW-Authenticate"), call.scopes(), authorization != null)) {
            if (!call.replayable()) {
                throw new Retries.RetryableStatus("registry answered 401 to " + call.method() + " "
                        + origin.getPath() + "; starting again with new authorization", null);
            }
            listener.debug("Registry answered 401 to " + call.method() + ' ' + origin.getPath()
                    + "; trying once more with new authorization");
            authorization = authorizer.header(call.scopes(), origin);
            response = once(call, origin, authorization);
        }
        URI at = origin;
        for (int hops = 0; call.followRedirects() && isRedirect(response.statusCode()); hops++) {
            String location = response.headers().firstValue("Location").orElse(null);
            if (location == null) {
                break;
            }
            if (hops == MAX_REDIRECTS) {
                throw new Retries.Final("registry " + origin.getHost() + " redirected " + call.method() + ' '
                        + origin.getPath() + " more than " + MAX_REDIRECTS + " times");
            }
            URI next = resolve(at, location);
            if ("https".equalsIgnoreCase(at.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
                throw new Retries.Final("registry " + origin.getHost() + " redirected " + call.method()
                        + " from HTTPS to " + next.getScheme() + "://" + next.getHost() + ", which Scratch refuses");
            }
            boolean same = sameOrigin(origin, next);
            listener.debug("Following a " + response.statusCode() + " redirect of " + call.method() + " to "
                    + next.getScheme() + "://" + next.getHost() + ':' + RegistryErrors.port(next)
                    + (same ? "" : ", without Authorization"));
            at = next;
            response = once(call, next, same ? authorization : null);
        }
        return response;
    }

    private HttpResponse<byte[]> once(Call call, URI uri, String authorization)
            throws IOException, RegistryException {
        HttpRequest.Builder request = HttpRequest.newBuilder().method(call.method(),
                call.body() == null ? HttpRequest.BodyPublishers.noBody() : call.body().get());
        if (call.replayable()) {
            request.timeout(REQUEST_TIMEOUT);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (call.contentType() != null) {
            request.header("Content-Type", call.contentType());
        }
        if (call.accept() != null) {
            request.header("Accept", call.accept());
        }
        try {
            return transport.send(request, uri, HttpResponse.BodyHandlers.ofByteArray());
        } catch (SSLException e) {
            if (RegistryErrors.untrusted(e)) {
                throw errors.untrusted(uri, e);
            }
            throw errors.unreachable(uri, e);
        } catch (IOException e) {
            throw errors.unreachable(uri, e);
        }
    }

    static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** @return the {@code Location}, absolute or relative, resolved against the URI it answered */
    static URI resolve(URI base, String location) throws IOException {
        try {
            return base.resolve(new URI(location.trim()));
        } catch (java.net.URISyntaxException e) {
            throw new IOException("the registry answered with a Location that is not a URI: " + e.getMessage(), e);
        }
    }

    /** @return the upload location with {@code digest=} added to the query it may already carry */
    static URI withDigest(URI location, String digest) {
        String query = location.getRawQuery();
        String added = "digest=" + URLEncoder.encode(digest, StandardCharsets.UTF_8);
        String text = location.toString();
        int fragment = text.indexOf('#');
        if (fragment >= 0) {
            text = text.substring(0, fragment);
        }
        return URI.create(text + (query == null ? "?" : query.isEmpty() ? "" : "&") + added);
    }

    /** @return whether both URIs have the same scheme, host and port (default ports counted) */
    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost().toLowerCase(Locale.ROOT).equals(b.getHost().toLowerCase(Locale.ROOT))
                && RegistryErrors.port(a) == RegistryErrors.port(b);
    }
}
