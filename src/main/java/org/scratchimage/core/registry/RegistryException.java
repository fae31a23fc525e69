package org.scratchimage.core.registry;

/**
 * A push that cannot succeed until the user fixes something: a malformed reference, credentials refused, an
 * untrusted certificate, a repository the registry does not know. The message names the reference or the
 * parameter, the cause and the fix, and never a secret.
 *
 * <p>Faults of the network or the registry that outlast the retries are {@link java.io.IOException}s instead.
 */
public class RegistryException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and why, naming the reference or the parameter
     * @param fix what the user should do, as a sentence
     */
    public RegistryException(String message, String fix) {
        super(message + ". Fix: " + fix);
    }

    /** @param cause kept for {@code -e}; its message must hold no secret */
    public RegistryException(String message, String fix, Throwable cause) {
        super(message + ". Fix: " + fix, cause);
    }
}
