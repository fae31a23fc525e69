package org.scratchimage.core.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.scratchimage.core.credentials.AuthFixtures.SECRET;
import static org.scratchimage.core.credentials.AuthFixtures.TOKEN;
import static org.scratchimage.core.credentials.AuthFixtures.answeringHelper;
import static org.scratchimage.core.credentials.AuthFixtures.assertNoSecret;
import static org.scratchimage.core.credentials.AuthFixtures.environment;
import static org.scratchimage.core.credentials.AuthFixtures.helper;
import static org.scratchimage.core.credentials.AuthFixtures.notFoundHelper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.registry.Credential;
import org.scratchimage.core.registry.RegistryException;

/** docker-credential-* helpers, as bash scripts written by each test onto a PATH of its own. */
class CredentialHelperTest {
    private static final String CONFIGURED_BY = "credsStore of Docker config /x/config.json";

    @TempDir
    Path home;

    private Path bin() {
        return home.resolve("bin");
    }

    private CredentialHelper helperNamed(String name, Duration timeout, String... variables) {
        return new CredentialHelper(name, CONFIGURED_BY, environment(home, bin(), variables), timeout);
    }

    private CredentialHelper helperNamed(String name) {
        return helperNamed(name, Duration.ofSeconds(20));
    }

    @Test
    void theServerUrlGoesOnStdinAsItIsAndTheAnswerIsTheCredential() throws Exception {
        Path log = home.resolve("asked");
        answeringHelper(bin(), "test", log,
                "{\"ServerURL\":\"127.0.0.1:5000\",\"Username\":\"alice\",\"Secret\":\"" + SECRET + "\"}");

        Optional<Credential> found = helperNamed("test").get("127.0.0.1:5000");

        assertThat(found).contains(new Credential("alice", SECRET, false,
                "credential helper docker-credential-test (" + CONFIGURED_BY + ")"));
        assertThat(Files.readString(log)).isEqualTo("127.0.0.1:5000");
        assertThat(found.get().toString()).doesNotContain(SECRET);
    }

    @Test
    void dockerHubIsAskedForByItsV1Url() throws Exception {
        Path log = home.resolve("asked");
        answeringHelper(bin(), "test", log, "{\"Username\":\"alice\",\"Secret\":\"" + SECRET + "\"}");

        assertThat(helperNamed("test").find("index.docker.io")).isPresent();

        assertThat(Files.readString(log)).isEqualTo("https://index.docker.io/v1/");
    }

    @Test
    void theUserTokenMeansAnIdentityToken() throws Exception {
        answeringHelper(bin(), "test", home.resolve("asked"),
                "{\"ServerURL\":\"reg\",\"Username\":\"<token>\",\"Secret\":\"" + TOKEN + "\"}");

        Credential found = helperNamed("test").get("reg.example").orElseThrow();

        assertThat(found.identityToken()).isTrue();
        assertThat(found.username()).isNull();
        assertThat(found.secret()).isEqualTo(TOKEN);
    }

    @Test
    void credentialsNotFoundOnStdoutIsNoEntry() throws Exception {
        notFoundHelper(bin(), "test");

        assertThat(helperNamed("test").get("reg.example")).isEmpty();
    }

    @Test
    void anEmptySecretIsNoEntry() throws Exception {
        answeringHelper(bin(), "test", home.resolve("asked"), "{\"Username\":\"\",\"Secret\":\"\"}");

        assertThat(helperNamed("test").get("reg.example")).isEmpty();
    }

    @Test
    void aFailingHelperIsNamedWithItsExitCodeAndItsOutputIsNotShown() throws Exception {
        // A helper may print the secret, or part of it, with its error.
        helper(bin(), "test", "cat > /dev/null\necho 'cannot unlock " + SECRET + "'\necho '" + TOKEN + "' >&2\nexit 3");

        RegistryException e = catchThrowableOfType(RegistryException.class,
                () -> helperNamed("test").get("reg.example"));

        assertThat(e.getMessage())
                .startsWith("credential helper docker-credential-test (" + CONFIGURED_BY + ") failed with exit code 3"
                        + " when asked for \"reg.example\"")
                .contains(". Fix: run printf %s 'reg.example' | docker-credential-test get");
        assertNoSecret(e, SECRET, TOKEN, "cannot unlock");
    }

    @Test
    void garbageOnStdoutIsAnErrorThatDoesNotEchoIt() throws Exception {
        helper(bin(), "test", "cat > /dev/null\necho 'Username=alice Secret=" + SECRET + "'");

        RegistryException e = catchThrowableOfType(RegistryException.class,
                () -> helperNamed("test").get("reg.example"));

        assertThat(e.getMessage()).contains("docker-credential-test").contains("not JSON").contains(". Fix: ");
        assertNoSecret(e, SECRET, "alice");
    }

    @Test
    void jsonWithoutASecretIsAnError() throws Exception {
        answeringHelper(bin(), "test", home.resolve("asked"), "{\"Username\":\"" + SECRET + "\",\"Secret\":42}");

        RegistryException e = catchThrowableOfType(RegistryException.class,
                () -> helperNamed("test").get("reg.example"));

        assertThat(e.getMessage()).contains("not a credential");
        assertNoSecret(e, SECRET);
    }

    @Test
    void anAnswerOfMoreThanAMebibyteIsRefused() throws Exception {
        helper(bin(), "test", "cat > /dev/null\nhead -c 2000000 /dev/zero | tr '\\0' 'x'");

        RegistryException e = catchThrowableOfType(RegistryException.class,
                () -> helperNamed("test").get("reg.example"));

        assertThat(e.getMessage()).contains("answered with more than 1048576 bytes");
    }

    @Test
    void aHangingHelperIsStoppedWithWhatItStartedAfterTheTimeout() throws Exception {
        Path pid = home.resolve("pid");
        helper(bin(), "test", "sleep 300 &\necho $! > '" + pid + "'\nwait");
        long start = System.nanoTime();

        RegistryException e = catchThrowableOfType(RegistryException.class,
                () -> helperNamed("test", Duration.ofSeconds(1)).get("reg.example"));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(e.getMessage()).contains("did not answer within 1 s and was stopped");
        Optional<ProcessHandle> sleep = ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()));
        if (sleep.isPresent()) {
            // Left running, the sleep would be an orphan of the test; the timeout fails the test instead.
            sleep.get().onExit().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void theHelperRunsWithTheGivenEnvironmentOnly() throws Exception {
        helper(bin(), "test", "cat > /dev/null\nprintf '{\"Username\":\"%s\",\"Secret\":\"%s\"}' \"$ACCOUNT\""
                + " \"${HOME:-no home}\"");

        Credential found = helperNamed("test", Duration.ofSeconds(20), "ACCOUNT", "bob").get("reg").orElseThrow();

        assertThat(found.username()).isEqualTo("bob");
        // HOME is not among the variables given, so the helper must not see the real one.
        assertThat(found.secret()).isEqualTo("no home");
    }

    @Test
    void aHelperNotOnThePathIsNamedWithTheFileThatNamesIt() {
        RegistryException e = catchThrowableOfType(RegistryException.class,
                () -> helperNamed("absent").get("reg.example"));

        assertThat(e.getMessage()).isEqualTo(CONFIGURED_BY + " names the credential helper docker-credential-absent,"
                + " which is not an executable file on the PATH. Fix: install docker-credential-absent and put it on"
                + " the PATH, or remove the entry from the file");
    }

    @Test
    void aHelperNameWithAPathIsRefused() throws Exception {
        helper(bin(), "x", "exit 0");

        RegistryException e = catchThrowableOfType(RegistryException.class,
                () -> helperNamed("../bin/docker-credential-x").get("reg.example"));

        assertThat(e.getMessage()).contains("\"../bin/docker-credential-x\", which is not a helper name");
    }

    @Test
    void aHelperThatIsNotAProgramIsNamedWithTheSystemsReason() throws Exception {
        // A script whose interpreter is missing: exec fails (ENOENT). A file without #! would not do: the JDK
        // hands it to /bin/sh, which fails with exit code 127 instead.
        Path program = Files.createDirectories(bin()).resolve("docker-credential-broken");
        Files.writeString(program, "#!/nonexistent/interpreter\n");
        program.toFile().setExecutable(true);

        RegistryException e = catchThrowableOfType(RegistryException.class,
                () -> helperNamed("broken").get("reg.example"));

        assertThat(e.getMessage()).startsWith("credential helper " + program + " (" + CONFIGURED_BY + ") could not"
                + " be started: ").contains("No such file or directory").endsWith(". Fix: check that it is a working program");
    }
}
