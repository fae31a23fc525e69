package org.scratchimage.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.scratchimage.core.registry.PushFixture.blob;
import static org.scratchimage.core.registry.PushFixture.manifest;
import static org.scratchimage.core.registry.PushFixture.options;
import static org.scratchimage.core.registry.PushFixture.password;
import static org.scratchimage.core.registry.PushFixture.push;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.BuildResult;
import org.scratchimage.core.oci.MediaTypes;
import org.scratchimage.core.tar.ExternalTools;
import org.scratchimage.testing.registry.RegistryServer;
import org.scratchimage.testing.registry.TestPki;
import org.scratchimage.testing.registry.TinyImage;
import org.scratchimage.testing.registry.TokenIssuer;

/** The client against Debian's real docker-registry, read back with skopeo. */
class RegistryTest {
    private static final String PASSWORD = "pw-Secr3t-4711";

    @TempDir
    Path dir;

    private BuildResult image;
    private final PushFixture.Log log = new PushFixture.Log();

    @BeforeEach
    void buildTinyImage() throws IOException {
        image = TinyImage.build(dir.resolve("project"), "port=8080\n");
    }

    @Test
    void anAnonymousPushReadsBackAsExactlyOurManifestAndASecondPushUploadsNothing() throws Exception {
        try (RegistryServer server = RegistryServer.anonymous();
                Registry registry = Registry.connect(server.host(), "team/app", options(log))) {
            String digest = push(registry, image, "team/app", "1.0");

            assertThat(digest).isEqualTo(image.manifestDigest());
            assertThat(skopeoRaw(server.host() + "/team/app:1.0", "--tls-verify=false")).isEqualTo(manifest(image));
            assertThat(server.tagDigest("team/app", "1.0")).contains(image.manifestDigest());
            assertThat(registry.credentialSource()).isEqualTo("anonymous");
            assertThat(log.all()).contains("Talking to registry " + server.host() + " at http://" + server.host());
            // A loopback registry is asked in clear text first: no TLS handshake is spent on it.
            assertThat(log.all()).doesNotContain("https://").doesNotContain("does not speak TLS");

            int mark = server.mark();
            push(registry, image, "team/app", "1.0");
            assertThat(server.requestsSince(mark)).noneMatch(RegistryServer.Request::isBlobUpload);
        }
    }

    @Test
    void relativeUploadLocationsAreResolved() throws Exception {
        try (RegistryServer server = RegistryServer.builder().relativeUrls().start();
                Registry registry = Registry.connect(server.host(), "team/app", options(log))) {
            push(registry, image, "team/app", "1.0");

            assertThat(server.tags("team/app")).containsExactly("1.0");
            assertThat(server.hasBlob(image.layerDigest())).isTrue();
        }
    }

    @Test
    void basicAuthWithTheRightPasswordPushesAndAWrongOneNamesTheSourceButNotThePassword() throws Exception {
        try (RegistryServer server = RegistryServer.builder().htpasswd("alice", PASSWORD).start()) {
            try (Registry wrong = Registry.connect(server.host(), "team/app", options(log, password("alice", "not-" + PASSWORD)))) {
                assertThatThrownBy(() -> push(wrong, image, "team/app", "1.0"))
                        .isInstanceOf(RegistryException.class)
                        .hasMessageContaining("registry " + server.host() + " answered 401")
                        .hasMessageContaining("refused the credentials from settings.xml server \"" + server.host())
                        .hasMessageContaining("Fix: correct the user name and password in settings.xml server")
                        .message().doesNotContain(PASSWORD);
            }
            try (Registry anonymous = Registry.connect(server.host(), "team/app", options(log))) {
                assertThatThrownBy(() -> push(anonymous, image, "team/app", "1.0"))
                        .isInstanceOf(RegistryException.class)
                        .hasMessageContaining("none were found for " + server.host())
                        .hasMessageContaining("a settings.xml <server> whose <id> is " + server.host());
            }
            assertThat(server.tags("team/app")).isEmpty();

            try (Registry right = Registry.connect(server.host(), "team/app", options(log, password("alice", PASSWORD)))) {
                push(right, image, "team/app", "1.0");
                assertThat(right.credentialSource()).isEqualTo("settings.xml server \"" + server.host() + "\"");
            }
            assertThat(server.tags("team/app")).containsExactly("1.0");
            assertThat(log.all()).contains("asks for basic authentication").doesNotContain(PASSWORD);
        }
    }

    @Test
    void bearerTokensAreFetchedForTheRepositorysScopeAndNeverLogged() throws Exception {
        TestPki pki = TestPki.create(Files.createDirectories(dir.resolve("pki")));
        try (TokenIssuer issuer = TokenIssuer.builder(pki).user("bob", PASSWORD).rejectBadCredentials().start();
                RegistryServer server = RegistryServer.builder().token(issuer).start();
                Registry registry = Registry.connect(server.host(), "team/app", options(log, password("bob", PASSWORD)))) {
            push(registry, image, "team/app", "1.0");
            List<TokenIssuer.Seen> ours = List.copyOf(issuer.requests());

            assertThat(server.tags("team/app")).containsExactly("1.0");
            assertThat(skopeoRaw(server.host() + "/team/app:1.0", "--tls-verify=false", "--creds", "bob:" + PASSWORD))
                    .isEqualTo(manifest(image));
            // One token serves every request of the push.
            assertThat(ours).hasSize(1).allMatch(seen -> seen.user().equals("bob") && seen.authenticated()
                    && seen.scopes().equals(List.of("repository:team/app:pull,push")));
            assertThat(log.all()).contains("Fetched a token for repository:team/app:pull,push");
            for (String token : issuer.issuedTokens()) {
                assertThat(log.all()).doesNotContain(token);
            }
        }
    }

    @Test
    void aTokenTheRegistryRefusesIsFetchedAgainAndThePushGoesOn() throws Exception {
        TestPki pki = TestPki.create(Files.createDirectories(dir.resolve("pki")));
        try (TokenIssuer issuer = TokenIssuer.builder(pki).user("bob", PASSWORD).rejectBadCredentials().staleTokens(1)
                        .start();
                RegistryServer server = RegistryServer.builder().token(issuer).start();
                Registry registry = Registry.connect(server.host(), "team/app", options(log, password("bob", PASSWORD)))) {
            push(registry, image, "team/app", "1.0");

            assertThat(server.tags("team/app")).containsExactly("1.0");
            assertThat(skopeoRaw(server.host() + "/team/app:1.0", "--tls-verify=false", "--creds", "bob:" + PASSWORD))
                    .isEqualTo(manifest(image));
            // The registry refused the first token on a repository request, and the client asked for another.
            assertThat(server.requests()).anyMatch(request -> request.status() == 401
                    && request.path().startsWith("/v2/team/app/"));
            assertThat(issuer.requests().size()).isGreaterThanOrEqualTo(2);
            assertThat(issuer.requests()).allMatch(seen -> seen.authenticated()
                    && seen.scopes().stream().allMatch(scope -> scope.startsWith("repository:team/app:")));
            for (String token : issuer.issuedTokens()) {
                assertThat(log.all()).doesNotContain(token);
            }
        }
    }

    @Test
    void anIdentityTokenIsExchangedThroughTheOauth2Form() throws Exception {
        TestPki pki = TestPki.create(Files.createDirectories(dir.resolve("pki")));
        String identityToken = "identity-" + PASSWORD;
        CredentialSource docker = registry -> java.util.Optional.of(
                new Credential(null, identityToken, true, "Docker config auths \"" + registry + "\""));
        try (TokenIssuer issuer = TokenIssuer.builder(pki).user("bob", PASSWORD).identityToken(identityToken)
                        .rejectBadCredentials().start();
                RegistryServer server = RegistryServer.builder().token(issuer).start();
                Registry registry = Registry.connect(server.host(), "team/app", options(log, docker))) {
            push(registry, image, "team/app", "1.0");

            assertThat(server.tags("team/app")).containsExactly("1.0");
            assertThat(issuer.requests()).hasSize(1).allMatch(seen -> seen.method().equals("POST")
                    && "refresh_token".equals(seen.grantType()) && seen.authenticated());
            assertThat(log.all()).doesNotContain(identityToken);
        }
    }

    @Test
    void aBearerRegistryRefusingTheCredentialsNamesTheirSource() throws Exception {
        TestPki pki = TestPki.create(Files.createDirectories(dir.resolve("pki")));
        try (TokenIssuer issuer = TokenIssuer.builder(pki).user("bob", PASSWORD).rejectBadCredentials().start();
                RegistryServer server = RegistryServer.builder().token(issuer).start();
                Registry registry = Registry.connect(server.host(), "team/app", options(log, password("bob", "x" + PASSWORD)))) {
            assertThatThrownBy(() -> push(registry, image, "team/app", "1.0"))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("refused a token for repository:team/app:pull,push asked with the "
                            + "credentials from settings.xml server")
                    .message().doesNotContain(PASSWORD);
        }
    }

    @Test
    void tlsIsTrustedThroughATrustStoreAndAnUntrustedCertificateNamesTheFix() throws Exception {
        TestPki pki = TestPki.create(Files.createDirectories(dir.resolve("pki")));
        try (RegistryServer server = RegistryServer.builder().tls(pki).start()) {
            try (Registry untrusted = Registry.connect(server.host(), "team/app", options(log))) {
                assertThatThrownBy(() -> push(untrusted, image, "team/app", "1.0"))
                        .isInstanceOf(RegistryException.class)
                        .hasMessageContaining("The certificate of registry " + server.host() + " ")
                        .hasMessageContaining("is not trusted")
                        .hasMessageContaining("-Djavax.net.ssl.trustStore=")
                        .hasMessageContaining("list " + server.host() + " in <insecureRegistries>");
            }
            try (Registry trusted = Registry.connect(server.host(), "team/app", options(log, pki.sslContext()))) {
                push(trusted, image, "team/app", "1.0");
            }
            assertThat(log.all()).contains("at https://" + server.host())
                    .contains("Registry " + server.host() + " speaks TLS; trying https://" + server.host());
            assertThat(skopeoRaw(server.host() + "/team/app:1.0", "--cert-dir", pki.certDirectory().toString()))
                    .isEqualTo(manifest(image));
        }
    }

    @Test
    void aLargeBlobArrivesIntactOverPlainHttpAndOverTls() throws Exception {
        // 40 MiB: many times the body's pooled buffers, so that each is filled again while others are in flight.
        byte[] noise = new byte[40 << 20];
        new java.util.Random(40).nextBytes(noise);
        Path blob = Files.write(dir.resolve("large-blob"), noise);
        String digest = org.scratchimage.core.compress.DigestingOutputStream.digestOf(noise);
        TestPki pki = TestPki.create(Files.createDirectories(dir.resolve("pki")));
        try (RegistryServer plain = RegistryServer.anonymous();
                RegistryServer tls = RegistryServer.builder().tls(pki).start();
                Registry overPlain = Registry.connect(plain.host(), "team/app", options(log));
                Registry overTls = Registry.connect(tls.host(), "team/app", options(log, pki.sslContext()))) {
            overPlain.uploadBlob("team/app", blob, digest, noise.length);
            overTls.uploadBlob("team/app", blob, digest, noise.length);

            // The registry hashed what it received, and refuses a PUT whose bytes do not match ?digest=.
            assertThat(plain.hasBlob(digest)).isTrue();
            assertThat(tls.hasBlob(digest)).isTrue();
            assertThat(log.all()).contains("at https://" + tls.host()).contains("at http://" + plain.host());
        }
    }

    @Test
    void anInsecureRegistryAcceptsAnyCertificate() throws Exception {
        TestPki pki = TestPki.create(Files.createDirectories(dir.resolve("pki")));
        try (RegistryServer server = RegistryServer.builder().tls(pki).start()) {
            RegistryOptions insecure = new RegistryOptions(List.of(), Set.of(server.host()), List.of(), 3,
                    java.time.Duration.ofMillis(10), java.time.Duration.ofSeconds(5), 4, log);
            try (Registry registry = Registry.connect(server.host(), "team/app", insecure)) {
                push(registry, image, "team/app", "1.0");
            }
            assertThat(server.tags("team/app")).containsExactly("1.0");
            assertThat(log.all()).contains("at https://" + server.host());
            assertThat(log.lines).filteredOn(line -> line.startsWith("warn: ")).containsExactly("warn: Registry "
                    + server.host() + " is in <insecureRegistries>: accepting any certificate from it");
        }
    }

    @Test
    void anUnreachableRegistryNamesHostPortAndCauseWithinSeconds() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        long start = System.nanoTime();
        try (Registry registry = Registry.connect("127.0.0.1:" + port, "team/app", options(log))) {
            assertThatThrownBy(() -> registry.hasBlob("team/app", image.layerDigest()))
                    .isInstanceOf(IOException.class)
                    .hasMessage("cannot reach registry 127.0.0.1:" + port + " at 127.0.0.1:" + port
                            + ": connection refused");
        }
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    }

    @Test
    void aDamagedBlobIsRefusedAndTheRegistryNeverHoldsIt() throws Exception {
        Path layer = blob(image, image.layerDigest());
        byte[] bytes = Files.readAllBytes(layer);
        bytes[bytes.length - 1] ^= 1;
        Path damaged = Files.write(dir.resolve("damaged"), bytes);
        try (RegistryServer server = RegistryServer.anonymous();
                Registry registry = Registry.connect(server.host(), "team/app", options(log))) {
            assertThatThrownBy(() -> registry.uploadBlob("team/app", damaged, image.layerDigest(), bytes.length))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("The layout's blob " + image.layerDigest() + " (" + damaged
                            + ") is damaged: its bytes have the digest sha256:")
                    .hasMessageContaining("Fix: build the image again with scratch:build");
            assertThatThrownBy(() -> registry.uploadBlob("team/app", damaged, image.layerDigest(), bytes.length - 1))
                    .isInstanceOf(RegistryException.class).hasMessageContaining("more than");
            assertThat(server.hasBlob(image.layerDigest())).isFalse();
            assertThat(registry.hasBlob("team/app", image.layerDigest())).isFalse();
        }
    }

    @Test
    void aBlobMountedFromAnotherRepositoryIsNotUploaded() throws Exception {
        try (RegistryServer server = RegistryServer.anonymous();
                Registry registry = Registry.connect(server.host(), "team/app", options(log))) {
            push(registry, image, "team/base", "1.0");

            int mark = server.mark();
            assertThat(registry.mountBlob("team/app", image.layerDigest(), "team/base")).isTrue();
            assertThat(registry.mountBlob("team/app", image.configDigest(), "team/base")).isTrue();
            registry.putManifest("team/app", "1.0", MediaTypes.MANIFEST, manifest(image));
            List<RegistryServer.Request> requests = server.requestsSince(mark);

            assertThat(requests).filteredOn(RegistryServer.Request::isBlobUpload)
                    .allMatch(r -> r.method().equals("POST") && r.path().contains("mount=") && r.status() == 201)
                    .hasSize(2);
            assertThat(server.tags("team/app")).containsExactly("1.0");

            // A blob the source lacks: the registry opens a session instead, which is cancelled.
            String absent = "sha256:" + "0".repeat(64);
            int cancel = server.mark();
            assertThat(registry.mountBlob("team/other", absent, "team/base")).isFalse();
            // Registry 2.8 keeps the session's folder after a cancel, so the access log is the witness.
            assertThat(server.requestsSince(cancel)).anyMatch(r -> r.method().equals("DELETE")
                    && r.path().startsWith("/v2/team/other/blobs/uploads/") && r.status() == 204);
        }
    }

    @Test
    void theRegistrysOwnErrorIsQuoted() throws Exception {
        try (RegistryServer server = RegistryServer.anonymous();
                Registry registry = Registry.connect(server.host(), "team/app", options(log))) {
            // The manifest of blobs the registry lacks: what a push that skipped a blob would send.
            assertThatThrownBy(() -> registry.putManifest("team/app", "1.0", MediaTypes.MANIFEST, manifest(image)))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("registry " + server.host() + " answered 400 to PUT manifest team/app:1.0: ")
                    .hasMessageContaining("MANIFEST_BLOB_UNKNOWN: blob unknown to registry");
            assertThat(server.tags("team/app")).isEmpty();
            // A name the registry's routes do not take: a plain-text 404, not JSON.
            Path layer = blob(image, image.layerDigest());
            assertThatThrownBy(() -> registry.uploadBlob("Team/App", layer, image.layerDigest(), Files.size(layer)))
                    .isInstanceOf(RegistryException.class)
                    .hasMessage("registry " + server.host() + " answered 404 to POST blob upload: 404 page not "
                            + "found. The registry does not know the repository Team/App. Fix: create the "
                            + "repository Team/App in " + server.host() + " first, or correct the name in <image> "
                            + "or <to>");
        }
    }

    private static byte[] skopeoRaw(String reference, String... options) {
        List<String> command = new java.util.ArrayList<>(List.of("skopeo", "inspect", "--raw"));
        command.addAll(List.of(options));
        command.add("docker://" + reference);
        return ExternalTools.run(command).assertSuccess().stdout();
    }
}
