package org.scratchimage.core.registry;

/** What the registry client reports: decisions for {@code -X} and warnings. Never a secret. */
public interface RegistryListener {
    /** A decision, for {@code -X}: which credential source, a retry and why, a redirect followed. */
    void debug(String message);

    /** Something the user can act on: an insecure registry in use, a retry after {@code 429}. */
    void warn(String message);

    /** Progress of a long upload, at most every few seconds: bytes sent of the total. */
    default void progress(String repository, String digest, long sent, long total) {}
}
