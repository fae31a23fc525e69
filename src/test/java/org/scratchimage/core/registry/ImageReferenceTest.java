package org.scratchimage.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Docker's reference grammar and normalisation (distribution/reference), with a tag required and no digest. */
class ImageReferenceTest {

    @ParameterizedTest(name = "{0} -> {1} {2} {3}")
    @CsvSource(delimiter = '|', value = {
        "busybox:1.36                            | docker.io            | library/busybox      | 1.36",
        "team/app:1                              | docker.io            | team/app             | 1",
        "docker.io/busybox:latest                | docker.io            | library/busybox      | latest",
        "index.docker.io/team/app:1              | docker.io            | team/app             | 1",
        "registry-1.docker.io/busybox:1          | docker.io            | library/busybox      | 1",
        "Index.Docker.IO/busybox:1               | docker.io            | library/busybox      | 1",
        "localhost:5000/a:1                      | localhost:5000       | a                    | 1",
        "localhost/a:1                           | localhost            | a                    | 1",
        "127.0.0.1:5000/team/app:1.0             | 127.0.0.1:5000       | team/app             | 1.0",
        "[::1]:5000/a:1                          | [::1]:5000           | a                    | 1",
        "[fe80::1]/a:1                           | [fe80::1]            | a                    | 1",
        "registry.example.org/team/app:1.0       | registry.example.org | team/app             | 1.0",
        "Registry.Example.ORG:443/team/app:V1_x  | registry.example.org:443 | team/app         | V1_x",
        "reg.example/a/b/c/d:_                   | reg.example          | a/b/c/d              | _",
        "reg.example/a.b__c-d---e_f/g:9         | reg.example          | a.b__c-d---e_f/g     | 9",
        "  127.0.0.1:5000/a:1                    | 127.0.0.1:5000       | a                    | 1",
    })
    void parsesAndNormalisesAsDocker(String reference, String registry, String repository, String tag)
            throws Exception {
        ImageReference parsed = ImageReference.parse(reference, "<to>");

        assertThat(parsed.registry()).isEqualTo(registry);
        assertThat(parsed.repository()).isEqualTo(repository);
        assertThat(parsed.tag()).isEqualTo(tag);
        assertThat(parsed.toString()).isEqualTo(registry + '/' + repository + ':' + tag);
    }

    @Test
    void aNameWithoutAHostIsOnDockerHubWhoseApiIsRegistry1() throws Exception {
        ImageReference hub = ImageReference.parse("busybox:1.36", "<to>");

        assertThat(hub.registry()).isEqualTo("docker.io");
        assertThat(hub.apiHost()).isEqualTo("registry-1.docker.io");
        assertThat(hub.name()).isEqualTo("docker.io/library/busybox");
        assertThat(hub.isDockerHub()).isTrue();
        assertThat(hub).hasToString("docker.io/library/busybox:1.36");
    }

    @Test
    void anotherRegistryIsReachedAtItsOwnHostAndPort() throws Exception {
        ImageReference local = ImageReference.parse("127.0.0.1:5000/team/app:1.0", "<to>");

        assertThat(local.apiHost()).isEqualTo("127.0.0.1:5000");
        assertThat(local.isDockerHub()).isFalse();
        assertThat(ImageReference.parse("[::1]:5000/a:1", "<to>").apiHost()).isEqualTo("[::1]:5000");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "docker.io, docker.io", "index.docker.io, docker.io", "registry-1.docker.io, docker.io",
        "Registry-1.Docker.io, docker.io", "Reg.Example:5000, reg.example:5000", "docker.io:443, docker.io:443",
    })
    void dockerHubsAliasesNormaliseToOneRegistry(String host, String registry) {
        assertThat(ImageReference.normalizeRegistry(host)).isEqualTo(registry);
    }

    @ParameterizedTest(name = "\"{0}\" is empty")
    @NullAndEmptySource
    @ValueSource(strings = {" ", "\t\n "})
    void anEmptyReferenceIsRejected(String empty) {
        assertRejected(empty, "is empty", "registry.example.org/team/app:1.0");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "registry.example.org/team/app    | has no tag                     | registry.example.org/team/app:1.0",
        "localhost:5000/app               | has no tag                     | localhost:5000/app:1.0",
        "busybox                          | has no tag                     | busybox:1.0",
        "Team/App:1                       | upper-case letters in its repository path \"App\" | team/app:1",
        "reg.example/Team/app:1           | upper-case letters             | reg.example/team/app:1",
        "a:b:c                            | repository path \"library/a:b\" that is not valid | registry.example.org/team/app:1.0",
        "localhost:1:2                    | repository path \"library/localhost:1\" that is not valid |",
        "reg.example/-a:1                 | repository path \"-a\" that is not valid |",
        "reg.example/a-/b:1               | repository path                |",
        "reg.example//a:1                 | repository path                |",
        "reg.example/a b:1                | repository path                |",
        "reg.example/a:                   | has a tag \"\" that is not valid |",
        "reg.example/a:.1                 | has a tag \".1\" that is not valid |",
        "reg.example/a:1 2                | has a tag                      |",
        "reg_x.example/a:1                | registry host \"reg_x.example\" |",
        "-reg.example/a:1                 | registry host                  |",
        "reg.example:0/a:1                | registry host \"reg.example:0\" | 1 to 65535",
        "reg.example:65536/a:1            | registry host                  |",
        "[::g]:5000/a:1                   | registry host                  |",
        ":5000/a:1                        | registry host                  |",
        "reg.example/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef | names a digest | reg.example/app:1.0",
        "reg.example/app:2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef | names a digest | such as reg.example/app:2",
    })
    void aMalformedReferenceNamesTheElementTheValueAndTheFix(String reference, String problem, String fix) {
        assertRejected(reference, problem, fix == null ? ". Fix: " : fix);
    }

    @Test
    void aTagOfMoreThan128CharactersIsRejectedWithoutQuotingItWhole() throws Exception {
        String tag = "t".repeat(300);

        RegistryException e = assertRejected("reg.example/app:" + tag, "has a tag", "such as reg.example/app:1.0");

        assertThat(e.getMessage()).contains("(300 characters)");
        assertThat(ImageReference.parse("reg.example/app:" + "t".repeat(128), "<to>").tag()).hasSize(128);
        assertRejected("reg.example/app:" + "t".repeat(129), "(129 characters)", "such as reg.example/app:1.0");
    }

    @Test
    void aNameOfMoreThan255CharactersAfterNormalisationIsRejected() throws Exception {
        // docker.io/library/ adds 18 characters: 237 are accepted, 238 are one too many.
        assertThat(ImageReference.parse("a".repeat(237) + ":1", "<to>").name()).hasSize(255);

        assertRejected("a".repeat(238) + ":1", "has a name of 256 characters", "at most 255");
    }

    @Test
    void aHugeValueIsRejectedWithoutOverflowingTheStack() {
        RegistryException e = assertRejected("a/".repeat(50_000) + "a:1", "is 100003 characters long", "at most 255");

        assertThat(e.getMessage()).hasSizeLessThan(300);
    }

    private static RegistryException assertRejected(String reference, String problem, String fix) {
        RegistryException e = catchThrowableOfType(RegistryException.class,
                () -> ImageReference.parse(reference, "<to>"));

        assertThat(e).as("%s is rejected", reference).isNotNull();
        assertThat(e.getMessage()).startsWith("<to> \"").contains(problem).contains(". Fix: ").contains(fix);
        return e;
    }
}
