package org.scratchimage.core.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.scratchimage.core.credentials.AuthFixtures.SECRET;
import static org.scratchimage.core.credentials.AuthFixtures.TOKEN;
import static org.scratchimage.core.credentials.AuthFixtures.answeringHelper;
import static org.scratchimage.core.credentials.AuthFixtures.assertNoSecret;
import static org.scratchimage.core.credentials.AuthFixtures.auth;
import static org.scratchimage.core.credentials.AuthFixtures.environment;
import static org.scratchimage.core.credentials.AuthFixtures.notFoundHelper;
import static org.scratchimage.core.credentials.AuthFixtures.write;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scratchimage.core.registry.Credential;
import org.scratchimage.core.registry.RegistryException;

/** ~/.docker/config.json and $DOCKER_CONFIG, with credHelpers, credsStore and auths, as the docker CLI reads them. */
class DockerConfigCredentialsTest {
    private static final String REGISTRY = "127.0.0.1:5000";

    @TempDir
    Path home;

    private Path config() {
        return home.resolve(".docker/config.json");
    }

    private Path bin() {
        return home.resolve("bin");
    }

    private DockerConfigCredentials source(String... variables) {
        return new DockerConfigCredentials(environment(home, bin(), variables));
    }

    private static String auths(String... keysAndAuths) {
        StringBuilder json = new StringBuilder("{\"auths\":{");
        for (int i = 0; i < keysAndAuths.length; i += 2) {
            json.append(i == 0 ? "" : ",").append('"').append(keysAndAuths[i]).append("\":{\"auth\":\"")
                    .append(keysAndAuths[i + 1]).append("\"}");
        }
        return json.append("}}").toString();
    }

    @Test
    void noConfigFileIsNoEntry() throws Exception {
        assertThat(source().find(REGISTRY)).isEmpty();
        assertThat(source().file()).isEqualTo(config());
    }

    @Test
    void aBase64AuthIsSplitAtItsFirstColonAndNamesTheFileAndKey() throws Exception {
        write(config(), auths(REGISTRY, auth("alice", SECRET + "\0\0")));

        Credential found = source().find(REGISTRY).orElseThrow();

        assertThat(found.username()).isEqualTo("alice");
        assertThat(found.secret()).isEqualTo(SECRET);
        assertThat(found.identityToken()).isFalse();
        assertThat(found.source()).isEqualTo("Docker config " + config() + " auths \"127.0.0.1:5000\"");
        assertThat(found.toString()).doesNotContain(SECRET).doesNotContain(auth("alice", SECRET));
    }

    @Test
    void dockerConfigNamesTheFolderInsteadOfTheHome() throws Exception {
        write(config(), auths(REGISTRY, auth("home", "a")));
        Path elsewhere = home.resolve("ci-docker");
        write(elsewhere.resolve("config.json"), auths(REGISTRY, auth("ci", "b")));

        DockerConfigCredentials source = source("DOCKER_CONFIG", elsewhere.toString());

        assertThat(source.find(REGISTRY).orElseThrow().username()).isEqualTo("ci");
        assertThat(source.file()).isEqualTo(elsewhere.resolve("config.json"));
        // An empty DOCKER_CONFIG counts as unset, as in the CLI.
        assertThat(source("DOCKER_CONFIG", "").find(REGISTRY).orElseThrow().username()).isEqualTo("home");
    }

    @Test
    void anIdentityTokenIsUsedAsOne() throws Exception {
        write(config(), "{\"auths\":{\"" + REGISTRY + "\":{\"auth\":\"" + auth("alice", SECRET)
                + "\",\"identitytoken\":\"" + TOKEN + "\"}}}");

        Credential found = source().find(REGISTRY).orElseThrow();

        assertThat(found.identityToken()).isTrue();
        assertThat(found.secret()).isEqualTo(TOKEN);
        assertThat(found.username()).isNull();
    }

    @Test
    void oldUsernameAndPasswordFieldsAreRead() throws Exception {
        write(config(), "{\"auths\":{\"" + REGISTRY + "\":{\"username\":\"alice\",\"password\":\"" + SECRET
                + "\"}}}");

        assertThat(source().find(REGISTRY)).contains(Credential.basic("alice", SECRET,
                "Docker config " + config() + " auths \"127.0.0.1:5000\""));
    }

    @Test
    void keysMatchExactThenWithHttpsThenWithAPath() throws Exception {
        String exact = auth("exact", "1");
        String https = auth("https", "2");
        String path = auth("path", "3");
        String others = "\"127.0.0.1:5001\":{\"auth\":\"" + auth("other-port", "4") + "\"},"
                + "\"127.0.0.1\":{\"auth\":\"" + auth("no-port", "5") + "\"},";

        write(config(), auths("https://127.0.0.1:5000/v2/", path, "https://127.0.0.1:5000", https, REGISTRY, exact)
                .replace("{\"auths\":{", "{\"auths\":{" + others));
        assertThat(source().find(REGISTRY).orElseThrow().username()).isEqualTo("exact");

        write(config(), auths("127.0.0.1:5000/some/path", path, "https://127.0.0.1:5000", https)
                .replace("{\"auths\":{", "{\"auths\":{" + others));
        assertThat(source().find(REGISTRY).orElseThrow().username()).isEqualTo("https");

        write(config(), auths("http://127.0.0.1:5000/v1/", path).replace("{\"auths\":{", "{\"auths\":{" + others));
        Credential withPath = source().find(REGISTRY).orElseThrow();
        assertThat(withPath.username()).isEqualTo("path");
        assertThat(withPath.source()).endsWith("auths \"http://127.0.0.1:5000/v1/\"");

        write(config(), ("{\"auths\":{" + others).replaceAll(",$", "}}"));
        assertThat(source().find(REGISTRY)).isEmpty();
    }

    @Test
    void hostsMatchInAnyCase() throws Exception {
        write(config(), auths("https://Registry.Example.ORG", auth("alice", SECRET)));

        assertThat(source().find("registry.example.org")).isPresent();
        assertThat(source().find("REGISTRY.example.org")).isPresent();
    }

    @ParameterizedTest(name = "registry {0}")
    @ValueSource(strings = {"docker.io", "index.docker.io", "registry-1.docker.io"})
    void dockerHubsKeyServesEveryAlias(String registry) throws Exception {
        write(config(), auths("https://index.docker.io/v1/", auth("hub", SECRET)));

        assertThat(source().find(registry).orElseThrow().source())
                .endsWith("auths \"https://index.docker.io/v1/\"");
    }

    @ParameterizedTest(name = "key {0}")
    @ValueSource(strings = {"docker.io", "index.docker.io", "https://registry-1.docker.io/v2/", "https://docker.io"})
    void everyAliasKeyServesDockerHubAfterTheV1Key(String key) throws Exception {
        write(config(), auths(key, auth("alias", "a")));
        assertThat(source().find("docker.io").orElseThrow().username()).isEqualTo("alias");

        write(config(), auths(key, auth("alias", "a"), "https://index.docker.io/v1/", auth("v1", "b")));
        assertThat(source().find("docker.io").orElseThrow().username()).isEqualTo("v1");
    }

    @Test
    void anEmptyEntryAsDockerLoginLeavesNextToAStoreIsSkipped() throws Exception {
        write(config(), "{\"auths\":{\"" + REGISTRY + "\":{},\"https://" + REGISTRY + "\":{\"auth\":\""
                + auth("alice", SECRET) + "\"}}}");

        assertThat(source().find(REGISTRY).orElseThrow().username()).isEqualTo("alice");
    }

    @Test
    void credHelpersComeFirstAndTheHelperIsAskedForTheRegistry() throws Exception {
        Path log = home.resolve("asked");
        answeringHelper(bin(), "test", log, "{\"Username\":\"from-helper\",\"Secret\":\"" + SECRET + "\"}");
        notFoundHelper(bin(), "store");
        write(config(), "{\"auths\":{\"" + REGISTRY + "\":{\"auth\":\"" + auth("from-auths", "x") + "\"}},"
                + "\"credsStore\":\"store\",\"credHelpers\":{\"other:1\":\"store\",\"" + REGISTRY + "\":\"test\"}}");

        Credential found = source().find(REGISTRY).orElseThrow();

        assertThat(found.username()).isEqualTo("from-helper");
        assertThat(found.source()).isEqualTo("credential helper docker-credential-test (credHelpers \"127.0.0.1:5000\""
                + " of Docker config " + config() + ")");
        assertThat(Files.readString(log)).isEqualTo(REGISTRY);
    }

    @Test
    void aCredHelpersMissIsFinalAsInTheDockerCli() throws Exception {
        notFoundHelper(bin(), "test");
        write(config(), "{\"auths\":{\"" + REGISTRY + "\":{\"auth\":\"" + auth("from-auths", "x") + "\"}},"
                + "\"credHelpers\":{\"" + REGISTRY + "\":\"test\"}}");

        assertThat(source().find(REGISTRY)).isEmpty();
    }

    @Test
    void dockerHubsHelperIsAskedForTheV1Url() throws Exception {
        Path log = home.resolve("asked");
        answeringHelper(bin(), "test", log, "{\"Username\":\"hub\",\"Secret\":\"" + SECRET + "\"}");
        write(config(), "{\"credHelpers\":{\"docker.io\":\"test\"}}");

        assertThat(source().find("docker.io")).isPresent();

        assertThat(Files.readString(log)).isEqualTo("https://index.docker.io/v1/");
    }

    @Test
    void theCredsStoreIsAskedNextAndAMissFallsBackToAuths() throws Exception {
        Path log = home.resolve("asked");
        answeringHelper(bin(), "store", log, "{\"Username\":\"<token>\",\"Secret\":\"" + TOKEN + "\"}");
        write(config(), "{\"credsStore\":\"store\",\"auths\":{\"" + REGISTRY + "\":{}}}");

        Credential stored = source().find(REGISTRY).orElseThrow();

        assertThat(stored.identityToken()).isTrue();
        assertThat(stored.source()).isEqualTo("credential helper docker-credential-store (credsStore of Docker config "
                + config() + ")");

        notFoundHelper(bin(), "store");
        write(config(), "{\"credsStore\":\"store\",\"auths\":{\"" + REGISTRY + "\":{\"auth\":\""
                + auth("from-auths", "x") + "\"}}}");
        assertThat(source().find(REGISTRY).orElseThrow().username()).isEqualTo("from-auths");
    }

    @Test
    void aMissingHelperNamesTheConfigThatNamesIt() throws Exception {
        write(config(), "{\"credsStore\":\"desktop\"}");

        RegistryException e = catchThrowableOfType(RegistryException.class, () -> source().find(REGISTRY));

        assertThat(e.getMessage()).startsWith("credsStore of Docker config " + config()
                + " names the credential helper docker-credential-desktop, which is not an executable file on the"
                + " PATH. Fix: ");
    }

    @Test
    void malformedJsonNamesTheFileAndTheFixButNoValue() throws Exception {
        String json = auths(REGISTRY, auth("alice", SECRET));
        write(config(), json.substring(0, json.length() - 3));

        RegistryException e = catchThrowableOfType(RegistryException.class, () -> source().find(REGISTRY));

        assertThat(e.getMessage()).startsWith("Docker config " + config() + " is not valid JSON: ")
                .contains(". Fix: correct the file, log in again with docker login 127.0.0.1:5000, or point"
                        + " DOCKER_CONFIG at a folder with a valid config.json");
        assertNoSecret(e, SECRET, auth("alice", SECRET), "alice");
    }

    @Test
    void anAuthThatIsNotBase64OfUserColonPasswordIsAnErrorThatDoesNotQuoteIt() throws Exception {
        String notBase64 = SECRET + "!";
        String noColon = java.util.Base64.getEncoder().encodeToString(SECRET.replace(":", "").getBytes());
        for (String bad : new String[] {notBase64, noColon}) {
            write(config(), auths(REGISTRY, bad));

            RegistryException e = catchThrowableOfType(RegistryException.class, () -> source().find(REGISTRY));

            assertThat(e.getMessage()).startsWith("Docker config " + config() + " has an auths \"127.0.0.1:5000\""
                    + " whose \"auth\" is not").contains("(the value is not shown). Fix: ");
            assertNoSecret(e, bad, SECRET, SECRET.replace(":", ""));
        }
    }

    @Test
    void fieldsOfTheWrongTypeAreErrors() throws Exception {
        write(config(), "{\"auths\":[]}");
        assertThat(catchThrowableOfType(RegistryException.class, () -> source().find(REGISTRY)))
                .hasMessageContaining("has a \"auths\" that is not a JSON object");

        write(config(), "{\"auths\":{\"" + REGISTRY + "\":{\"auth\":7}}}");
        assertThat(catchThrowableOfType(RegistryException.class, () -> source().find(REGISTRY)))
                .hasMessageContaining("auths \"127.0.0.1:5000\" whose \"auth\" is not a string");

        write(config(), "[]");
        assertThat(catchThrowableOfType(RegistryException.class, () -> source().find(REGISTRY)))
                .hasMessageContaining("is not a JSON object");
    }

    @Test
    void anUnreadableConfigIsAnError() throws Exception {
        Files.createDirectories(config());

        RegistryException e = catchThrowableOfType(RegistryException.class, () -> source().find(REGISTRY));

        assertThat(e.getMessage()).startsWith("Docker config " + config() + " could not be read (Is a directory)")
                .contains(". Fix: make it a readable file, or correct the file");
    }

    @Test
    void theSourceDescribesItselfByItsFile() {
        assertThat(source()).hasToString("Docker config " + config());
    }
}
