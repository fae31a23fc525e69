package org.scratchimage.core.registry;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.scratchimage.core.oci.JsonReader;

/**
 * Turns what a registry answered, or how reaching it failed, into a message that names the registry, the cause and
 * the fix: {@link RegistryException} for what the user must fix, {@link IOException} for faults a later try may
 * not meet. The registry's own error codes and messages ({@code NAME_INVALID}, {@code DENIED}) are kept, and a body
 * that is not JSON is quoted briefly.
 */
final class RegistryErrors {
    private static final int MAX_QUOTE = 200;

    private final String registry;

    /** @param registry the registry as the user named it, such as {@code 127.0.0.1:5000} */
    RegistryErrors(String registry) {
        this.registry = registry;
    }

    /**
     * @param operation what was asked, such as {@code PUT manifest team/app:1.0}
     * @param credentials where the credentials came from, or null when there were none
     * @return the fault to throw for a status a later try may not meet (5xx, 429, an unexpected answer)
     * @throws RegistryException for what the user must fix: 401, 403, 404 and the other 4xx
     */
    IOException failure(HttpResponse<byte[]> response, String operation, String repository, String credentials)
            throws RegistryException {
        int status = response.statusCode();
        String said = describe(response.body());
        String answer = "registry " + registry + " answered " + status + " to " + operation
                + (said.isEmpty() ? "" : ": " + said);
        if (status == 407) {
            // The JDK hands a proxy's refusal of a tunnel over as the answer: it is not the registry's.
            throw new RegistryException("The HTTP proxy to registry " + registry + " answered 407 to " + operation
                    + ": it wants credentials, or refused those of the settings.xml <proxy>", "give the active"
                    + " settings.xml <proxy> the right <username> and <password>; for an HTTPS registry the JDK sends"
                    + " Basic proxy credentials only when Maven runs with -Djdk.http.auth.tunneling.disabledSchemes="
                    + " (empty), for example in .mvn/jvm.config");
        }
        if (status == 401) {
            if (credentials == null) {
                throw new RegistryException(answer + ". It wants credentials, and none were found for "
                        + registry, "give them with <username> and <password>, a settings.xml <server> whose <id> "
                        + "is " + registry + ", or docker login " + registry);
            }
            throw new RegistryException(answer + ". It refused the credentials from " + credentials,
                    "correct the user name and password in " + credentials + ", or log in to " + registry
                    + " again");
        }
        if (status == 403) {
            throw new RegistryException(answer + ". The " + (credentials == null ? "anonymous user"
                    : "user of the credentials from " + credentials) + " may not push to " + registry + '/'
                    + repository, "grant that user push access to the repository, or push to one it may write");
        }
        if (status == 404 || said.contains("NAME_UNKNOWN")) {
            throw new RegistryException(answer + ". The registry does not know the repository " + repository,
                    "create the repository " + repository + " in " + registry + " first, or correct the name in "
                    + "<image> or <to>");
        }
        if (said.contains("NAME_INVALID")) {
            throw new RegistryException(answer + ". The registry refuses the repository name " + repository,
                    "name the image with lower-case letters, digits and the separators . _ - /, as the registry "
                    + "requires");
        }
        if (status == 429 || status == 500 || status == 502 || status == 503 || status == 504) {
            return new Retries.RetryableStatus(answer, Retries.parseRetryAfter(
                    response.headers().firstValue("Retry-After").orElse(null), Instant.now()));
        }
        if (status >= 400 && status < 500) {
            throw new RegistryException(answer, "correct what the registry names, or ask its administrator");
        }
        return new Retries.Final(answer);
    }

    /**
     * @return what a failed connection means, naming host, port and cause: a {@link ConnectException} for the
     *     faults that retrying does not mend (refused, unknown host, timed out), else the fault with that message
     */
    IOException unreachable(URI uri, IOException e) {
        String where = uri.getHost() + ':' + port(uri);
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
                return connectFault("cannot reach registry " + registry + ": unknown host " + uri.getHost(), e);
            }
        }
        if (e instanceof HttpConnectTimeoutException) {
            return connectFault("cannot reach registry " + registry + " at " + where
                    + ": the connection timed out", e);
        }
        if (e instanceof ConnectException) {
            // Its message is null: a refused connection says nothing by itself.
            return connectFault("cannot reach registry " + registry + " at " + where + ": connection refused"
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
        }
        if (Retries.transientFault(e)) {
            return new IOException(where + ": " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()), e);
        }
        return e;
    }

    /** @return whether the TLS fault is a certificate not trusted, not a server that speaks no TLS */
    static boolean untrusted(SSLException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return whether the TLS fault says the server answered with something other than TLS, such as a plain HTTP
     *     response, rather than a connection dropped during the handshake
     */
    static boolean speaksNoTls(SSLException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.io.EOFException || cause instanceof java.net.SocketException) {
                return false;
            }
        }
        return true;
    }

    /** @return the error for a certificate the JDK does not trust */
    RegistryException untrusted(URI uri, SSLException e) {
        return new RegistryException("The certificate of registry " + registry + " (" + uri.getHost() + ':'
                + port(uri) + ") is not trusted: " + e.getMessage(), "add the registry's CA certificate to a trust "
                + "store and pass -Djavax.net.ssl.trustStore=<file> (and -Djavax.net.ssl.trustStorePassword) to "
                + "Maven, for example in .mvn/jvm.config, or list " + registry + " in <insecureRegistries> to "
                + "accept any certificate", e);
    }

    /** @return the registry's errors as {@code CODE: message (detail)}, or the start of a body that is not JSON */
    static String describe(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        try {
            if (JsonReader.parse(body) instanceof Map<?, ?> map && map.get("errors") instanceof List<?> errors) {
                List<String> described = new ArrayList<>();
                for (Object error : errors) {
                    String text = JsonReader.string(error, "code");
                    String message = JsonReader.string(error, "message");
                    text += message.isEmpty() ? "" : (text.isEmpty() ? "" : ": ") + message;
                    Object detail = error instanceof Map<?, ?> e ? e.get("detail") : null;
                    if (detail != null && !String.valueOf(detail).isBlank()) {
                        text += " (" + quote(String.valueOf(detail)) + ")";
                    }
                    described.add(text);
                }
                return String.join("; ", described);
            }
        } catch (IOException e) {
            // Not JSON: a proxy's page or "404 page not found"; quoted below.
        }
        return quote(new String(body, StandardCharsets.UTF_8));
    }

    private static String quote(String text) {
        String line = text.replaceAll("\\s+", " ").replaceAll("\\p{Cntrl}", "?").trim();
        return line.length() > MAX_QUOTE ? line.substring(0, MAX_QUOTE) + "…" : line;
    }

    static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static ConnectException connectFault(String message, IOException cause) {
        ConnectException fault = new ConnectException(message);
        fault.initCause(cause);
        return fault;
    }
}
