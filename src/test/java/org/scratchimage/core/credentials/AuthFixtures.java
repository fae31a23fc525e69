package org.scratchimage.core.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.scratchimage.core.tar.ExternalTools;

/** Auth files, helper scripts and environments made at test time: no test reads the real user's files. */
final class AuthFixtures {
    /** Holds a colon, as passwords may: the auth string splits at the first one. */
    static final String SECRET = "s3cr3t:Pa55-w0rd";
    static final String TOKEN = "identity-token-9f8e7d";

    private AuthFixtures() {}

    static String auth(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ':' + password).getBytes(StandardCharsets.UTF_8));
    }

    static Path write(Path file, String json) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, json);
    }

    /** Writes {@code bin/docker-credential-NAME}, a bash script of {@code body}, executable. */
    static Path helper(Path bin, String name, String body) throws IOException {
        ExternalTools.require("bash");
        Path script = bin.resolve("docker-credential-" + name);
        write(script, "#!/bin/bash\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** A helper that records what it was asked on stdin in {@code log} and answers {@code json}. */
    static Path answeringHelper(Path bin, String name, Path log, String json) throws IOException {
        return helper(bin, name, "[ \"$1\" = get ] || exit 9\ncat >> '" + log + "'\nprintf '%s' '" + json + "'");
    }

    /** A helper that says what docker-credential-helpers say for a missing entry, on stdout, exit 1. */
    static Path notFoundHelper(Path bin, String name) throws IOException {
        return helper(bin, name, "cat > /dev/null\necho 'credentials not found in native keychain'\nexit 1");
    }

    /** @param variables name, value, name, value... besides {@code PATH}, which is {@code bin} and the system's */
    static UserEnvironment environment(Path home, Path bin, String... variables) {
        Map<String, String> map = new HashMap<>();
        map.put("PATH", bin + ":/usr/bin:/bin");
        for (int i = 0; i < variables.length; i += 2) {
            map.put(variables[i], variables[i + 1]);
        }
        return UserEnvironment.of(map, home);
    }

    /** No message or text of the throwable or its causes holds any of the secrets. */
    static void assertNoSecret(Throwable thrown, String... secrets) {
        assertThat(thrown).isNotNull();
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            for (String secret : secrets) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
                assertThat(t.toString()).doesNotContain(secret);
            }
        }
    }
}
