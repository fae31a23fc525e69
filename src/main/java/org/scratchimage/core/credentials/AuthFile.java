package org.scratchimage.core.credentials;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.scratchimage.core.oci.JsonReader;
import org.scratchimage.core.registry.Credential;
import org.scratchimage.core.registry.RegistryException;

/**
 * A Docker {@code config.json} or a containers {@code auth.json}: they share the format. Read whole and checked
 * once; a file that is missing is no file, one that cannot be read or is malformed is a {@link RegistryException}
 * that names the file, the key and the fix, and never quotes a value.
 */
final class AuthFile {
    private final Path path;
    private final String description;
    private final String fix;
    /** Keys in document order, so that equally good matches resolve the same way on every run. */
    private final Map<String, Object> auths;
    private final Map<String, String> credHelpers;
    private final String credsStore;

    private AuthFile(Path path, String description, String fix, Map<String, Object> auths,
            Map<String, String> credHelpers, String credsStore) {
        this.path = path;
        this.description = description;
        this.fix = fix;
        this.auths = auths;
        this.credHelpers = credHelpers;
        this.credsStore = credsStore;
    }

    /**
     * @param kind what the file is, such as {@code Docker config}
     * @param fix how to repair it, for the errors
     * @return the file, or empty when it does not exist
     */
    static Optional<AuthFile> read(Path path, String kind, String fix) throws RegistryException {
        String description = kind + ' ' + path;
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // The JDK's message is the path alone for some exceptions (AccessDeniedException), the reason for others.
            String reason = e.getMessage() == null || e.getMessage().equals(path.toString())
                    ? e.getClass().getSimpleName() : e.getMessage();
            throw new RegistryException(description + " could not be read (" + reason + ")",
                    "make it a readable file, or " + fix, e);
        }
        Object document;
        try {
            document = JsonReader.parse(bytes);
        } catch (IOException e) {
            // JsonReader's message quotes at most one character, never a value.
            throw new RegistryException(description + " is not valid JSON: " + e.getMessage(), fix);
        }
        if (!(document instanceof Map<?, ?> top)) {
            throw new RegistryException(description + " is not a JSON object", fix);
        }
        Map<String, Object> auths = object(top.get("auths"), description, "auths", fix);
        Map<String, String> helpers = new LinkedHashMap<>();
        for (Map.Entry<String, Object> helper : object(top.get("credHelpers"), description, "credHelpers", fix)
                .entrySet()) {
            if (!(helper.getValue() instanceof String name)) {
                throw new RegistryException(description + " has a credHelpers \"" + helper.getKey()
                        + "\" that is not a string", fix);
            }
            helpers.put(helper.getKey(), name);
        }
        Object store = top.get("credsStore");
        if (store != null && !(store instanceof String)) {
            throw new RegistryException(description + " has a credsStore that is not a string", fix);
        }
        return Optional.of(new AuthFile(path, description, fix, auths, helpers,
                store == null || ((String) store).isEmpty() ? null : (String) store));
    }

    Path path() {
        return path;
    }

    /** @return {@code Docker config /home/u/.docker/config.json}, for sources and errors */
    String description() {
        return description;
    }

    Map<String, Object> auths() {
        return auths;
    }

    Map<String, String> credHelpers() {
        return credHelpers;
    }

    /** @return the {@code credsStore} helper's name, or {@code null} when none is set */
    String credsStore() {
        return credsStore;
    }

    /**
     * Decodes one {@code auths} entry as Docker does: {@code identitytoken} first, then {@code auth} (base64 of
     * {@code user:password}, split at the first colon, NULs trimmed from the password), then the old
     * {@code username} and {@code password} fields.
     *
     * @return its credential, or empty for an entry without one, such as the {@code {}} that {@code docker login}
     *     writes next to a credential store
     * @throws RegistryException for an entry that is there but cannot be decoded
     */
    Optional<Credential> credential(String key) throws RegistryException {
        String where = "auths \"" + key + '"';
        if (!(auths.get(key) instanceof Map<?, ?> entry)) {
            throw new RegistryException(description + " has an " + where + " that is not a JSON object", fix);
        }
        String source = description + ' ' + where;
        String identityToken = text(entry, "identitytoken", where);
        if (!identityToken.isEmpty()) {
            return Optional.of(new Credential(null, identityToken, true, source));
        }
        String auth = text(entry, "auth", where);
        if (!auth.isEmpty()) {
            String decoded = decode(auth, where);
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                throw new RegistryException(description + " has an " + where + " whose \"auth\" is not the base64"
                        + " of user:password (the value is not shown)", fix);
            }
            return Optional.of(Credential.basic(decoded.substring(0, colon),
                    trimNuls(decoded.substring(colon + 1)), source));
        }
        String username = text(entry, "username", where);
        if (!username.isEmpty()) {
            return Optional.of(Credential.basic(username, text(entry, "password", where), source));
        }
        return Optional.empty();
    }

    private String text(Map<?, ?> entry, String field, String where) throws RegistryException {
        Object value = entry.get(field);
        if (value == null) {
            return "";
        }
        if (!(value instanceof String text)) {
            throw new RegistryException(description + " has an " + where + " whose \"" + field
                    + "\" is not a string", fix);
        }
        return text;
    }

    private String decode(String auth, String where) throws RegistryException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Base64.getDecoder().decode(auth.strip()))).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            // Neither message is passed on: the base64 decoder's names a character of the value.
            throw new RegistryException(description + " has an " + where + " whose \"auth\" is not base64 of"
                    + " user:password in UTF-8 (the value is not shown)", fix);
        }
    }

    private static String trimNuls(String password) {
        int start = 0;
        int end = password.length();
        while (start < end && password.charAt(start) == '\0') {
            start++;
        }
        while (end > start && password.charAt(end - 1) == '\0') {
            end--;
        }
        return password.substring(start, end);
    }

    private static Map<String, Object> object(Object value, String description, String field, String fix)
            throws RegistryException {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new RegistryException(description + " has a \"" + field + "\" that is not a JSON object", fix);
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, entry) -> copy.put((String) key, entry));
        return copy;
    }
}
