package org.scratchimage.core.registry;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A client of one registry, speaking the OCI distribution API over the JDK's {@link java.net.http.HttpClient}.
 * It pings {@code /v2/}, answers Basic and Bearer challenges with the first credential source that has an entry
 * (or anonymously), retries idempotent steps, follows blob redirects by hand without forwarding
 * {@code Authorization} to another host, and never sends credentials over plain HTTP to a non-loopback host.
 *
 * <p>Thread-safe: several blobs may be uploaded at once.
 */
public final class Registry implements AutoCloseable {

    /**
     * @param registry the registry as {@link ImageReference#registry()} names it
     * @return a client of it; nothing is sent yet
     */
    public static Registry connect(String registry, RegistryOptions options) {
        throw new UnsupportedOperationException("TODO(client helper)");
    }

    /** @return where the credentials in use came from, such as {@code settings.xml server "h:5000"}, or anonymous */
    public String credentialSource() {
        throw new UnsupportedOperationException("TODO(client helper)");
    }

    /** @return whether the repository holds the blob ({@code HEAD}) */
    public boolean hasBlob(String repository, String digest) throws IOException, RegistryException {
        throw new UnsupportedOperationException("TODO(client helper)");
    }

    /**
     * Mounts a blob from another repository of this registry ({@code POST ?mount=&from=}).
     *
     * @return whether the registry mounted it; false when it answered with an upload session instead (which is
     *     cancelled) or refused: the caller then uploads the blob
     */
    public boolean mountBlob(String repository, String digest, String fromRepository)
            throws IOException, RegistryException {
        throw new UnsupportedOperationException("TODO(client helper)");
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
        throw new UnsupportedOperationException("TODO(client helper)");
    }

    /**
     * Puts a manifest by tag.
     *
     * @return the digest the registry reports ({@code Docker-Content-Digest}), checked against the bytes' digest
     */
    public String putManifest(String repository, String tag, String mediaType, byte[] manifest)
            throws IOException, RegistryException {
        throw new UnsupportedOperationException("TODO(client helper)");
    }

    @Override
    public void close() {
        // The JDK's HttpClient of Java 17 has no close; nothing to release.
    }
}
