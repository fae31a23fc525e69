package org.scratchimage.core.credentials;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.scratchimage.core.oci.JsonReader;
import org.scratchimage.core.registry.Credential;
import org.scratchimage.core.registry.CredentialSource;
import org.scratchimage.core.registry.ImageReference;
import org.scratchimage.core.registry.RegistryException;

/**
 * A Docker credential helper, {@code docker-credential-<name>}, run as the docker CLI runs it: {@code get} with the
 * server URL on stdin, the answer {@code {"ServerURL","Username","Secret"}} on stdout, user {@code <token>} meaning
 * that the secret is an identity token. A non-zero exit with "credentials not found" on stdout means no entry.
 *
 * <p>The helper's output is never put in a message, since it may hold the secret; its stderr is discarded for the
 * same reason. Unlike the docker CLI, a helper that hangs (a keychain waiting for a prompt nobody sees in CI) is
 * stopped after a timeout.
 */
public final class CredentialHelper implements CredentialSource {
    /** How long a helper may take by default: a keychain unlock or a cloud token exchange takes seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** More than any credential: an answer this long is not one, and is not held in memory. */
    private static final int MAX_OUTPUT = 1 << 20;
    /** Helper names as the known ones are written (desktop, ecr-login, osxkeychain); no path, no space. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");

    private final String name;
    private final String configuredBy;
    private final UserEnvironment environment;
    private final Duration timeout;

    /**
     * @param name the helper's name, such as {@code pass} for {@code docker-credential-pass}
     * @param configuredBy where it was named, for messages and the source, such as
     *     {@code credsStore of Docker config /home/u/.docker/config.json}
     * @param environment its {@code PATH} finds the helper; the helper runs with these variables
     * @param timeout how long it may take before it is stopped
     */
    public CredentialHelper(String name, String configuredBy, UserEnvironment environment, Duration timeout) {
        this.name = name;
        this.configuredBy = configuredBy;
        this.environment = environment;
        this.timeout = timeout;
    }

    /** @return {@code docker-credential-<name>} */
    public String program() {
        return "docker-credential-" + name;
    }

    /** Asks for Docker's key of the registry: {@code https://index.docker.io/v1/} for Docker Hub. */
    @Override
    public Optional<Credential> find(String registry) throws RegistryException {
        return get(RegistryKeys.dockerKey(ImageReference.normalizeRegistry(registry)));
    }

    /**
     * @param serverUrl what the helper is asked for, written to its stdin as it is
     * @return its credential, or empty when it has none
     * @throws RegistryException when the helper is missing, fails, hangs or answers something else than a
     *     credential: the message names the helper and where it was configured, never its output
     */
    public Optional<Credential> get(String serverUrl) throws RegistryException {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new RegistryException(configuredBy + " names the credential helper \"" + name
                    + "\", which is not a helper name", "write the part after docker-credential-, such as pass"
                    + " or desktop");
        }
        Path executable = locate();
        Process process = start(executable);
        OutputReader stdout = new OutputReader(process.getInputStream(), program());
        stdout.start();
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(serverUrl.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // A helper that exits without reading stdin closes the pipe: its exit code says what happened.
        }
        int exitCode = await(process, stdout, serverUrl);
        if (stdout.tooLong) {
            throw failure(serverUrl, "answered with more than " + MAX_OUTPUT + " bytes", exitCode);
        }
        String output = stdout.bytes.toString(StandardCharsets.UTF_8);
        if (exitCode != 0) {
            if (output.toLowerCase(Locale.ROOT).contains("credentials not found")) {
                return Optional.empty();
            }
            throw failure(serverUrl, "failed with exit code " + exitCode, exitCode);
        }
        return credential(output, serverUrl);
    }

    @Override
    public String toString() {
        return source();
    }

    /** @return {@code credential helper docker-credential-pass (credsStore of Docker config ...)} */
    private String source() {
        return "credential helper " + program() + " (" + configuredBy + ')';
    }

    private Optional<Credential> credential(String output, String serverUrl) throws RegistryException {
        Object answer;
        try {
            answer = JsonReader.parse(output.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw failure(serverUrl, "answered with something that is not JSON", 0);
        }
        if (!(answer instanceof Map<?, ?> fields) || !(fields.get("Secret") instanceof String secret)
                || (fields.get("Username") != null && !(fields.get("Username") instanceof String))) {
            throw failure(serverUrl, "answered with JSON that is not a credential (no \"Secret\" string)", 0);
        }
        String username = fields.get("Username") == null ? "" : (String) fields.get("Username");
        if (secret.isEmpty()) {
            return Optional.empty();
        }
        if (username.equals("<token>")) {
            return Optional.of(new Credential(null, secret, true, source()));
        }
        return Optional.of(Credential.basic(username, secret, source()));
    }

    /** Looks the helper up on the PATH of the environment, as exec.LookPath does, skipping relative entries. */
    private Path locate() throws RegistryException {
        String path = environment.variable("PATH");
        if (path != null) {
            for (String folder : path.split(":")) {
                if (folder.isEmpty() || !folder.startsWith("/")) {
                    continue;
                }
                Path candidate = Path.of(folder, program());
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new RegistryException(configuredBy + " names the credential helper " + program()
                + ", which is not an executable file on the PATH",
                "install " + program() + " and put it on the PATH, or remove the entry from the file");
    }

    private Process start(Path executable) throws RegistryException {
        ProcessBuilder builder = new ProcessBuilder(executable.toString(), "get")
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear();
        builder.environment().putAll(environment.variables());
        try {
            return builder.start();
        } catch (IOException e) {
            // The message names the program and the system error, such as "Exec format error".
            throw new RegistryException("credential helper " + executable + " (" + configuredBy
                    + ") could not be started: " + e.getMessage(), "check that it is a working program", e);
        }
    }

    private int await(Process process, OutputReader stdout, String serverUrl) throws RegistryException {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stop(process);
                throw failure(serverUrl, "did not answer within " + timeout.toSeconds() + " s and was stopped",
                        -1);
            }
            // A child the helper left behind may hold stdout open: do not wait for it forever.
            stdout.join(timeout.toMillis());
            if (stdout.isAlive()) {
                stdout.interrupt();
                throw failure(serverUrl, "exited, but something it started kept its output open", -1);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            stop(process);
            Thread.currentThread().interrupt();
            throw new RegistryException("the build was interrupted while " + source() + " ran",
                    "run the build again");
        }
    }

    /** Stops the helper and what it started: a script's children would otherwise keep running. */
    private static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private RegistryException failure(String serverUrl, String what, int exitCode) {
        String ask = "printf %s '" + serverUrl + "' | " + program() + " get";
        return new RegistryException(source() + ' ' + what + " when asked for \"" + serverUrl + "\"; its output is"
                + " not shown, since it may hold a secret",
                (exitCode > 0 ? "run " + ask + " to see its message, and log in again"
                        : "run " + ask + " to see its answer, and update or reinstall " + program())
                        + ", or remove it from the file that names it");
    }

    /** Reads stdout while the helper runs, so that a long answer cannot block it on a full pipe. */
    private static final class OutputReader extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private volatile boolean tooLong;

        OutputReader(InputStream in, String program) {
            super(program + " stdout");
            this.in = in;
            setDaemon(true);
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (bytes.size() + n > MAX_OUTPUT) {
                        tooLong = true;
                    } else {
                        bytes.write(buffer, 0, n);
                    }
                }
            } catch (IOException e) {
                // The pipe closed under us: the helper was stopped, and its exit says why.
            }
        }
    }
}
