package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.oci.LayoutReader;
import org.scratchimage.core.tar.ExternalTools;
import org.scratchimage.testing.registry.AnonymousRegistryTest;
import org.scratchimage.testing.registry.RegistryServer;

/**
 * Pushes layouts that {@link ImageBuilder} wrote to Debian's real registry (anonymous, plain HTTP on loopback), and
 * reads them back with skopeo, an independent client.
 */
class ImagePusherTest extends AnonymousRegistryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path project;

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @Test
    void pushesBothTagsWithTheLayoutsExactManifestAndASecondPushUploadsNoBlob() throws Exception {
        String image = registry.host() + "/team/app";
        BuildResult built = build(image, "1.0", "latest");
        Path imageFile = project.resolve("target/scratch-image.json");

        PushResult first = push(PushRequest.builder().outputDirectory(built.layout()).imageFile(imageFile));

        byte[] manifest = Files.readAllBytes(built.layout().resolve("blobs/sha256")
                .resolve(built.manifestDigest().substring(7)));
        assertThat(first.pushed()).extracting(p -> p.reference().toString())
                .containsExactly(image + ":1.0", image + ":latest");
        PushResult.Pushed tag = first.pushed().get(0);
        assertThat(tag.digest()).isEqualTo(built.manifestDigest());
        assertThat(tag.uploaded()).isEqualTo(1 + built.layers().size());
        assertThat(tag.present()).isZero();
        assertThat(tag.bytesSent()).isEqualTo(built.layersSize() + configSize(built));
        for (String t : List.of("1.0", "latest")) {
            ExternalTools.Result raw = skopeo("inspect", "--raw", "--tls-verify=false", "docker://" + image + ":" + t);
            assertThat(raw.stdout()).as("skopeo inspect --raw of %s", t).isEqualTo(manifest);
        }
        Path copy = project.resolve("copy");
        skopeo("copy", "--src-tls-verify=false", "docker://" + image + ":1.0", "oci:" + copy + ":1.0");
        assertThat(JSON.readTree(copy.resolve("index.json").toFile()).path("manifests").get(0).path("digest").asText())
                .isEqualTo(built.manifestDigest());
        assertThat(log).contains("Pushed " + image + ":1.0: manifest " + built.manifestDigest() + ", blobs "
                + tag.uploaded() + " uploaded, 0 mounted, 0 already present, " + Sizes.human(tag.bytesSent()) + " sent");
        assertThat(log).contains("Registry " + registry.host() + ": no credentials, anonymous");
        JsonNode metadata = JSON.readTree(imageFile.toFile());
        StringBuilder layers = new StringBuilder();
        for (BuildResult.Layer layer : built.layers()) {
            layers.append(layers.length() == 0 ? "" : ",").append("{\"name\":\"").append(layer.name())
                    .append("\",\"digest\":\"").append(layer.digest()).append("\",\"size\":").append(layer.size())
                    .append(",\"diff_id\":\"").append(layer.diffId()).append("\"}");
        }
        // The layers come from the layout: no build wrote the file before this push.
        assertThat(metadata.toString()).isEqualTo("{\"image\":\"" + image + "\",\"tags\":[\"1.0\",\"latest\"],"
                + "\"digest\":\"" + built.manifestDigest() + "\",\"platform\":\"linux/amd64\",\"layers\":[" + layers
                + "],\"pushed\":[\""
                + image + ":1.0@" + built.manifestDigest() + "\",\"" + image + ":latest@" + built.manifestDigest()
                + "\"]}");

        int mark = registry.mark();
        java.util.Map<String, Object> written = Files.readAttributes(imageFile, "unix:ino,ctime");
        PushResult second = push(PushRequest.builder().outputDirectory(built.layout()).imageFile(imageFile));

        List<RegistryServer.Request> requests = registry.requestsSince(mark);
        assertThat(requests).as("the registry's access log of the second push").noneMatch(
                RegistryServer.Request::isBlobUpload);
        assertThat(requests).filteredOn(r -> r.method().equals("PUT")).extracting(RegistryServer.Request::path)
                .containsExactly("/v2/team/app/manifests/1.0", "/v2/team/app/manifests/latest");
        assertThat(second.pushed().get(0).uploaded()).isZero();
        assertThat(second.pushed().get(0).present()).isEqualTo(1 + built.layers().size());
        assertThat(second.pushed().get(0).bytesSent()).isZero();
        assertThat(JSON.readTree(imageFile.toFile()).path("pushed")).hasSize(2);
        // Nothing new to say: the file is not written again, so an unchanged build still trusts its stamp.
        assertThat(Files.readAttributes(imageFile, "unix:ino,ctime")).isEqualTo(written);
    }

    @Test
    void toPushesToASecondRepositoryOfTheRegistryByMountingNotUploadingAgain() throws Exception {
        BuildResult built = build("myapp", "1.0");
        String a = registry.host() + "/mount/a:1.0";
        String b = registry.host() + "/mount/b:2.0";

        int mark = registry.mark();
        PushResult result = push(PushRequest.builder().outputDirectory(built.layout()).to(List.of(a, " " + b)));

        assertThat(result.pushed()).extracting(p -> p.reference().toString()).containsExactly(a, b);
        int blobs = 1 + built.layers().size();
        assertThat(result.pushed().get(1).mounted()).isEqualTo(blobs);
        assertThat(result.pushed().get(1).uploaded()).isZero();
        List<RegistryServer.Request> uploads = registry.requestsSince(mark).stream()
                .filter(RegistryServer.Request::isBlobUpload).toList();
        assertThat(uploads).filteredOn(r -> r.path().startsWith("/v2/mount/b/")).hasSize(blobs)
                .allMatch(r -> r.method().equals("POST") && r.path().contains("mount=") && r.status() == 201);
        assertThat(registry.tagDigest("mount/b", "2.0")).contains(built.manifestDigest());
        assertThat(registry.tags("mount/a")).containsExactly("1.0");
    }

    @Test
    void theSbomFollowsTheImageByDigestAndTheTagFallbackListsEveryReferrerOfTheImage() throws Exception {
        String image = registry.host() + "/sbom/app";
        BuildRequest.Builder request = PlanningFixtures.settledTreeAndScript(project).image(image)
                .tags(List.of("1.0")).sbomFile(Path.of("target/sbom.json")).project(SbomTest.PROJECT);
        BuildResult built = new ImageBuilder(line -> {}).build(request.build());
        String fallback = "sha256-" + built.manifestDigest().substring(7);

        int mark = registry.mark();
        push(PushRequest.builder().outputDirectory(built.layout()));

        // The image's manifest first, then the referrer's blobs and manifest by digest, then the fallback tag: Debian's
        // registry (distribution 2.8) has no referrers API and answers without OCI-Subject.
        assertThat(registry.requestsSince(mark)).filteredOn(r -> r.method().equals("PUT") && r.path().contains(
                "/manifests/")).extracting(RegistryServer.Request::path).containsExactly("/v2/sbom/app/manifests/1.0",
                "/v2/sbom/app/manifests/" + built.sbom().referrer(), "/v2/sbom/app/manifests/" + fallback);
        byte[] referrer = Files.readAllBytes(SbomTest.blob(built.layout(), built.sbom().referrer()));
        assertThat(skopeo("inspect", "--raw", "--tls-verify=false", "docker://" + image + "@" + built.sbom().referrer())
                .stdout()).isEqualTo(referrer);
        JsonNode index = JSON.readTree(skopeo("inspect", "--raw", "--tls-verify=false",
                "docker://" + image + ":" + fallback).stdout());
        assertThat(index.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
        assertThat(index.path("manifests")).hasSize(1);
        JsonNode entry = index.path("manifests").get(0);
        assertThat(entry.path("digest").asText()).isEqualTo(built.sbom().referrer());
        assertThat(entry.path("size").asLong()).isEqualTo(referrer.length);
        assertThat(entry.path("artifactType").asText()).isEqualTo("application/spdx+json");
        assertThat(log).contains("Pushed the SBOM of " + image + ":1.0: manifest " + built.sbom().referrer()
                + ", listed by tag " + fallback);
        // The SBOM's bytes came along: the referrer's layer, read back with skopeo as the layout holds it.
        Path copy = project.resolve("pulled");
        skopeo("copy", "--src-tls-verify=false", "docker://" + image + "@" + built.sbom().referrer(),
                "oci:" + copy + ":sbom");
        assertThat(Files.readAllBytes(SbomTest.blob(copy, built.sbom().digest())))
                .isEqualTo(Files.readAllBytes(built.sbom().file()));

        // Pushed again: nothing uploaded, and the fallback index, which lists it already, not put again.
        mark = registry.mark();
        push(PushRequest.builder().outputDirectory(built.layout()));
        assertThat(registry.requestsSince(mark)).noneMatch(RegistryServer.Request::isBlobUpload)
                .noneMatch(r -> r.method().equals("PUT") && r.path().endsWith(fallback));

        // Another SBOM of the same image (another project version) joins the first in the fallback index.
        BuildResult other = new ImageBuilder(line -> {}).build(request.project(
                new org.scratchimage.core.sbom.MavenCoordinates("org.example", "myapp", "1.1")).build());
        assertThat(other.manifestDigest()).isEqualTo(built.manifestDigest());
        push(PushRequest.builder().outputDirectory(other.layout()));
        JsonNode merged = JSON.readTree(skopeo("inspect", "--raw", "--tls-verify=false",
                "docker://" + image + ":" + fallback).stdout());
        assertThat(merged.path("manifests").findValuesAsText("digest"))
                .containsExactly(built.sbom().referrer(), other.sbom().referrer());
    }

    private BuildResult build(String image, String... tags) throws Exception {
        return new ImageBuilder(line -> {}).build(PlanningFixtures.settledTreeAndScript(project).image(image)
                .tags(List.of(tags)).build());
    }

    private PushResult push(PushRequest.Builder request) throws Exception {
        return new ImagePusher(new PushListener() {
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
        }).push(request.build());
    }

    private static long configSize(BuildResult built) throws Exception {
        return LayoutReader.read(built.layout()).images().get(0).config().size();
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
