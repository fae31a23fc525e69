package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.scratchimage.core.oci.MultiPlatformLayouts.AMD64;
import static org.scratchimage.core.oci.MultiPlatformLayouts.ARM64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.oci.Descriptor;
import org.scratchimage.core.oci.MultiPlatformLayouts;
import org.scratchimage.core.tar.ExternalTools;
import org.scratchimage.testing.registry.FaultProxy;
import org.scratchimage.testing.registry.AnonymousRegistryTest;
import org.scratchimage.testing.registry.RegistryServer;

/**
 * Pushes the layout of a multi-platform image to Debian's real registry: every blob, each platform's manifest by
 * digest, then the image index under each tag, then each platform's SBOM; read back with skopeo.
 */
class MultiPlatformPushTest extends AnonymousRegistryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @Test
    void theManifestsGoByDigestThenTheIndexUnderEachTagThenTheSbomsAndClientsPickTheirPlatform() throws Exception {
        String image = registry.host() + "/multi/app";
        Path layout = temp.resolve("oci");
        MultiPlatformLayouts.Written written = MultiPlatformLayouts.write(layout, image, List.of("1.0", "latest"),
                List.of(AMD64, ARM64), true);
        Path imageFile = temp.resolve("target/scratch-image.json");

        int mark = registry.mark();
        PushResult result = new ImagePusher(listener()).push(PushRequest.builder().outputDirectory(layout)
                .imageFile(imageFile).build());

        String amd64 = written.manifests().get(0).digest();
        String arm64 = written.manifests().get(1).digest();
        List<RegistryServer.Request> requests = registry.requestsSince(mark);
        assertThat(requests).filteredOn(r -> r.method().equals("PUT") && r.path().contains("/manifests/"))
                .extracting(RegistryServer.Request::path).containsExactly(
                        "/v2/multi/app/manifests/" + amd64, "/v2/multi/app/manifests/" + arm64,
                        "/v2/multi/app/manifests/1.0", "/v2/multi/app/manifests/latest",
                        "/v2/multi/app/manifests/" + written.referrers().get(0).digest(),
                        "/v2/multi/app/manifests/sha256-" + amd64.substring(7),
                        "/v2/multi/app/manifests/" + written.referrers().get(1).digest(),
                        "/v2/multi/app/manifests/sha256-" + arm64.substring(7));
        // The shared layer is uploaded once: two configs, two own layers, one shared; then the SBOMs' three blobs.
        assertThat(requests).filteredOn(r -> r.method().equals("PUT") && r.isBlobUpload()).hasSize(5 + 3);
        assertThat(result.pushed()).extracting(p -> p.reference() + "@" + p.digest()).containsExactly(
                image + ":1.0@" + written.index().digest(), image + ":latest@" + written.index().digest());
        assertThat(result.pushed().get(0).uploaded()).isEqualTo(5);

        byte[] index = Files.readAllBytes(layout.resolve("blobs/sha256").resolve(written.index().hex()));
        for (String tag : List.of("1.0", "latest")) {
            assertThat(skopeo("inspect", "--raw", "--tls-verify=false", "docker://" + image + ":" + tag).stdout())
                    .as("skopeo inspect --raw of %s", tag).isEqualTo(index);
        }
        // skopeo's Digest is the index's; the layers and architecture are the picked platform's.
        for (int i = 0; i < 2; i++) {
            String arch = i == 0 ? "amd64" : "arm64";
            JsonNode picked = JSON.readTree(skopeo("--override-arch", arch, "inspect", "--tls-verify=false",
                    "docker://" + image + ":1.0").stdout());
            assertThat(picked.path("Architecture").asText()).isEqualTo(arch);
            assertThat(picked.path("Layers").get(1).asText()).isEqualTo(layerOf(layout, written.manifests().get(i)));
        }
        // Every blob of both platforms is there: skopeo copies the whole index and checks each digest.
        skopeo("copy", "--all", "--src-tls-verify=false", "docker://" + image + ":1.0", "oci:" + temp.resolve("copy")
                + ":1.0");
        assertThat(log).contains("Pushed the SBOM of " + image + ":1.0 (linux/arm64/v8): manifest "
                + written.referrers().get(1).digest() + ", listed by tag sha256-" + arm64.substring(7));

        JsonNode metadata = JSON.readTree(imageFile.toFile());
        assertThat(metadata.path("digest").asText()).isEqualTo(written.index().digest());
        assertThat(metadata.has("platform")).isFalse();
        assertThat(metadata.has("layers")).isFalse();
        assertThat(metadata.path("manifests").findValuesAsText("platform")).containsExactly("linux/amd64",
                "linux/arm64/v8");
        assertThat(metadata.path("manifests").get(0).path("digest").asText()).isEqualTo(amd64);
        assertThat(metadata.path("manifests").get(1).path("digest").asText()).isEqualTo(arm64);
        assertThat(metadata.path("manifests").get(1).path("layers").findValuesAsText("digest"))
                .containsExactly(written.sharedLayer().digest(), layerOf(layout, written.manifests().get(1)));
        assertThat(metadata.path("pushed").get(0).asText()).isEqualTo(image + ":1.0@" + written.index().digest());
    }

    @Test
    void toPushesTheIndexToAnotherRepositoryMountingItsBlobs() throws Exception {
        Path layout = temp.resolve("oci");
        MultiPlatformLayouts.Written written = MultiPlatformLayouts.write(layout, "myapp", List.of("1.0"),
                List.of(AMD64, ARM64), false);
        String a = registry.host() + "/to/a:1.0";
        String b = registry.host() + "/to/b:2.0";

        PushResult result = new ImagePusher(listener()).push(PushRequest.builder().outputDirectory(layout)
                .to(List.of(a, b)).build());

        assertThat(result.pushed()).extracting(p -> p.digest()).containsOnly(written.index().digest());
        assertThat(result.pushed().get(1).mounted()).isEqualTo(5);
        assertThat(registry.tagDigest("to/b", "2.0")).contains(written.index().digest());
    }

    @Test
    void aFailureAtTheSecondPlatformsManifestLeavesNoTag() throws Exception {
        Path layout = temp.resolve("oci");
        MultiPlatformLayouts.Written written;
        try (FaultProxy proxy = FaultProxy.to(registry)) {
            written = MultiPlatformLayouts.write(layout, proxy.host() + "/fail/app", List.of("1.0"),
                    List.of(AMD64, ARM64), true);
            FaultProxy.Rule rule = proxy.injectAlways("PUT", "/manifests/" + written.manifests().get(1).digest(),
                    FaultProxy.Fault.drop());

            assertThatThrownBy(() -> new ImagePusher(listener()).push(PushRequest.builder().outputDirectory(layout)
                    .build())).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("PUT of manifest fail/app@" + written.manifests().get(1).digest());
            assertThat(rule.hits()).isEqualTo(3);
        }
        assertThat(registry.tags("fail/app")).isEmpty();
        assertThat(registry.hasBlob(written.sharedLayer().digest())).isTrue();
    }

    private static String layerOf(Path layout, Descriptor manifest) throws IOException {
        return JSON.readTree(layout.resolve("blobs/sha256").resolve(manifest.hex()).toFile()).path("layers").get(1)
                .path("digest").asText();
    }

    private PushListener listener() {
        return new PushListener() {
            @Override
            public void info(String message) {
                log.add(message);
            }

            @Override
            public void debug(String message) {
                log.add(message);
            }

            @Override
            public void warn(String message) {
                log.add(message);
            }
        };
    }

    private static ExternalTools.Result skopeo(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add("skopeo");
        command.addAll(List.of(arguments));
        ExternalTools.Result result = ExternalTools.run(command);
        assertThat(result.exitCode()).as("skopeo %s: %s", List.of(arguments), result.stderr()).isZero();
        return result;
    }
}
