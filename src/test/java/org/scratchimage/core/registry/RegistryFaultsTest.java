package org.scratchimage.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.scratchimage.core.registry.PushFixture.manifest;
import static org.scratchimage.core.registry.PushFixture.options;
import static org.scratchimage.core.registry.PushFixture.password;
import static org.scratchimage.core.registry.PushFixture.push;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.BuildResult;
import org.scratchimage.core.tar.ExternalTools;
import org.scratchimage.testing.registry.FaultProxy;
import org.scratchimage.testing.registry.RegistryServer;
import org.scratchimage.testing.registry.TinyImage;

/**
 * Faults injected by a proxy between the client and the real registry: those within the retries are survived,
 * those that outlast them fail with a clear message and leave no tag, and blob redirects keep Authorization home.
 */
class RegistryFaultsTest {
    private static final String PASSWORD = "pw-Faults-0815";

    @TempDir
    Path dir;

    private BuildResult image;
    private final PushFixture.Log log = new PushFixture.Log();

    @BeforeEach
    void buildTinyImage() throws IOException {
        image = TinyImage.build(dir.resolve("project"), "port=8080\n");
    }

    @Test
    void dropsServerErrorsAnd429WithinTheRetriesAreSurvived() throws Exception {
        try (RegistryServer server = RegistryServer.builder().htpasswd("alice", PASSWORD).start();
                FaultProxy proxy = FaultProxy.to(server);
                Registry registry = Registry.connect(proxy.host(), "team/app", options(log, password("alice", PASSWORD)))) {
            FaultProxy.Rule head = proxy.inject("HEAD", "/blobs/", 1, FaultProxy.Fault.drop());
            FaultProxy.Rule post = proxy.inject("POST", "/blobs/uploads/", 1, FaultProxy.Fault.status(500));
            FaultProxy.Rule halfSent = proxy.inject("PUT", "/blobs/uploads/", 1,
                    FaultProxy.Fault.dropAfterRequestBytes(20));
            FaultProxy.Rule busy = proxy.inject("PUT", "/manifests/", 1, FaultProxy.Fault.tooManyRequests(1));
            FaultProxy.Rule unavailable = proxy.inject("PUT", "/manifests/", 1, FaultProxy.Fault.status(503));

            String digest = push(registry, image, "team/app", "1.0");

            assertThat(digest).isEqualTo(image.manifestDigest());
            assertThat(List.of(head.hits(), post.hits(), halfSent.hits(), busy.hits(), unavailable.hits()))
                    .containsOnly(1);
            assertThat(server.tagDigest("team/app", "1.0")).contains(image.manifestDigest());
            assertThat(skopeoRaw(server.host() + "/team/app:1.0", "--creds", "alice:" + PASSWORD))
                    .isEqualTo(manifest(image));
            // Every PUT of a blob went to a session of its own: the half-sent body was not sent again into its session.
            List<String> blobPuts = proxy.requests().stream()
                    .filter(seen -> seen.method().equals("PUT") && seen.path().contains("/blobs/uploads/"))
                    .map(seen -> seen.path().replaceFirst("\\?.*", "")).toList();
            assertThat(blobPuts).hasSize(3).doesNotHaveDuplicates();
            assertThat(log.all()).contains("warn: The registry asked to wait 1000 ms")
                    .contains("debug: Try 1 of 3 of upload of blob").doesNotContain(PASSWORD);
        }
    }

    @Test
    void anUploadFailingEveryTryFailsCleanlyAndNoTagExists() throws Exception {
        try (RegistryServer server = RegistryServer.anonymous();
                FaultProxy proxy = FaultProxy.to(server);
                Registry registry = Registry.connect(proxy.host(), "team/app", options(log))) {
            FaultProxy.Rule rule = proxy.injectAlways("PUT", "/blobs/uploads/", FaultProxy.Fault.status(503));

            assertThatThrownBy(() -> push(registry, image, "team/app", "1.0"))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("upload of blob " + image.configDigest() + " to team/app failed 3 times: "
                            + "registry " + proxy.host() + " answered 503 to PUT blob " + image.configDigest());

            assertThat(rule.hits()).isEqualTo(3);
            assertThat(server.tags("team/app")).isEmpty();
        }
    }

    @Test
    void aConnectionDroppedOnEveryManifestPutFailsNamingTheHostAndNoTagExists() throws Exception {
        try (RegistryServer server = RegistryServer.anonymous();
                FaultProxy proxy = FaultProxy.to(server);
                Registry registry = Registry.connect(proxy.host(), "team/app", options(log))) {
            proxy.injectAlways("PUT", "/manifests/", FaultProxy.Fault.drop());

            assertThatThrownBy(() -> push(registry, image, "team/app", "1.0"))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("PUT of manifest team/app:1.0 failed 3 times: " + proxy.host() + ": ");

            assertThat(server.hasBlob(image.layerDigest())).isTrue();
            assertThat(server.tags("team/app")).isEmpty();
        }
    }

    @Test
    void aRegistryStoringTheManifestUnderAnotherDigestFailsThePush() throws Exception {
        String other = "sha256:" + "0".repeat(64);
        try (RegistryServer server = RegistryServer.anonymous();
                FaultProxy proxy = FaultProxy.to(server);
                Registry registry = Registry.connect(proxy.host(), "team/app", options(log))) {
            proxy.injectAlways("PUT", "/manifests/", FaultProxy.Fault.replaceAnswerHeader("Docker-Content-Digest",
                    other));

            assertThatThrownBy(() -> push(registry, image, "team/app", "1.0"))
                    .isInstanceOf(IOException.class)
                    .hasMessage("registry " + proxy.host() + " stored the manifest team/app:1.0 as " + other
                            + ", but its bytes have the digest " + image.manifestDigest());
            // A registry that rewrites manifests does so on every try: the PUT was not sent again.
            assertThat(proxy.requests()).filteredOn(seen -> seen.method().equals("PUT")
                    && seen.path().contains("/manifests/")).hasSize(1);
        }
    }

    @Test
    void aSlowUploadReportsItsProgressEveryFewSecondsAndNoMore() throws Exception {
        // Random text, so that the gzip layer stays big: about 18 MiB, sent at 4 MiB/s through the proxy.
        byte[] noise = new byte[24 << 20];
        new java.util.Random(11).nextBytes(noise);
        BuildResult big = TinyImage.build(dir.resolve("big"), java.util.Base64.getEncoder().encodeToString(noise));
        try (RegistryServer server = RegistryServer.anonymous();
                FaultProxy proxy = FaultProxy.to(server);
                Registry registry = Registry.connect(proxy.host(), "team/app", options(log))) {
            proxy.injectAlways("PUT", "/blobs/uploads/", FaultProxy.Fault.slowUpload(4 << 20));
            Path layer = PushFixture.blob(big, big.layerDigest());
            long size = java.nio.file.Files.size(layer);

            long start = System.nanoTime();
            registry.uploadBlob("team/app", layer, big.layerDigest(), size);
            double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(server.hasBlob(big.layerDigest())).isTrue();
            assertThat(seconds).as("the upload was slowed down enough to be reported").isGreaterThan(3.5);
            assertThat(log.progress).as("progress reports during a %.1f s upload", seconds)
                    .isNotEmpty().hasSizeLessThanOrEqualTo((int) (seconds / 3) + 1)
                    .isSorted().allMatch(sent -> sent > 0 && sent < size);
        }
    }

    @Test
    void aBlobPutRedirectedToAnotherPortWorksAndThatPortNeverSeesAuthorization() throws Exception {
        try (RegistryServer server = RegistryServer.anonymous();
                FaultProxy proxy = FaultProxy.to(server);
                Registry registry = Registry.connect(proxy.host(), "team/app", options(log, password("alice", PASSWORD)))) {
            // The ping asks for Basic, so that every request to the registry's own origin carries Authorization.
            proxy.inject("GET", "^/v2/$", 1, FaultProxy.Fault.status(401,
                    Map.of("WWW-Authenticate", "Basic realm=\"faults\"")));
            FaultProxy.Rule redirect = proxy.inject("PUT", "/blobs/uploads/", 2, FaultProxy.Fault.redirect());

            push(registry, image, "team/app", "1.0");

            assertThat(redirect.hits()).isEqualTo(2);
            List<FaultProxy.Seen> redirected = proxy.requests().stream()
                    .filter(seen -> seen.listener().equals(FaultProxy.REDIRECT)).toList();
            assertThat(redirected).hasSize(2).allMatch(seen -> seen.method().equals("PUT") && seen.status() == 201
                    && !seen.authorization());
            assertThat(proxy.requests()).filteredOn(seen -> seen.listener().equals(FaultProxy.MAIN)
                    && seen.method().equals("PUT")).isNotEmpty().allMatch(FaultProxy.Seen::authorization);
            assertThat(server.tagDigest("team/app", "1.0")).contains(image.manifestDigest());
            assertThat(log.all()).contains("Following a 307 redirect of PUT to http://" + proxy.redirectHost()
                    + ", without Authorization");
        }
    }

    private static byte[] skopeoRaw(String reference, String... options) {
        List<String> command = new java.util.ArrayList<>(List.of("skopeo", "inspect", "--raw", "--tls-verify=false"));
        command.addAll(List.of(options));
        command.add("docker://" + reference);
        return ExternalTools.run(command).assertSuccess().stdout();
    }
}
