package org.scratchimage.testing.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.BuildResult;
import org.scratchimage.core.tar.ExternalTools;

/**
 * Checks the {@link RegistryServer} fixture with skopeo, a client independent of ours: each mode accepts a push with
 * the right credentials, refuses one without, and the access log tells an upload from a skipped blob.
 */
class RegistryServerTest {
    @TempDir
    Path dir;

    private BuildResult image;

    @BeforeEach
    void buildTinyImage() throws IOException {
        image = TinyImage.build(dir.resolve("project"), "port=8080\n");
    }

    @Test
    void anAnonymousRegistryTakesAPushAndTheSecondPushUploadsNoBlob() throws IOException {
        try (RegistryServer registry = RegistryServer.anonymous()) {
            assertThat(registry.host()).matches("127\\.0\\.0\\.1:\\d+");
            assertThat(registry.url()).isEqualTo("http://" + registry.host());

            int first = registry.mark();
            copy(List.of("--dest-tls-verify=false"), registry.host() + "/team/app:1.0").assertSuccess();
            List<RegistryServer.Request> firstPush = registry.requestsSince(first);

            assertThat(registry.tags("team/app")).containsExactly("1.0");
            assertThat(registry.tagDigest("team/app", "1.0")).isPresent();
            assertThat(registry.hasBlob(image.layerDigest())).isTrue();
            assertThat(registry.hasBlob(image.configDigest())).isTrue();
            assertThat(firstPush).anyMatch(RegistryServer.Request::isBlobUpload);
            assertThat(firstPush).anyMatch(r -> r.method().equals("PUT")
                    && r.path().equals("/v2/team/app/manifests/1.0") && r.status() == 201);

            int second = registry.mark();
            copy(List.of("--dest-tls-verify=false"), registry.host() + "/team/app:1.0").assertSuccess();
            List<RegistryServer.Request> secondPush = registry.requestsSince(second);

            assertThat(secondPush).as("second push: %s", secondPush).noneMatch(RegistryServer.Request::isBlobUpload);
            assertThat(secondPush).anyMatch(r -> r.method().equals("HEAD")
                    && r.path().equals("/v2/team/app/blobs/" + image.layerDigest()) && r.status() == 200);
            assertThat(secondPush).noneMatch(r -> r.line().contains("registry-server-fixture-sync"));

            String raw = inspectRaw(List.of("--tls-verify=false"), registry.host() + "/team/app:1.0");
            assertThat(raw).contains(image.layerDigest());
        }
    }

    @Test
    void anHtpasswdRegistryTakesThePushOfItsUserOnly() throws IOException {
        try (RegistryServer registry = RegistryServer.builder().htpasswd("alice", "s3cret-pw").start()) {
            String target = registry.host() + "/team/app:1.0";
            ExternalTools.Result anonymous = copy(List.of("--dest-tls-verify=false"), target);
            ExternalTools.Result wrong = copy(List.of("--dest-tls-verify=false", "--dest-creds", "alice:wrong"),
                    target);
            assertThat(anonymous.exitCode()).isNotZero();
            assertThat(wrong.exitCode()).isNotZero();
            assertThat(registry.tags("team/app")).isEmpty();

            copy(List.of("--dest-tls-verify=false", "--dest-creds", "alice:s3cret-pw"), target).assertSuccess();

            assertThat(registry.tags("team/app")).containsExactly("1.0");
            assertThat(registry.requests()).anyMatch(r -> r.status() == 401);
        }
    }

    @Test
    void aRegistryThatCannotStartFailsWithItsLog() throws IOException {
        Path pkiFolder = Files.createDirectories(dir.resolve("pki"));
        TestPki pki = TestPki.create(pkiFolder);
        Files.delete(pki.keyPem());

        IOException e = catchThrowableOfType(IOException.class, () -> RegistryServer.builder().tls(pki).start());

        assertThat(e).as("a registry without its TLS key must not start").isNotNull();
        assertThat(e.getMessage()).contains("docker-registry (exited with").contains("key.pem");
    }

    ExternalTools.Result copy(List<String> options, String destination) {
        List<String> command = new ArrayList<>(List.of("skopeo", "copy",
                "--retry-times", "0"));
        command.addAll(options);
        command.add(TinyImage.skopeoSource(dir.resolve("project")));
        command.add("docker://" + destination);
        return ExternalTools.run(command);
    }

    static String inspectRaw(List<String> options, String reference) {
        List<String> command = new ArrayList<>(List.of("skopeo", "inspect",
                "--raw"));
        command.addAll(options);
        command.add("docker://" + reference);
        return ExternalTools.run(command).assertSuccess().out();
    }
}
