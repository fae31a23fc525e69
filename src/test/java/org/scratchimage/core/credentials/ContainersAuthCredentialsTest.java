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
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.scratchimage.core.registry.Credential;
import org.scratchimage.core.registry.RegistryException;

/** The auth.json of podman, skopeo and buildah: its places, and repository keys matched most specific first. */
class ContainersAuthCredentialsTest {
    @TempDir
    Path home;

    private Path bin() {
        return home.resolve("bin");
    }

    private Path runtimeFile() {
        return home.resolve("run/containers/auth.json");
    }

    private Path configFile() {
        return home.resolve(".config/containers/auth.json");
    }

    /** With XDG_RUNTIME_DIR set, as on a desktop or a GitHub runner. */
    private ContainersAuthCredentials source(String... variables) {
        String[] all = new String[variables.length + 2];
        all[0] = "XDG_RUNTIME_DIR";
        all[1] = home.resolve("run").toString();
        System.arraycopy(variables, 0, all, 2, variables.length);
        return new ContainersAuthCredentials(environment(home, bin(), all));
    }

    private static String auths(String... keysAndUsers) {
        StringBuilder json = new StringBuilder("{\"auths\":{");
        for (int i = 0; i < keysAndUsers.length; i += 2) {
            json.append(i == 0 ? "" : ",").append('"').append(keysAndUsers[i]).append("\":{\"auth\":\"")
                    .append(auth(keysAndUsers[i + 1], SECRET)).append("\"}");
        }
        return json.append("}}").toString();
    }

    @Test
    void theRuntimeFileComesBeforeTheConfigFile() {
        assertThat(source().files()).containsExactly(runtimeFile(), configFile());
        assertThat(source("XDG_CONFIG_HOME", home.resolve("cfg").toString()).files())
                .containsExactly(runtimeFile(), home.resolve("cfg/containers/auth.json"));
    }

    @Test
    void registryAuthFileIsReadAloneAsTheToolsReadTheirAuthfile() throws Exception {
        Path override = home.resolve("ci/auth.json");
        write(configFile(), auths("reg.example", "from-config"));

        ContainersAuthCredentials source = source("REGISTRY_AUTH_FILE", override.toString());

        assertThat(source.files()).containsExactly(override);
        assertThat(source.find("reg.example")).isEmpty();
        write(override, auths("reg.example", "from-override"));
        Credential found = source.find("reg.example").orElseThrow();
        assertThat(found.username()).isEqualTo("from-override");
        assertThat(found.source()).isEqualTo("containers auth file " + override + " auths \"reg.example\"");
    }

    @Test
    void withoutXdgRuntimeDirPodmansPerUserFileIsRead() {
        UserEnvironment root = new UserEnvironment(Map.of("PATH", "/usr/bin"), home, OptionalLong.of(0));

        assertThat(new ContainersAuthCredentials(root).files())
                .containsExactly(Path.of("/run/containers/0/auth.json"), configFile());
        assertThat(new ContainersAuthCredentials(UserEnvironment.of(Map.of(), home)).files())
                .containsExactly(configFile());
    }

    @Test
    void theConfigFileIsReadWhenTheRuntimeFileHasNoEntry() throws Exception {
        write(runtimeFile(), auths("other.example", "runtime"));
        write(configFile(), auths("reg.example", "config"));

        assertThat(source().find("reg.example").orElseThrow().username()).isEqualTo("config");

        write(runtimeFile(), auths("reg.example", "runtime"));
        assertThat(source().find("reg.example").orElseThrow().username()).isEqualTo("runtime");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "team/app,      reg-team-app",
        "team/app/sub,  reg-team-app",
        "team/other,    reg-team",
        "teams/app,     reg",
        "te/app,        reg",
        "other/x,       reg",
        ",              reg",
    })
    void repositoryKeysMatchMostSpecificFirst(String repository, String user) throws Exception {
        write(runtimeFile(), auths("reg.example", "reg", "reg.example/team", "reg-team",
                "reg.example/team/app", "reg-team-app", "other.example/team/app", "other"));

        Credential found = repository == null ? source().find("reg.example").orElseThrow()
                : source().find("reg.example", repository).orElseThrow();

        assertThat(found.username()).isEqualTo(user);
    }

    @Test
    void dockerHubIsDockerIoWithLibraryForOfficialImages() throws Exception {
        write(runtimeFile(), auths("docker.io", "hub", "docker.io/library/busybox", "busybox"));

        assertThat(source().find("docker.io", "library/busybox").orElseThrow().username()).isEqualTo("busybox");
        assertThat(source().find("index.docker.io", "library/alpine").orElseThrow().username()).isEqualTo("hub");
        assertThat(source().find("registry-1.docker.io").orElseThrow().username()).isEqualTo("hub");
    }

    @Test
    void urlKeysCountForTheirHostAfterEveryOtherKey() throws Exception {
        write(runtimeFile(), auths("https://index.docker.io/v1/", "legacy-hub", "http://reg.example:5000/v2/", "url"));

        assertThat(source().find("docker.io", "team/app").orElseThrow().username()).isEqualTo("legacy-hub");
        assertThat(source().find("reg.example:5000", "team/app").orElseThrow().username()).isEqualTo("url");

        write(runtimeFile(), auths("https://reg.example:5000", "url", "reg.example:5000", "host"));
        assertThat(source().find("reg.example:5000", "team/app").orElseThrow().username()).isEqualTo("host");
    }

    @Test
    void anIdentityTokenIsUsedAsOne() throws Exception {
        write(runtimeFile(), "{\"auths\":{\"reg.example\":{\"identitytoken\":\"" + TOKEN + "\"}}}");

        Credential found = source().find("reg.example", "a").orElseThrow();

        assertThat(found.identityToken()).isTrue();
        assertThat(found.secret()).isEqualTo(TOKEN);
    }

    @Test
    void anEntryWithoutACredentialIsSkipped() throws Exception {
        write(runtimeFile(), "{\"auths\":{\"reg.example/team\":{},\"reg.example\":{\"auth\":\""
                + auth("alice", SECRET) + "\"}}}");

        assertThat(source().find("reg.example", "team/app").orElseThrow().username()).isEqualTo("alice");
    }

    @Test
    void credHelpersComeFirstAndAreAskedForTheRegistryAsPodmanAsks() throws Exception {
        Path log = home.resolve("asked");
        answeringHelper(bin(), "test", log, "{\"Username\":\"helped\",\"Secret\":\"" + SECRET + "\"}");
        write(runtimeFile(), "{\"credHelpers\":{\"docker.io\":\"test\"},\"auths\":{\"docker.io\":{\"auth\":\""
                + auth("alice", SECRET) + "\"}}}");

        Credential found = source().find("docker.io", "library/busybox").orElseThrow();

        assertThat(found.username()).isEqualTo("helped");
        assertThat(found.source()).isEqualTo("credential helper docker-credential-test (credHelpers \"docker.io\" of"
                + " containers auth file " + runtimeFile() + ")");
        assertThat(Files.readString(log)).isEqualTo("docker.io");
    }

    @Test
    void aHelperMissMovesOnToTheNextFile() throws Exception {
        notFoundHelper(bin(), "test");
        write(runtimeFile(), "{\"credHelpers\":{\"reg.example\":\"test\"}}");
        write(configFile(), auths("reg.example", "config"));

        assertThat(source().find("reg.example").orElseThrow().username()).isEqualTo("config");
    }

    @Test
    void aMalformedFileNamesItselfAndTheFix() throws Exception {
        write(runtimeFile(), "{\"auths\":{\"reg.example\":{\"auth\":\"" + auth("alice", SECRET) + "\"}");

        RegistryException e = catchThrowableOfType(RegistryException.class,
                () -> source().find("reg.example", "a"));

        assertThat(e.getMessage()).startsWith("containers auth file " + runtimeFile() + " is not valid JSON: ")
                .endsWith(". Fix: correct the file, or log in again with podman login reg.example or skopeo login"
                        + " reg.example");
        assertNoSecret(e, SECRET, auth("alice", SECRET));
    }

    @Test
    void noFileIsNoEntry() throws Exception {
        assertThat(source().find("reg.example", "team/app")).isEmpty();
        assertThat(source().toString()).isEqualTo("containers auth files " + List.of(runtimeFile(), configFile()));
    }
}
