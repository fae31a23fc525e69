package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.PlanningFixtures.assertInvalid;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scratchimage.core.image.Compression;
import org.scratchimage.core.image.ContainerConfig;
import org.scratchimage.core.image.ImagePlan;
import org.scratchimage.core.image.Platform;

/** Validation of everything but the layer's entries, through {@link ImagePlanner#plan}. */
class ImagePlannerTest {
    @TempDir
    Path base;

    private PlanningFixtures request;

    @BeforeEach
    void validRequest() {
        request = new PlanningFixtures(base);
    }

    @Test
    void aMinimalRequestPlansAnImageWithDefaults() throws Exception {
        ImagePlan plan = request.plan();

        assertThat(plan.image()).isEqualTo("myapp");
        assertThat(plan.tags()).containsExactly("1.0");
        assertThat(plan.platform()).isEqualTo(new Platform("linux", "amd64", null));
        assertThat(plan.created()).isEqualTo(Instant.parse("1970-01-01T00:00:01Z"));
        assertThat(plan.compression()).isEqualTo(Compression.GZIP);
        assertThat(plan.annotations()).isEmpty();
        ContainerConfig config = plan.config();
        assertThat(config.user()).isNull();
        assertThat(config.workingDirectory()).isNull();
        assertThat(config.stopSignal()).isNull();
        assertThat(config.entrypoint()).isEmpty();
        assertThat(config.cmd()).isEmpty();
        assertThat(config.environment()).isEmpty();
        assertThat(config.exposedPorts()).isEmpty();
        assertThat(config.volumes()).isEmpty();
        assertThat(config.labels()).isEmpty();
    }

    @Test
    void theTimestampComesFromOutputTimestampThenSourceDateEpoch() throws Exception {
        request.sourceDateEpoch = "1570300662";
        assertThat(request.plan().created()).isEqualTo(Instant.parse("2019-10-05T18:37:42Z"));

        request.outputTimestamp = "2023-11-14T22:13:20+01:00";
        assertThat(request.plan().created()).isEqualTo(Instant.parse("2023-11-14T21:13:20Z"));
    }

    @Test
    void anUnparsableTimestampFailsThePlan() {
        request.outputTimestamp = "last tuesday";

        assertInvalid(request::plan, "<outputTimestamp> (project.build.outputTimestamp)", "last tuesday");
    }

    @Test
    void tagsKeepTheirDeclaredOrder() throws Exception {
        request.tags = List.of("latest", "1.0", "1");

        assertThat(request.plan().tags()).containsExactly("latest", "1.0", "1");
    }

    @ParameterizedTest
    @ValueSource(strings = {":x", "-a", ".hidden", "1.0 ", "a/b"})
    void aBadTagIsRejectedWithItsPosition(String tag) {
        request.tags = List.of("1.0", tag);

        assertInvalid(request::plan, "<tags>/<tag>[2]", tag);
    }

    @Test
    void aTagOf129CharactersIsRejected() {
        String tag = "t".repeat(129);
        request.tags = List.of(tag);

        assertInvalid(request::plan, "<tags>/<tag>[1]", tag);
    }

    @Test
    void aDuplicateTagIsRejected() {
        request.tags = List.of("1.0", "latest", "1.0");

        InvalidConfigurationException e = assertInvalid(request::plan, "<tags>/<tag>[3]", "1.0");
        assertThat(e.getMessage()).contains("twice");
    }

    @Test
    void anEmptyTagListIsRejected() {
        request.tags = List.of();

        InvalidConfigurationException e = assertInvalid(request::plan, "<tags>", null);
        assertThat(e.getMessage()).contains("is empty");
    }

    @Test
    void aMissingTagInTheListIsRejected() {
        request.tags = Arrays.asList("1.0", null);

        assertInvalid(request::plan, "<tags>/<tag>[2]", "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Upper", "my app", "myapp/"})
    void aBadImageNameIsRejected(String image) {
        request.image = image;

        assertInvalid(request::plan, "<image>", image);
    }

    @Test
    void anImageNameWithATagPointsToTags() {
        request.image = "myapp:1.0";

        InvalidConfigurationException e = assertInvalid(request::plan, "<image>", "myapp:1.0");
        assertThat(e.fix()).contains("<tags>").contains("myapp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"linux", "linux/x64", "windows/amd64/zz"})
    void aBadPlatformIsRejected(String platform) {
        request.platform = platform;

        assertInvalid(request::plan, "<platform>", platform);
    }

    @Test
    void anUnsetPlatformIsTheHostArchitectureInGoNames() throws Exception {
        request.platform = null;
        request.hostArchitecture = "aarch64";

        assertThat(request.plan().platform()).isEqualTo(new Platform("linux", "arm64", null));
    }

    @Test
    void compressionIsGzipByDefaultOrNone() throws Exception {
        request.compression = "";
        assertThat(request.plan().compression()).isEqualTo(Compression.GZIP);
        request.compression = "gzip";
        assertThat(request.plan().compression()).isEqualTo(Compression.GZIP);
        request.compression = "none";
        assertThat(request.plan().compression()).isEqualTo(Compression.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ZSTD", "GZIP", "bzip2", "tar", "xz"})
    void anUnsupportedCompressionIsRejected(String compression) {
        request.compression = compression;

        InvalidConfigurationException e = assertInvalid(request::plan, "<compression>", compression);
        assertThat(e.fix()).contains("gzip").contains("zstd").contains("none");
    }

    @Test
    void portsAreNormalisedSortedAndDeduplicated() throws Exception {
        request.ports.addAll(List.of("8080", "53/udp", "8080/tcp", "443"));

        assertThat(request.plan().config().exposedPorts()).containsExactly("443/tcp", "53/udp", "8080/tcp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "70000", "80/icmp"})
    void aBadPortIsRejectedWithItsPosition(String port) {
        request.ports.addAll(List.of("8080", port));

        assertInvalid(request::plan, "<ports>/<port>[2]", port);
    }

    @Test
    void environmentIsSortedByName() throws Exception {
        request.environment.put("PATH", "/bin");
        request.environment.put("JAVA_OPTS", "-Xmx1g");
        request.environment.put("A", null);
        request.environment.put("Z_LAST", "z");

        assertThat(new ArrayList<>(request.plan().config().environment().entrySet()))
                .extracting(e -> e.getKey() + "=" + e.getValue())
                .containsExactly("A=", "JAVA_OPTS=-Xmx1g", "PATH=/bin", "Z_LAST=z");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1A", "A-B"})
    void aBadEnvironmentNameIsRejected(String name) {
        request.environment.put("PATH", "/bin");
        request.environment.put(name, "x");

        assertInvalid(request::plan, "<environment>/<" + name + ">", name);
    }

    @Test
    void aBadStopSignalIsRejected() {
        request.stopSignal = "SIGFOO";

        assertInvalid(request::plan, "<stopSignal>", "SIGFOO");
    }

    @Test
    void userAndStopSignalAreKeptAsWritten() throws Exception {
        request.user = "65532:65532";
        request.stopSignal = "SIGINT";

        ContainerConfig config = request.plan().config();
        assertThat(config.user()).isEqualTo("65532:65532");
        assertThat(config.stopSignal()).isEqualTo("SIGINT");
    }

    @Test
    void volumesAndWorkingDirectoryAreNormalisedAbsolutePaths() throws Exception {
        request.volumes.addAll(List.of("/var/log/", "/data"));
        request.workingDirectory = "/srv/app/";

        ContainerConfig config = request.plan().config();
        assertThat(config.volumes()).containsExactly("/data", "/var/log");
        assertThat(config.workingDirectory()).isEqualTo("/srv/app");
    }

    @Test
    void aRelativeVolumeIsRejected() {
        request.volumes.addAll(List.of("/data", "cache"));

        assertInvalid(request::plan, "<volumes>/<volume>[2]", "cache");
    }

    @ParameterizedTest
    @ValueSource(strings = {"app", "./app", "/srv/../app"})
    void aWorkingDirectoryThatIsNotANormalisedAbsolutePathIsRejected(String directory) {
        request.workingDirectory = directory;

        assertInvalid(request::plan, "<workingDirectory>", directory);
    }

    @Test
    void entrypointAndCmdKeepEmptyArgumentsButTheProgramMustBeNamed() throws Exception {
        request.entrypoint = List.of("/bin/app", "");
        request.cmd = Arrays.asList("--flag", null);
        ContainerConfig config = request.plan().config();
        assertThat(config.entrypoint()).containsExactly("/bin/app", "");
        assertThat(config.cmd()).containsExactly("--flag", "");

        request.entrypoint = Arrays.asList((String) null);
        assertInvalid(request::plan, "<entrypoint>/<arg>[1]", "");
    }

    @Test
    void labelsAndAnnotationsAreSorted() throws Exception {
        request.labels.put("team", "infra");
        request.labels.put("app", null);
        request.annotations.put("org.opencontainers.image.source", "https://example.org/repo");
        request.annotations.put("com.example.a", "1");

        ImagePlan plan = request.plan();
        assertThat(new ArrayList<>(plan.config().labels().keySet())).containsExactly("app", "team");
        assertThat(plan.config().labels()).containsEntry("app", "");
        assertThat(new ArrayList<>(plan.annotations().keySet()))
                .containsExactly("com.example.a", "org.opencontainers.image.source");
    }

    @Test
    void theCreatedAnnotationIsReservedForTheBuildTimestamp() {
        request.annotations.put("org.opencontainers.image.created", "2020-01-01T00:00:00Z");

        InvalidConfigurationException e = assertInvalid(request::plan,
                "<annotations>/<org.opencontainers.image.created>", "2020-01-01T00:00:00Z");
        assertThat(e.fix()).contains("<outputTimestamp>");
    }

    @Test
    void entryErrorsSurfaceThroughThePlan() {
        request.binary(base.resolve("missing").toString(), "/bin/app");

        assertInvalid(request::plan, "<binaries>/<binary>[1]/<source>", base.resolve("missing").toString());
    }
}
