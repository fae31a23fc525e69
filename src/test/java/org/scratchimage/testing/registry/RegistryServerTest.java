package org.scratchimage.testing.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    void aTokenRegistryTakesThePushOfTheIssuersUserWithTheScopesItAskedFor() throws Exception {
        try (TokenIssuer issuer = TokenIssuer.builder(TestPki.shared()).user("bob", "t0ken-pw").start();
                RegistryServer registry = RegistryServer.builder().token(issuer).start()) {
            String target = registry.host() + "/team/app:1.0";
            ExternalTools.Result anonymous = copy(List.of("--dest-tls-verify=false"), target);
            assertThat(anonymous.exitCode()).as("a token granting nothing").isNotZero();
            assertThat(registry.tags("team/app")).isEmpty();

            copy(List.of("--dest-tls-verify=false", "--dest-creds", "bob:t0ken-pw"), target).assertSuccess();

            assertThat(registry.tags("team/app")).containsExactly("1.0");
            assertThat(issuer.requests()).anyMatch(r -> r.authenticated() && r.service().equals("test-registry")
                    && r.scopes().contains("repository:team/app:pull,push"));
            assertThat(issuer.requests()).anyMatch(r -> !r.authenticated() && r.user() == null);
            assertThat(issuer.issuedTokens()).hasSize(issuer.requestCount());
            assertThat(registry.requests()).anyMatch(r -> r.status() == 401);
        }
    }

    @Test
    void theTokenIssuerAnswersTheOAuthFormForPasswordsAndIdentityTokens() throws Exception {
        try (TokenIssuer issuer = TokenIssuer.builder(TestPki.shared()).user("bob", "t0ken-pw")
                        .identityToken("identity-token-value").rejectBadCredentials().start();
                RegistryServer registry = RegistryServer.builder().token(issuer).start()) {
            copy(List.of("--dest-tls-verify=false", "--dest-creds", "bob:t0ken-pw"),
                    registry.host() + "/team/app:1.0").assertSuccess();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

            Map<String, Object> password = post(client, issuer, "grant_type=password&username=bob"
                    + "&password=t0ken-pw&access_type=offline&service=test-registry&client_id=test"
                    + "&scope=repository%3Ateam%2Fapp%3Apull");
            Map<String, Object> refresh = post(client, issuer, "grant_type=refresh_token"
                    + "&refresh_token=identity-token-value&service=test-registry&client_id=test"
                    + "&scope=repository%3Ateam%2Fapp%3Apull");
            HttpResponse<String> wrong = client.send(HttpRequest.newBuilder(URI.create(issuer.realm()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token=other"
                            + "&service=test-registry&client_id=test")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(password.get("refresh_token")).isEqualTo("identity-token-value");
            assertThat(wrong.statusCode()).isEqualTo(401);
            for (Map<String, Object> answer : List.of(password, refresh)) {
                String token = (String) answer.get("access_token");
                assertThat(issuer.issuedTokens()).contains(token);
                HttpResponse<String> tags = client.send(HttpRequest.newBuilder(
                                URI.create(registry.url() + "/v2/team/app/tags/list"))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(tags.statusCode()).as("tags with the token: %s", tags.body()).isEqualTo(200);
                assertThat(tags.body()).contains("\"1.0\"");
            }
        }
    }

    @Test
    void theIssuersPermitsAndLifetimeDecideWhatTheRegistryAccepts() throws Exception {
        try (TokenIssuer issuer = TokenIssuer.builder(TestPki.shared()).user("bob", "t0ken-pw")
                        .permit("team/app", "pull", "push").start();
                RegistryServer registry = RegistryServer.builder().token(issuer).start()) {
            ExternalTools.Result other = copy(List.of("--dest-tls-verify=false", "--dest-creds", "bob:t0ken-pw"),
                    registry.host() + "/team/other:1.0");
            assertThat(other.exitCode()).as("no permit for team/other").isNotZero();
            assertThat(registry.tags("team/other")).isEmpty();
            copy(List.of("--dest-tls-verify=false", "--dest-creds", "bob:t0ken-pw"),
                    registry.host() + "/team/app:1.0").assertSuccess();

            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(
                    "bob:t0ken-pw".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            URI tokenUri = URI.create(issuer.realm() + "?service=test-registry&scope=repository%3Ateam%2Fapp%3Apull");
            URI tagsUri = URI.create(registry.url() + "/v2/team/app/tags/list");
            issuer.tokenLifetime(Duration.ofMinutes(-2));
            String expired = (String) new ObjectMapper().readValue(client.send(HttpRequest.newBuilder(tokenUri)
                    .header("Authorization", basic).build(), HttpResponse.BodyHandlers.ofString()).body(),
                    Map.class).get("token");
            HttpResponse<String> refused = client.send(HttpRequest.newBuilder(tagsUri)
                    .header("Authorization", "Bearer " + expired).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge ->
                    assertThat(challenge).startsWith("Bearer realm=\"" + issuer.realm() + "\""));
        }
    }

    @Test
    void aRegistryWithRelativeUrlsAnswersRelativeUploadLocations() throws Exception {
        try (RegistryServer registry = RegistryServer.builder().relativeUrls().start()) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<Void> started = client.send(HttpRequest.newBuilder(URI.create(registry.url()
                    + "/v2/team/app/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());

            assertThat(started.statusCode()).isEqualTo(202);
            assertThat(started.headers().firstValue("Location")).hasValueSatisfying(
                    location -> assertThat(location).startsWith("/v2/team/app/blobs/uploads/"));
            assertThat(registry.uploadsInProgress("team/app")).hasSize(1);
        }
    }

    @Test
    void aTlsRegistryIsTrustedThroughThePkiOnly() throws Exception {
        TestPki pki = TestPki.shared();
        try (RegistryServer registry = RegistryServer.builder().tls(pki).start()) {
            String target = registry.host() + "/team/app:1.0";
            assertThat(registry.url()).isEqualTo("https://" + registry.host());
            ExternalTools.Result untrusted = copy(List.of(), target);
            assertThat(untrusted.exitCode()).isNotZero();
            assertThat(untrusted.stderr()).contains("certificate");

            int mark = registry.mark();
            copy(List.of("--dest-cert-dir", pki.certDirectory().toString()), target).assertSuccess();

            assertThat(registry.tags("team/app")).containsExactly("1.0");
            assertThat(registry.requestsSince(mark)).anyMatch(RegistryServer.Request::isBlobUpload);
            assertThat(inspectRaw(List.of("--cert-dir", pki.certDirectory().toString()), target))
                    .contains(image.layerDigest());
            HttpClient client = HttpClient.newBuilder().sslContext(pki.sslContext()).build();
            HttpResponse<String> base = client.send(HttpRequest.newBuilder(URI.create(registry.url() + "/v2/"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(base.statusCode()).isEqualTo(200);
        }
    }

    private static Map<String, Object> post(HttpClient client, TokenIssuer issuer, String form) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(issuer.realm()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s", response.body()).isEqualTo(200);
        return new ObjectMapper().readValue(response.body(), new TypeReference<Map<String, Object>>() {});
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
