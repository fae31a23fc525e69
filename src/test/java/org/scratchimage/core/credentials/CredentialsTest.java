package org.scratchimage.core.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.scratchimage.core.credentials.AuthFixtures.SECRET;
import static org.scratchimage.core.credentials.AuthFixtures.TOKEN;
import static org.scratchimage.core.credentials.AuthFixtures.answeringHelper;
import static org.scratchimage.core.credentials.AuthFixtures.assertNoSecret;
import static org.scratchimage.core.credentials.AuthFixtures.auth;
import static org.scratchimage.core.credentials.AuthFixtures.environment;
import static org.scratchimage.core.credentials.AuthFixtures.helper;
import static org.scratchimage.core.credentials.AuthFixtures.write;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.registry.Credential;
import org.scratchimage.core.registry.CredentialSource;
import org.scratchimage.core.registry.RegistryException;

/** The chain of sources: the first with an entry wins and says where it came from; nothing leaks on the way. */
class CredentialsTest {
    @TempDir
    Path home;

    private UserEnvironment userEnvironment() {
        return environment(home, home.resolve("bin"), "XDG_RUNTIME_DIR", home.resolve("run").toString());
    }

    private CredentialSource userFiles() {
        return Credentials.chain(Credentials.fromUserFiles(userEnvironment()));
    }

    @Test
    void theDockerConfigComesBeforeTheContainersAuthFile() throws Exception {
        Path docker = write(home.resolve(".docker/config.json"),
                "{\"auths\":{\"reg.example\":{\"auth\":\"" + auth("docker", SECRET) + "\"}}}");
        Path containers = write(home.resolve("run/containers/auth.json"),
                "{\"auths\":{\"reg.example\":{\"auth\":\"" + auth("podman", SECRET) + "\"}}}");

        assertThat(userFiles().find("reg.example", "team/app").orElseThrow().source())
                .isEqualTo("Docker config " + docker + " auths \"reg.example\"");

        write(docker, "{\"auths\":{\"other.example\":{\"auth\":\"" + auth("docker", SECRET) + "\"}}}");
        assertThat(userFiles().find("reg.example", "team/app").orElseThrow().source())
                .isEqualTo("containers auth file " + containers + " auths \"reg.example\"");
        assertThat(userFiles().find("third.example", "team/app")).isEmpty();
    }

    @Test
    void theRepositoryReachesTheSourcesThatUseIt() throws Exception {
        write(home.resolve("run/containers/auth.json"), "{\"auths\":{\"reg.example/team\":{\"auth\":\""
                + auth("team", SECRET) + "\"}}}");

        assertThat(userFiles().find("reg.example", "team/app")).isPresent();
        assertThat(userFiles().find("reg.example", "other/app")).isEmpty();
        assertThat(userFiles().find("reg.example")).isEmpty();
    }

    @Test
    void sourcesAreAskedInOrderAndNoFurtherThanTheFirstEntry() throws Exception {
        List<String> asked = new ArrayList<>();
        CredentialSource none = registry -> {
            asked.add("none");
            return Optional.empty();
        };
        CredentialSource pom = registry -> {
            asked.add("pom");
            return Optional.of(Credential.basic("u", SECRET, "<username> and <password>"));
        };
        CredentialSource never = registry -> {
            asked.add("never");
            return Optional.empty();
        };

        Credential found = Credentials.chain(none, pom, never).find("reg.example", "a").orElseThrow();

        assertThat(found.source()).isEqualTo("<username> and <password>");
        assertThat(asked).containsExactly("none", "pom");
    }

    @Test
    void aBrokenSourceStopsTheChainInsteadOfFallingThroughToAnonymous() throws Exception {
        write(home.resolve(".docker/config.json"), "{\"credsStore\":\"broken\"}");
        helper(home.resolve("bin"), "broken", "cat > /dev/null\necho '" + SECRET + "'\nexit 2");
        write(home.resolve("run/containers/auth.json"), "{\"auths\":{\"reg.example\":{\"auth\":\""
                + auth("podman", SECRET) + "\"}}}");

        RegistryException e = catchThrowableOfType(RegistryException.class,
                () -> userFiles().find("reg.example", "a"));

        assertThat(e.getMessage()).startsWith("credential helper docker-credential-broken (credsStore of Docker config");
        assertNoSecret(e, SECRET);
    }

    @Test
    void noTextOfASourceOrCredentialHoldsASecret() throws Exception {
        Path log = home.resolve("asked");
        answeringHelper(home.resolve("bin"), "test", log, "{\"Username\":\"<token>\",\"Secret\":\"" + TOKEN + "\"}");
        write(home.resolve(".docker/config.json"), "{\"credHelpers\":{\"hub.example\":\"test\"},\"auths\":{"
                + "\"reg.example\":{\"auth\":\"" + auth("alice", SECRET) + "\"}}}");
        UserEnvironment withSecrets = environment(home, home.resolve("bin"), "CI_REGISTRY_PASSWORD", SECRET);
        CredentialSource chain = Credentials.chain(Credentials.fromUserFiles(withSecrets));

        List<String> texts = new ArrayList<>(List.of(chain.toString(), withSecrets.toString()));
        for (String registry : List.of("reg.example", "hub.example")) {
            Credential found = chain.find(registry, "a").orElseThrow();
            texts.add(found.toString());
            texts.add(found.source());
        }

        assertThat(texts).allSatisfy(text -> assertThat(text).doesNotContain(SECRET).doesNotContain(TOKEN)
                .doesNotContain(auth("alice", SECRET)));
    }
}
