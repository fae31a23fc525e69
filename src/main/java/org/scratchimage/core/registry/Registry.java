package org.scratchimage.core.registry;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.scratchimage.core.compress.DigestingOutputStream;

/**
 * A client of one registry, speaking the OCI distribution API over the JDK's {@link java.net.http.HttpClient}.
 * It pings {@code /v2/}, answers Basic and Bearer challenges with the first credential source that has an entry
 * (or anonymously), retries idempotent steps, follows blob redirects by hand without forwarding
 * {@code Authorization} to another host, and never sends credentials over plain HTTP to a non-loopback host.
 *
 * <p>The scheme: HTTPS, with the JDK's trust store. A registry listed in {@code <insecureRegistries>} is tried over
 * HTTPS first and over plain HTTP when it does not speak TLS, and gets any certificate accepted, with a warning. A
 * loopback registry is asked over plain HTTP first, which saves a TLS handshake on every push to the usual local
 * registry, and over HTTPS when it answers that it speaks TLS (a {@code 400}, or a closed connection).
 * Nothing on loopback crosses a network, so the order costs no secrecy.
 *
 * <p>Thread-safe: several blobs may be uploaded at once.
 */
public final class Registry implements AutoCloseable {
    private final String registry;
    private final String apiHost;
    private final boolean insecure;
    private final RegistryListener listener;
    private final Retries retries;
    private final RegistryErrors errors;
    private final Transport transport;
    private final Authorizer authorizer;
    private final RegistryHttp http;
    private URI base;

    private Registry(String registry, RegistryOptions options, Credential credential) {
        this.registry = registry;
        this.apiHost = ImageReference.DOCKER_HUB.equals(registry) ? ImageReference.DOCKER_HUB_API : registry;
        this.insecure = Transport.isInsecure(registry, options.insecureRegistries());
        this.listener = options.listener();
        this.retries = new Retries(options.maxTries(), options.backoff(), listener);
        this.errors = new RegistryErrors(registry);
        this.transport = Transport.create(options, insecure);
        this.authorizer = new Authorizer(registry, credential, transport, listener);
        this.http = new RegistryHttp(transport, authorizer, errors, listener);
    }

    /**
     * @param registry the registry as {@link ImageReference#registry()} names it
     * @param repository the first repository pushed to: a credential source may hold entries per repository (the
     *     containers auth file does); the credentials found for it serve every repository of this registry
     * @return a client of it; its credentials are looked up, nothing is sent yet
     * @throws RegistryException when a credential source has an entry that cannot be used
     */
    public static Registry connect(String registry, String repository, RegistryOptions options)
            throws RegistryException {
        Credential credential = null;
        for (CredentialSource source : options.credentials()) {
            Optional<Credential> found = source.find(registry, repository);
            if (found.isPresent()) {
                credential = found.get();
                break;
            }
        }
        options.listener().debug(credential == null ? "No credentials for " + registry + ": pushing anonymously"
                : "Using " + credential + " for " + registry);
        return new Registry(registry, options, credential);
    }

    /** @return where the credentials in use came from, such as {@code settings.xml server "h:5000"}, or anonymous */
    public String credentialSource() {
        String source = authorizer.source();
        return source == null ? "anonymous" : source;
    }

    /** @return whether the repository holds the blob ({@code HEAD}) */
    public boolean hasBlob(String repository, String digest) throws IOException, RegistryException {
        URI uri = api(repository, "/blobs/" + digest);
        return retries.run("HEAD of blob " + digest + " in " + repository, () -> {
            HttpResponse<byte[]> response = http.send(new RegistryHttp.Call("HEAD", uri, push(repository), null,
                    null, true, true));
            if (response.statusCode() == 200) {
                return true;
            }
            if (response.statusCode() == 404) {
                return false;
            }
            throw errors.failure(response, "HEAD blob " + digest, repository, authorizer.source());
        });
    }

    /**
     * Mounts a blob from another repository of this registry ({@code POST ?mount=&from=}).
     *
     * @return whether the registry mounted it; false when it answered with an upload session instead (which is
     *     cancelled) or refused: the caller then uploads the blob
     */
    public boolean mountBlob(String repository, String digest, String fromRepository)
            throws IOException, RegistryException {
        URI uri = api(repository, "/blobs/uploads/?mount=" + encode(digest) + "&from=" + encode(fromRepository));
        List<String> scopes = List.of(push(repository).get(0), "repository:" + fromRepository + ":pull");
        return retries.run("mount of blob " + digest + " from " + fromRepository + " into " + repository, () -> {
            HttpResponse<byte[]> response = http.send(new RegistryHttp.Call("POST", uri, scopes, null, null, true,
                    false));
            int status = response.statusCode();
            if (status == 201) {
                listener.debug("Mounted " + digest + " from " + fromRepository + " into " + repository);
                return true;
            }
            if (status == 202) {
                cancel(response, uri, scopes);
                return false;
            }
            if (status == 401 || status == 403 || status == 404) {
                listener.debug("Registry " + registry + " answered " + status + " to the mount of " + digest
                        + " from " + fromRepository + "; uploading it instead");
                return false;
            }
            throw errors.failure(response, "mount of blob " + digest + " from " + fromRepository, repository,
                    authorizer.source());
        });
    }

    /**
     * Uploads a blob: {@code POST}, then one {@code PUT} with {@code Content-Length}, streamed from the file, its
     * digest checked while it is read. A failed attempt restarts with a new upload session.
     *
     * @param file the blob's bytes
     * @param digest its digest, {@code sha256:<hex>}
     * @param size its size
     * @throws RegistryException if the file's bytes do not match the digest: the layout is damaged
     */
    public void uploadBlob(String repository, Path file, String digest, long size)
            throws IOException, RegistryException {
        if (size == 0 && !BlobBody.emptyMatches(digest)) {
            throw damaged(file, digest, "the file is empty");
        }
        BlobBody body = new BlobBody(file, digest, size,
                (sent, total) -> listener.progress(repository, digest, sent, total));
        URI start = api(repository, "/blobs/uploads/");
        retries.run("upload of blob " + digest + " to " + repository, () -> {
            // Each try opens its own session: a session that saw part of a body cannot take the whole again.
            HttpResponse<byte[]> opened = http.send(new RegistryHttp.Call("POST", start, push(repository), null,
                    null, true, false));
            if (opened.statusCode() != 202) {
                throw errors.failure(opened, "POST blob upload", repository, authorizer.source());
            }
            URI location = RegistryHttp.withDigest(location(opened, start), digest);
            HttpResponse<byte[]> put;
            try {
                put = http.send(new RegistryHttp.Call("PUT", location, push(repository), body::publisher,
                        "application/octet-stream", false, true));
            } catch (IOException e) {
                if (body.damaged() != null) {
                    throw damaged(file, digest, body.damaged());
                }
                throw e;
            }
            if (body.damaged() != null) {
                throw damaged(file, digest, body.damaged());
            }
            if (put.statusCode() != 201) {
                throw errors.failure(put, "PUT blob " + digest, repository, authorizer.source());
            }
            return null;
        });
    }

    /**
     * Puts a manifest by tag.
     *
     * @return the digest the registry reports ({@code Docker-Content-Digest}), checked against the bytes' digest
     */
    public String putManifest(String repository, String tag, String mediaType, byte[] manifest)
            throws IOException, RegistryException {
        put(repository, tag, mediaType, manifest);
        return DigestingOutputStream.digestOf(manifest);
    }

    /**
     * Puts a manifest by its digest, untagged: each platform's image manifest of a multi-platform image, before the
     * image index that lists them is put by tag.
     *
     * @return the digest, which the registry reported too if it reported one
     */
    public String putManifestByDigest(String repository, String mediaType, byte[] manifest)
            throws IOException, RegistryException {
        String digest = DigestingOutputStream.digestOf(manifest);
        put(repository, digest, mediaType, manifest);
        return digest;
    }

    /**
     * Puts a referrer, a manifest with a {@code subject}, by its digest.
     *
     * @return whether the registry answered with {@code OCI-Subject}: it supports the referrers API and lists the
     *     referrer under its subject itself; otherwise the caller updates the tag fallback
     *     ({@code sha256-<hex>} of the subject, an index of its referrers)
     */
    public boolean putReferrer(String repository, String mediaType, byte[] manifest)
            throws IOException, RegistryException {
        HttpResponse<byte[]> response = put(repository, DigestingOutputStream.digestOf(manifest), mediaType,
                manifest);
        return response.headers().firstValue("OCI-Subject").isPresent();
    }

    /**
     * Gets a manifest or index by tag or digest ({@code GET}).
     *
     * @param accept the media types taken, for {@code Accept}
     * @return its bytes, or empty if the repository has none by that reference
     */
    public Optional<byte[]> getManifest(String repository, String reference, String accept)
            throws IOException, RegistryException {
        URI uri = api(repository, "/manifests/" + reference);
        return retries.run("GET of manifest " + repository + ':' + reference, () -> {
            HttpResponse<byte[]> response = http.send(new RegistryHttp.Call("GET", uri, push(repository), null,
                    null, true, false, accept));
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                throw errors.failure(response, "GET manifest " + repository + ':' + reference, repository,
                        authorizer.source());
            }
            return Optional.of(response.body());
        });
    }

    /** Puts a manifest by tag or digest, checking the digest the registry reports against the bytes'. */
    private HttpResponse<byte[]> put(String repository, String reference, String mediaType, byte[] manifest)
            throws IOException, RegistryException {
        String digest = DigestingOutputStream.digestOf(manifest);
        URI uri = api(repository, "/manifests/" + reference);
        String where = repository + (reference.startsWith("sha256:") ? '@' : ':') + reference;
        return retries.run("PUT of manifest " + where, () -> {
            HttpResponse<byte[]> response = http.send(new RegistryHttp.Call("PUT", uri, push(repository),
                    () -> HttpRequest.BodyPublishers.ofByteArray(manifest), mediaType, true, false));
            if (response.statusCode() != 201 && response.statusCode() != 200) {
                throw errors.failure(response, "PUT manifest " + where, repository, authorizer.source());
            }
            Optional<String> reported = response.headers().firstValue("Docker-Content-Digest");
            if (reported.isPresent() && !reported.get().trim().equals(digest)) {
                throw new Retries.Final("registry " + registry + " stored the manifest " + where + " as " + reported.get().trim() + ", but its bytes have the digest " + digest);
            }
            return response;
        });
    }

    @Override
    public void close() {
        transport.close();
    }

    private URI api(String repository, String rest) throws IOException, RegistryException {
        return base().resolve("/v2/" + repository + rest);
    }

    private static List<String> push(String repository) {
        return List.of("repository:" + repository + ":pull,push");
    }

    /** Pings {@code /v2/} once to choose the scheme and learn the challenge. */
    private synchronized URI base() throws IOException, RegistryException {
        if (base != null) {
            return base;
        }
        boolean loopback = Transport.isLoopback(Transport.hostOf(apiHost));
        URI https = URI.create("https://" + apiHost + "/v2/");
        HttpResponse<byte[]> pong;
        if (loopback) {
            URI plain = URI.create("http://" + apiHost + "/v2/");
            pong = retries.run("ping of " + plain, () -> pingPlain(plain));
            if (pong == null) {
                listener.debug("Registry " + registry + " speaks TLS; trying " + https);
                pong = retries.run("ping of " + https, () -> ping(https, false));
            }
        } else {
            pong = retries.run("ping of " + https, () -> ping(https, insecure));
        }
        if (pong == null) {
            URI plain = URI.create("http://" + apiHost + "/v2/");
            listener.debug("Registry " + registry + " does not speak TLS; trying " + plain);
            pong = retries.run("ping of " + plain, () -> ping(plain, false));
        }
        base = pong.uri().resolve("/");
        // Plain HTTP to a loopback registry needs no listing, so it is not warned about; accepting any certificate,
        // even from loopback, happens only because the user listed the registry.
        if (insecure && ("https".equals(base.getScheme()) || !Transport.isLoopback(base.getHost()))) {
            listener.warn("Registry " + registry + " is in <insecureRegistries>: " + ("http".equals(base.getScheme())
                    ? "talking plain HTTP to it, without credentials" : "accepting any certificate from it"));
        }
        listener.debug("Talking to registry " + registry + " at " + base);
        authorizer.challenged(pong.statusCode() == 401
                ? Challenge.choose(pong.headers().allValues("WWW-Authenticate")) : null);
        return base;
    }

    /** @return the answer to {@code GET /v2/} over plain HTTP, or null when the server seems to speak TLS */
    private HttpResponse<byte[]> pingPlain(URI uri) throws IOException, RegistryException {
        HttpRequest.Builder request = HttpRequest.newBuilder().GET().timeout(RegistryHttp.REQUEST_TIMEOUT);
        HttpResponse<byte[]> response;
        try {
            response = transport.send(request, uri, HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw errors.unreachable(uri, e);
        } catch (IOException e) {
            // A TLS server may close the connection on a request in clear text.
            listener.debug("Registry " + registry + " closed a plain HTTP request (" + e + ")");
            return null;
        }
        int status = response.statusCode();
        if (status == 400) {
            // What Go's TLS server (the registry's) and nginx answer to a request in clear text.
            return null;
        }
        if (status >= 500 || status == 429) {
            throw errors.failure(response, "GET /v2/", "", authorizer.source());
        }
        return response;
    }

    /** @return the answer to {@code GET /v2/}, or null when the server speaks no TLS and plain HTTP is allowed */
    private HttpResponse<byte[]> ping(URI uri, boolean plainAllowed) throws IOException, RegistryException {
        HttpRequest.Builder request = HttpRequest.newBuilder().GET().timeout(RegistryHttp.REQUEST_TIMEOUT);
        HttpResponse<byte[]> response;
        try {
            response = transport.send(request, uri, HttpResponse.BodyHandlers.ofByteArray());
        } catch (SSLException e) {
            if (RegistryErrors.untrusted(e)) {
                throw errors.untrusted(uri, e);
            }
            if (!RegistryErrors.speaksNoTls(e)) {
                throw errors.unreachable(uri, e);
            }
            if (plainAllowed) {
                return null;
            }
            throw new RegistryException("Registry " + registry + " does not speak TLS at " + uri.getHost() + ':'
                    + RegistryErrors.port(uri) + " (" + e.getMessage() + ")", "serve it over HTTPS, or, if it "
                    + "serves plain HTTP on purpose, list " + registry + " in <insecureRegistries> (no credentials "
                    + "are sent to it then)", e);
        } catch (IOException e) {
            throw errors.unreachable(uri, e);
        }
        int status = response.statusCode();
        if (status == 407 && plainAllowed && "https".equals(uri.getScheme())) {
            // The proxy refused the CONNECT: the JDK leaves Basic proxy credentials off tunnels by default, so an
            // insecure registry is tried the plain way, whose requests carry them.
            listener.debug("The proxy answered 407 to the tunnel to " + uri.getHost() + ':' + RegistryErrors.port(uri)
                    + "; trying plain HTTP, which <insecureRegistries> allows");
            return null;
        }
        if (status >= 500 || status == 429 || status == 407) {
            throw errors.failure(response, "GET /v2/", "", authorizer.source());
        }
        return response;
    }

    private void cancel(HttpResponse<byte[]> session, URI uri, List<String> scopes) {
        try {
            URI location = location(session, uri);
            http.send(new RegistryHttp.Call("DELETE", location, scopes, null, null, true, false));
        } catch (IOException | RegistryException e) {
            listener.debug("Could not cancel an unused upload session (" + e.getMessage() + "); the registry "
                    + "drops it by itself");
        }
    }

    private static URI location(HttpResponse<byte[]> response, URI request) throws IOException {
        String location = response.headers().firstValue("Location").orElseThrow(() -> new Retries.Final(
                "the registry answered " + response.statusCode() + " to POST " + request.getPath()
                + " without a Location"));
        return RegistryHttp.resolve(request, location);
    }

    private RegistryException damaged(Path file, String digest, String why) {
        return new RegistryException("The layout's blob " + digest + " (" + file + ") is damaged: " + why,
                "build the image again with scratch:build, which rewrites the layout");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
