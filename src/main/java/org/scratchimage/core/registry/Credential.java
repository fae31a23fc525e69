package org.scratchimage.core.registry;

/**
 * What a registry is given to authenticate. The secret is never part of {@link #toString()}, a log line or an
 * exception message: only {@link #source()} is.
 *
 * @param username the user name; {@code null} with an identity token
 * @param secret the password, or the identity token (an OAuth2 refresh token) when {@code identityToken}
 * @param identityToken whether the secret is an identity token (Docker's {@code identitytoken}, or a credential
 *     helper's user {@code <token>})
 * @param source where it came from, for the log: {@code settings.xml server "127.0.0.1:5000"}
 */
public record Credential(String username, String secret, boolean identityToken, String source) {

    /** @return a user name and a password, from {@code source} */
    public static Credential basic(String username, String password, String source) {
        return new Credential(username, password, false, source);
    }

    @Override
    public String toString() {
        return "credentials from " + source;
    }
}
