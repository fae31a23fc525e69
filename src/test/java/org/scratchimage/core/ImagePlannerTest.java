package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.scratchimage.core.PlanningFixtures.assertInvalid;
import static org.scratchimage.core.PlanningFixtures.binary;
import static org.scratchimage.core.PlanningFixtures.file;
import static org.scratchimage.core.PlanningFixtures.plan;
import static org.scratchimage.core.PlanningFixtures.requestIn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    private BuildRequest.Builder request;

    @BeforeEach
    void validRequest() {
        request = requestIn(base);
    }

    @Test
    void aMinimalRequestPlansAnImageWithDefaults() throws Exception {
        ImagePlan plan = plan(request);

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
        request.sourceDateEpoch("1570300662");
        assertThat(plan(request).created()).isEqualTo(Instant.parse("2019-10-05T18:37:42Z"));

        request.outputTimestamp("2023-11-14T22:13:20+01:00");
        assertThat(plan(request).created()).isEqualTo(Instant.parse("2023-11-14T21:13:20Z"));
    }

    @Test
    void anUnparsableTimestampFailsThePlan() {
        request.outputTimestamp("last tuesday");

        assertInvalid(() -> plan(request), "<outputTimestamp> (project.build.outputTimestamp)", "last tuesday");
    }

    @Test
    void tagsKeepTheirDeclaredOrder() throws Exception {
        request.tags(List.of("latest", "1.0", "1"));

        assertThat(plan(request).tags()).containsExactly("latest", "1.0", "1");
    }

    @ParameterizedTest
    @ValueSource(strings = {":x", "-a", ".hidden", "1.0 ", "a/b"})
    void aBadTagIsRejectedWithItsPosition(String tag) {
        request.tags(List.of("1.0", tag));

        assertInvalid(() -> plan(request), "<tags>/<tag>[2]", tag);
    }

    @Test
    void aTagOf129CharactersIsRejected() {
        String tag = "t".repeat(129);
        request.tags(List.of(tag));

        assertInvalid(() -> plan(request), "<tags>/<tag>[1]", tag);
    }

    @Test
    void aDuplicateTagIsRejected() {
        request.tags(List.of("1.0", "latest", "1.0"));

        InvalidConfigurationException e = assertInvalid(() -> plan(request), "<tags>/<tag>[3]", "1.0");
        assertThat(e.getMessage()).contains("twice");
    }

    @Test
    void anEmptyTagListIsRejected() {
        request.tags(List.of());

        InvalidConfigurationException e = assertInvalid(() -> plan(request), "<tags>", null);
        assertThat(e.getMessage()).contains("is empty");
    }

    @Test
    void withoutTagsTheDefaultTagIsTheTagAndListedTagsReplaceIt() throws Exception {
        request.tags(null).defaultTag("2.0");
        assertThat(plan(request).tags()).containsExactly("2.0");

        request.tags(List.of());
        assertThat(plan(request).tags()).containsExactly("2.0");

        request.tags(List.of("1.0", "latest"));
        assertThat(plan(request).tags()).containsExactly("1.0", "latest");
    }

    @Test
    void aDefaultTagThatIsNoTagIsReportedAsTheProjectVersion() {
        request.tags(null).defaultTag("1.0+build.5");

        InvalidConfigurationException e = catchThrowableOfType(InvalidConfigurationException.class,
                () -> plan(request));

        // The exact text Maven prints: no <tags>/<tag>[1] element, since the user wrote none.
        assertThat(e).hasMessage("The project version \"1.0+build.5\", the default tag when <tags> is not set, is not"
                + " a valid tag. Fix: set <tags><tag>...</tag></tags>, such as <tag>latest</tag>; tags use letters,"
                + " digits, '_', '.' and '-'");
        assertThat(e.element()).isEqualTo("<tags>");
        assertThat(e.value()).isEqualTo("1.0+build.5");
        assertThat(e.fix()).startsWith("set <tags>");
        assertThat(e).hasNoCause();
    }

    @Test
    void aBadListedTagIsReportedAtItsElementEvenWithADefaultTag() {
        request.tags(List.of("1.0+build.5")).defaultTag("2.0");

        assertInvalid(() -> plan(request), "<tags>/<tag>[1]", "1.0+build.5");
    }

    @Test
    void aMissingTagInTheListIsRejected() {
        request.tags(Arrays.asList("1.0", null));

        assertInvalid(() -> plan(request), "<tags>/<tag>[2]", "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Upper", "my app", "myapp/"})
    void aBadImageNameIsRejected(String image) {
        request.image(image);

        assertInvalid(() -> plan(request), "<image>", image);
    }

    @Test
    void anImageNameWithATagPointsToTags() {
        request.image("myapp:1.0");

        InvalidConfigurationException e = assertInvalid(() -> plan(request), "<image>", "myapp:1.0");
        assertThat(e.fix()).contains("<tags>").contains("myapp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"linux", "linux/x64", "windows/amd64/zz"})
    void aBadPlatformIsRejected(String platform) {
        request.platform(platform);

        assertInvalid(() -> plan(request), "<platform>", platform);
    }

    @Test
    void anUnsetPlatformIsTheHostArchitectureInGoNames() throws Exception {
        request.platform(null);
        request.hostArchitecture("aarch64");

        assertThat(plan(request).platform()).isEqualTo(new Platform("linux", "arm64", null));
    }

    @Test
    void compressionIsGzipByDefaultOrNone() throws Exception {
        request.compression("");
        assertThat(plan(request).compression()).isEqualTo(Compression.GZIP);
        request.compression("gzip");
        assertThat(plan(request).compression()).isEqualTo(Compression.GZIP);
        request.compression("none");
        assertThat(plan(request).compression()).isEqualTo(Compression.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ZSTD", "GZIP", "bzip2", "tar", "xz"})
    void anUnsupportedCompressionIsRejected(String compression) {
        request.compression(compression);

        InvalidConfigurationException e = assertInvalid(() -> plan(request), "<compression>", compression);
        assertThat(e.fix()).contains("gzip").contains("zstd").contains("none");
    }

    @Test
    void portsAreNormalisedSortedAndDeduplicated() throws Exception {
        request.container(ContainerSpec.builder().ports(List.of("8080", "53/udp", "8080/tcp", "443")).build());

        assertThat(plan(request).config().exposedPorts()).containsExactly("443/tcp", "53/udp", "8080/tcp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "70000", "80/icmp"})
    void aBadPortIsRejectedWithItsPosition(String port) {
        request.container(ContainerSpec.builder().ports(List.of("8080", port)).build());

        assertInvalid(() -> plan(request), "<ports>/<port>[2]", port);
    }

    @Test
    void environmentIsSortedByName() throws Exception {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PATH", "/bin");
        environment.put("JAVA_OPTS", "-Xmx1g");
        environment.put("A", null);
        environment.put("Z_LAST", "z");
        request.container(ContainerSpec.builder().environment(environment).build());

        assertThat(new ArrayList<>(plan(request).config().environment().entrySet()))
                .extracting(e -> e.getKey() + "=" + e.getValue())
                .containsExactly("A=", "JAVA_OPTS=-Xmx1g", "PATH=/bin", "Z_LAST=z");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1A", "A-B"})
    void aBadEnvironmentNameIsRejected(String name) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PATH", "/bin");
        environment.put(name, "x");
        request.container(ContainerSpec.builder().environment(environment).build());

        assertInvalid(() -> plan(request), "<environment>/<" + name + ">", name);
    }

    @Test
    void aBadStopSignalIsRejected() {
        request.container(ContainerSpec.builder().stopSignal("SIGFOO").build());

        assertInvalid(() -> plan(request), "<stopSignal>", "SIGFOO");
    }

    @Test
    void userAndStopSignalAreKeptAsWritten() throws Exception {
        request.container(ContainerSpec.builder().user("65532:65532").stopSignal("SIGINT").build());

        ContainerConfig config = plan(request).config();
        assertThat(config.user()).isEqualTo("65532:65532");
        assertThat(config.stopSignal()).isEqualTo("SIGINT");
    }

    @Test
    void aUserNameIsTakenWhenTheImageHoldsAPasswdAndAGroupFileAndRefusedWhenItHoldsNone() throws Exception {
        request.container(ContainerSpec.builder().user("app:staff").build());
        assertThat(assertInvalid(() -> plan(request), "<user>", "app:staff").getMessage()).contains("/etc/passwd");
        Files.writeString(base.resolve("passwd"), "app:x:1000:1000::/home/app:/sbin/nologin\n");
        request.addFile(file("passwd", "/etc/passwd"));
        assertThat(assertInvalid(() -> plan(request), "<user>", "app:staff").getMessage()).contains("/etc/group");
        Files.writeString(base.resolve("group"), "staff:x:1000:\n");
        request.addFile(file("group", "/etc/group"));

        assertThat(plan(request).config().user()).isEqualTo("app:staff");
    }

    @Test
    void volumesAndWorkingDirectoryAreNormalisedAbsolutePaths() throws Exception {
        request.container(ContainerSpec.builder().volumes(List.of("/var/log/", "/data")).workingDirectory("/srv/app/")
                .build());

        ContainerConfig config = plan(request).config();
        assertThat(config.volumes()).containsExactly("/data", "/var/log");
        assertThat(config.workingDirectory()).isEqualTo("/srv/app");
    }

    @Test
    void aRelativeVolumeIsRejected() {
        request.container(ContainerSpec.builder().volumes(List.of("/data", "cache")).build());

        assertInvalid(() -> plan(request), "<volumes>/<volume>[2]", "cache");
    }

    @ParameterizedTest
    @ValueSource(strings = {"app", "./app", "/srv/../app"})
    void aWorkingDirectoryThatIsNotANormalisedAbsolutePathIsRejected(String directory) {
        request.container(ContainerSpec.builder().workingDirectory(directory).build());

        assertInvalid(() -> plan(request), "<workingDirectory>", directory);
    }

    @Test
    void entrypointAndCmdKeepEmptyArgumentsButTheProgramMustBeNamed() throws Exception {
        ContainerSpec.Builder container = ContainerSpec.builder().entrypoint(List.of("/bin/app", ""))
                .cmd(Arrays.asList("--flag", null));
        request.container(container.build());
        ContainerConfig config = plan(request).config();
        assertThat(config.entrypoint()).containsExactly("/bin/app", "");
        assertThat(config.cmd()).containsExactly("--flag", "");

        request.container(container.entrypoint(Arrays.asList((String) null)).build());
        assertInvalid(() -> plan(request), "<entrypoint>/<arg>[1]", "");
    }

    @Test
    void labelsAndAnnotationsAreSorted() throws Exception {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("team", "infra");
        labels.put("app", null);
        request.container(ContainerSpec.builder().labels(labels).build());
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("org.opencontainers.image.source", "https://example.org/repo");
        annotations.put("com.example.a", "1");
        request.annotations(annotations);

        ImagePlan plan = plan(request);
        assertThat(new ArrayList<>(plan.config().labels().keySet())).containsExactly("app", "team");
        assertThat(plan.config().labels()).containsEntry("app", "");
        assertThat(new ArrayList<>(plan.annotations().keySet()))
                .containsExactly("com.example.a", "org.opencontainers.image.source");
    }

    @Test
    void theCreatedAnnotationIsReservedForTheBuildTimestamp() {
        request.annotations(Map.of("org.opencontainers.image.created", "2020-01-01T00:00:00Z"));

        InvalidConfigurationException e = assertInvalid(() -> plan(request),
                "<annotations>/<org.opencontainers.image.created>", "2020-01-01T00:00:00Z");
        assertThat(e.fix()).contains("<outputTimestamp>");
    }

    @Test
    void entryErrorsSurfaceThroughThePlan() {
        request.addBinary(binary(base.resolve("missing").toString(), "/bin/app"));

        assertInvalid(() -> plan(request), "<binaries>/<binary>[1]/<source>", base.resolve("missing").toString());
    }
}
