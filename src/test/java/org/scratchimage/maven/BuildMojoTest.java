package org.scratchimage.maven;

import static org.apache.maven.api.plugin.testing.MojoExtension.getBasedir;
import static org.apache.maven.api.plugin.testing.MojoExtension.setVariableValueToObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugin.descriptor.PluginDescriptorBuilder;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.apache.maven.project.ProjectDependenciesResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mojo configured from a real pom by the Maven Plugin Testing Harness, run against the real core. */
@MojoTest
class BuildMojoTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    @Basedir("/unit/busybox")
    @InjectMojo(goal = "build")
    void javaMapsTheRuntimeClassPathInMavensOrderWithSnapshotsByTheirBaseVersion(BuildMojo mojo) throws Exception {
        TestProjects.javaApplication(mojo, temp);
        setVariableValueToObject(mojo, "buildDirectory", temp.resolve("target").toFile());
        ImageJava java = new ImageJava();
        java.jvmFlags = List.of("-Xss1m");
        java.qualifiedJarNames = " TRUE ";
        setVariableValueToObject(mojo, "java", java);
        org.scratchimage.core.JavaSpec spec = mojo.request(false, false, false, false).java();
        assertThat(spec.artifactId()).isEqualTo("app");
        assertThat(spec.packaging()).isEqualTo("jar");
        assertThat(spec.projectJar()).isEqualTo(temp.resolve("app-1.0.jar"));
        assertThat(spec.jvmFlags()).containsExactly("-Xss1m");
        assertThat(spec.qualifiedJarNames()).isTrue();
        assertThat(spec.workDirectory()).isEqualTo(temp.resolve("target/scratch-java"));
        assertThat(spec.dependencies()).extracting(d -> d.fileName(false))
                .as("the test scope left out, the snapshot named by its base version")
                .containsExactly("lib-1.0.jar", "snap-2.0-SNAPSHOT.jar");
        assertThat(spec.dependencies().get(1).snapshot()).isTrue();
        assertThat(spec.dependencies().get(0).snapshot()).isFalse();

        setVariableValueToObject(mojo, "java", null);
        setVariableValueToObject(mojo, "dependenciesResolver", (ProjectDependenciesResolver) request -> {
            throw new AssertionError("resolved " + request.getMavenProject().getId() + " without <java>");
        });
        assertThat(mojo.request(false, false, false, false).java()).as("no <java>, no resolution").isNull();
    }

    @Test
    void theGoalAsksMavenToResolveNoDependencies() throws Exception {
        // Maven would resolve them before every build; <java> resolves its class path itself (RuntimeClasspath).
        PluginDescriptor plugin;
        try (Reader reader = new InputStreamReader(
                BuildMojo.class.getResourceAsStream("/META-INF/maven/plugin.xml"), StandardCharsets.UTF_8)) {
            plugin = new PluginDescriptorBuilder().build(reader);
        }
        assertThat(plugin.getMojo("build").getDependencyResolutionRequired()).isNull();
        assertThat(plugin.getMojo("build").getDependencyCollectionRequired()).isNull();
    }

    @Test
    @Basedir("/unit/busybox")
    @InjectMojo(goal = "build")
    void writesTheConfiguredImageTaggedWithTheProjectVersion(BuildMojo mojo) throws Exception {
        Path out = temp.resolve("oci");
        setVariableValueToObject(mojo, "outputDirectory", out.toFile());

        mojo.execute();

        JsonNode index = JSON.readTree(out.resolve("index.json").toFile());
        assertThat(index.path("manifests")).hasSize(1);
        JsonNode descriptor = index.path("manifests").get(0);
        assertThat(descriptor.path("annotations").path("org.opencontainers.image.ref.name").asText()).isEqualTo("2.0");
        assertThat(descriptor.path("annotations").path("io.containerd.image.name").asText()).isEqualTo("mojo-busybox:2.0");
        JsonNode manifest = blob(out, descriptor.path("digest").asText());
        JsonNode config = blob(out, manifest.path("config").path("digest").asText());
        assertThat(config.path("created").asText()).isEqualTo("2023-11-14T22:13:20Z");
        assertThat(config.path("architecture").asText()).isEqualTo("amd64");
        assertThat(config.path("config").path("Env").toString()).isEqualTo("[\"LANG=C.UTF-8\",\"PATH=/bin\"]");
        assertThat(config.path("config").path("Entrypoint").toString()).isEqualTo("[\"/bin/run\"]");
        assertThat(config.path("config").path("ExposedPorts").toString()).isEqualTo("{\"8080/tcp\":{}}");

        Map<String, TarArchiveEntry> entries = layerEntries(out, manifest.path("layers").get(0).path("digest").asText());
        assertThat(entries).containsOnlyKeys("./", "bin/", "bin/app", "bin/run");
        assertThat(entries.get("bin/app").getMode() & 07777).isEqualTo(0755);
        assertThat(entries.get("bin/app").getSize()).isEqualTo(Files.size(Path.of(getBasedir(), "app.sh")));
        assertThat(entries.get("bin/run").isSymbolicLink()).isTrue();
        assertThat(entries.get("bin/run").getLinkName()).isEqualTo("app");
    }

    @Test
    @Basedir("/unit/layers")
    @InjectMojo(goal = "build")
    void layerAndLayersReachTheImage(BuildMojo mojo) throws Exception {
        Path out = temp.resolve("oci");
        setVariableValueToObject(mojo, "outputDirectory", out.toFile());

        mojo.execute();

        JsonNode index = JSON.readTree(out.resolve("index.json").toFile());
        JsonNode manifest = blob(out, index.path("manifests").get(0).path("digest").asText());
        JsonNode config = blob(out, manifest.path("config").path("digest").asText());
        assertThat(manifest.path("layers")).hasSize(2);
        assertThat(config.path("history").get(0).path("comment").asText()).isEqualTo("links");
        assertThat(config.path("history").get(1).path("comment").asText()).isEqualTo("app");
        assertThat(layerEntries(out, manifest.path("layers").get(0).path("digest").asText()))
                .containsOnlyKeys("./", "bin/", "bin/run", "tmp/");
        assertThat(layerEntries(out, manifest.path("layers").get(1).path("digest").asText()))
                .containsOnlyKeys("./", "bin/", "bin/app", "etc/", "etc/app.sh");
    }

    @Test
    @Basedir("/unit/busybox")
    @InjectMojo(goal = "build")
    @MojoParameter(name = "tags", value = "1.0,latest")
    void writesOneIndexEntryPerConfiguredTag(BuildMojo mojo) throws Exception {
        Path out = temp.resolve("oci");
        setVariableValueToObject(mojo, "outputDirectory", out.toFile());

        mojo.execute();

        JsonNode manifests = JSON.readTree(out.resolve("index.json").toFile()).path("manifests");
        assertThat(manifests).hasSize(2);
        assertThat(manifests.get(0).path("annotations").path("org.opencontainers.image.ref.name").asText()).isEqualTo("1.0");
        assertThat(manifests.get(1).path("annotations").path("org.opencontainers.image.ref.name").asText())
                .isEqualTo("latest");
        assertThat(manifests.get(0).path("digest")).isEqualTo(manifests.get(1).path("digest"));
    }

    @Test
    @Basedir("/unit/busybox")
    @InjectMojo(goal = "build")
    @MojoParameter(name = "skip", value = "true")
    void skipWritesNothing(BuildMojo mojo) throws Exception {
        Path out = temp.resolve("oci");
        setVariableValueToObject(mojo, "outputDirectory", out.toFile());
        List<String> info = new ArrayList<>();
        mojo.setLog(new SystemStreamLog() {
            @Override
            public void info(CharSequence content) {
                info.add(content.toString());
            }
        });

        mojo.execute();

        assertThat(out).doesNotExist();
        assertThat(info).containsExactly("Skipping scratch:build per configuration.");
    }

    @Test
    @Basedir("/unit/busybox")
    @InjectMojo(goal = "build")
    @MojoParameter(name = "skip", value = " TRUE ")
    void skipTakesTrueInAnyCaseAroundSpacesAsFromAUserProperty(BuildMojo mojo) throws Exception {
        Path out = temp.resolve("oci");
        setVariableValueToObject(mojo, "outputDirectory", out.toFile());

        mojo.execute();

        assertThat(out).doesNotExist();
    }

    @Test
    @Basedir("/unit/busybox")
    @InjectMojo(goal = "build")
    @MojoParameter(name = "skip", value = "yes")
    void aSkipThatIsNeitherTrueNorFalseFailsInsteadOfBuilding(BuildMojo mojo) throws Exception {
        Path out = temp.resolve("oci");
        setVariableValueToObject(mojo, "outputDirectory", out.toFile());

        assertThatThrownBy(mojo::execute)
                .isExactlyInstanceOf(MojoFailureException.class)
                .hasMessage("<skip> (scratch.skip) \"yes\" is not true or false. Fix: write true or false");
        assertThat(out).doesNotExist();
    }

    @Test
    @Basedir("/unit/busybox")
    @InjectMojo(goal = "build")
    void resolveLibrariesTakesTrueOrFalseInAnyCase(BuildMojo mojo) throws Exception {
        // The host's /bin/ls, a dynamically linked program: its loader and libc come with it unless told otherwise.
        setVariableValueToObject(mojo, "platform", null);
        Map<String, List<String>> layersBySetting = new HashMap<>();
        for (String setting : List.of(" FALSE ", "True")) {
            Path out = temp.resolve("oci-" + setting.strip());
            setVariableValueToObject(mojo, "outputDirectory", out.toFile());
            ImageBinary ls = new ImageBinary();
            ls.source = "/bin/ls";
            ls.path = "/bin/ls";
            ls.resolveLibraries = setting;
            setVariableValueToObject(mojo, "binaries", List.of(ls));

            mojo.execute();

            JsonNode index = JSON.readTree(out.resolve("index.json").toFile());
            JsonNode manifest = blob(out, index.path("manifests").get(0).path("digest").asText());
            JsonNode config = blob(out, manifest.path("config").path("digest").asText());
            List<String> layers = new ArrayList<>();
            config.path("history").forEach(entry -> layers.add(entry.path("comment").asText()));
            layersBySetting.put(setting.strip(), layers);
        }

        // The package metadata of coreutils, at least, comes either way.
        assertThat(layersBySetting)
                .containsEntry("FALSE", List.of("metadata", "app"))
                .containsEntry("True", List.of("libraries", "metadata", "app"));
    }

    @Test
    @Basedir("/unit/busybox")
    @InjectMojo(goal = "build")
    @MojoParameter(name = "platform", value = "linux")
    void aConfigurationMistakeIsAFailureNamingElementValueAndFix(BuildMojo mojo) throws Exception {
        Path out = temp.resolve("oci");
        setVariableValueToObject(mojo, "outputDirectory", out.toFile());

        assertThatThrownBy(mojo::execute)
                .isExactlyInstanceOf(MojoFailureException.class)
                .hasMessageContaining("<platform> \"linux\"")
                .hasMessageContaining("Fix: write os/arch[/variant]");
        assertThat(out).doesNotExist();
    }

    @Test
    @Basedir("/unit/busybox")
    @InjectMojo(goal = "build")
    void aFolderHoldingOtherFilesIsRefusedAndLeftAlone(BuildMojo mojo) throws Exception {
        Path out = Files.createDirectories(temp.resolve("not-a-layout"));
        Files.writeString(out.resolve("notes.txt"), "mine");
        setVariableValueToObject(mojo, "outputDirectory", out.toFile());

        assertThatThrownBy(mojo::execute)
                .isExactlyInstanceOf(MojoFailureException.class)
                .hasMessageContaining("<outputDirectory>")
                .hasMessageContaining("notes.txt")
                .hasMessageContaining("Fix:");
        try (var listing = Files.list(out)) {
            assertThat(listing).containsExactly(out.resolve("notes.txt"));
        }
        assertThat(out.resolve("notes.txt")).hasContent("mine");
    }

    @Test
    @Basedir("/unit/busybox")
    @InjectMojo(goal = "build")
    void anIoProblemIsAnExecutionError(BuildMojo mojo) throws Exception {
        Path file = Files.writeString(temp.resolve("a-file"), "x");
        setVariableValueToObject(mojo, "outputDirectory", file.resolve("oci").toFile());

        assertThatThrownBy(mojo::execute)
                .isExactlyInstanceOf(MojoExecutionException.class)
                .hasMessageContaining("Could not build the image into " + file.resolve("oci"));
    }

    @Test
    @Basedir("/unit/busybox")
    @InjectMojo(goal = "build")
    void emptyListElementsBecomeValidationErrorsNotNullPointers(BuildMojo mojo) throws Exception {
        setVariableValueToObject(mojo, "outputDirectory", temp.resolve("oci").toFile());
        List<ImageBinary> binaries = new ArrayList<>();
        binaries.add(null);
        setVariableValueToObject(mojo, "binaries", binaries);

        assertThatThrownBy(mojo::execute)
                .isExactlyInstanceOf(MojoFailureException.class)
                .hasMessageContaining("<binaries>/<binary>[1] is empty");
    }

    @Test
    @Basedir("/unit/busybox")
    @InjectMojo(goal = "build")
    void aProjectVersionThatIsNoTagIsReportedAsTheDefaultTag(BuildMojo mojo) throws Exception {
        setVariableValueToObject(mojo, "outputDirectory", temp.resolve("oci").toFile());
        setVariableValueToObject(mojo, "projectVersion", "1.0+build.5");

        // The whole message, as Maven prints it: the cause, if any, must add nothing to it.
        assertThatThrownBy(mojo::execute)
                .isExactlyInstanceOf(MojoFailureException.class)
                .hasMessage("The project version \"1.0+build.5\", the default tag when <tags> is not set, is not a valid"
                        + " tag. Fix: set <tags><tag>...</tag></tags>, such as <tag>latest</tag>; tags use letters,"
                        + " digits, '_', '.' and '-'")
                .satisfies(e -> assertThat(e.getCause() == null ? e.getMessage() : e.getCause().getMessage())
                        .isEqualTo(e.getMessage()));
    }

    @Test
    void fileSystemErrorsThatCarryOnlyAPathSayWhatHappened() {
        assertThat(IoMessages.describe(new java.nio.file.AccessDeniedException("/x/oci/.scratch-staging")))
                .isEqualTo("/x/oci/.scratch-staging: permission denied");
        assertThat(IoMessages.describe(new java.nio.file.FileAlreadyExistsException("/x/app.conf")))
                .isEqualTo("/x/app.conf: it already exists, or a parent of it is not a directory");
        assertThat(IoMessages.describe(new java.nio.file.FileSystemException("/x/blob", null, "No space left on device")))
                .isEqualTo("/x/blob: No space left on device");
        assertThat(IoMessages.describe(new IOException("disk on fire"))).isEqualTo("disk on fire");
    }

    @Test
    void sizesAreReportedInBinaryUnits() {
        assertThat(org.scratchimage.core.Sizes.human(512)).isEqualTo("512 B");
        assertThat(org.scratchimage.core.Sizes.human(1536)).isEqualTo("1.5 KiB");
        assertThat(org.scratchimage.core.Sizes.human(3L * 1024 * 1024)).isEqualTo("3.0 MiB");
    }

    private static JsonNode blob(Path layout, String digest) throws IOException {
        return JSON.readTree(layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length())).toFile());
    }

    private static Map<String, TarArchiveEntry> layerEntries(Path layout, String digest) throws IOException {
        Map<String, TarArchiveEntry> entries = new HashMap<>();
        Path blob = layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(blob));
                TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                entries.put(entry.getName(), entry);
            }
        }
        return entries;
    }
}
