package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.PlanningFixtures.assertInvalid;
import static org.scratchimage.core.PlanningFixtures.requestIn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.image.ContainerConfig;
import org.scratchimage.core.image.ImageLayer;
import org.scratchimage.core.image.LayerEntry;
import org.scratchimage.core.java.TestJars;

/** {@code <java>}: the image a Java application gets, built with the real JDK, and each mistake it reports. */
class JavaApplicationTest {
    /** One runtime cache for the class: jlink runs once per module list, as in a project's target/. */
    @TempDir
    static Path shared;
    private static Path appJar;
    private static Path libJar;
    private static Path snapshotJar;

    @TempDir
    Path project;

    @BeforeAll
    static void jars() throws Exception {
        appJar = TestJars.jar(shared, "app.jar", "app.Main", "app.Main",
                "package app; public class Main { public static void main(String[] a) { System.out.println(1); } }");
        libJar = TestJars.jar(shared, "lib.jar", null, "lib.Db", "package lib; public class Db {"
                + " public static Object open() throws Exception { return java.sql.DriverManager.getConnection(\"x\"); } }");
        snapshotJar = TestJars.jar(shared, "snap.jar", null, "snap.Log", "package snap; public class Log {"
                + " public static void log() { java.util.logging.Logger.getGlobal().info(\"x\"); } }");
        Thread.sleep(Fingerprints.RACY_MILLIS + 50);
    }

    private static JavaSpec.Builder java() {
        return JavaSpec.builder().artifactId("app").packaging("jar").projectJar(appJar).modules("java.base")
                .workDirectory(shared.resolve("scratch-java"))
                .dependencies(List.of(dependency("org.example", "lib", "1.0", "1.0", libJar),
                        dependency("org.example", "snap", "2.0-20240101.101010-3", "2.0-SNAPSHOT", snapshotJar)));
    }

    private static JavaDependency dependency(String group, String artifact, String version, String base, Path file) {
        return JavaDependency.builder().groupId(group).artifactId(artifact).version(version).baseVersion(base)
                .file(file).build();
    }

    private BuildResult build(BuildRequest.Builder request) throws Exception {
        return new ImageBuilder(line -> {}).build(request.build());
    }

    @Test
    void theApplicationGetsTheRuntimeItsJarsInLayersAndTheContainerDefaults() throws Exception {
        BuildResult result = build(requestIn(project).packageMetadata(true)
                .java(java().jvmFlags(List.of("-Xss1m")).build()));
        assertThat(result.layers()).extracting(BuildResult.Layer::name).containsExactly("libraries", "metadata",
                "jre", "dependencies", "snapshot-dependencies", "app");
        Map<String, List<String>> paths = paths(result);
        assertThat(paths.get("jre")).contains("opt/java/bin/java", "opt/java/lib/modules", "tmp");
        assertThat(paths.get("dependencies")).contains("app/libs/lib-1.0.jar").doesNotContain("app/app.jar");
        assertThat(paths.get("snapshot-dependencies")).contains("app/libs/snap-2.0-SNAPSHOT.jar");
        assertThat(paths.get("app")).contains("app/app.jar");
        assertThat(paths.get("libraries")).anyMatch(path -> path.contains("libc.so"));
        ContainerConfig config = result.plan().config();
        assertThat(config.entrypoint()).containsExactly("/opt/java/bin/java", "-Xss1m", "-cp",
                "/app/app.jar:/app/libs/lib-1.0.jar:/app/libs/snap-2.0-SNAPSHOT.jar", "app.Main");
        assertThat(config.environment()).containsEntry("JAVA_HOME", "/opt/java")
                .containsEntry("PATH", JavaApplication.PATH);
        LayerEntry tmp = result.plan().entries().stream().filter(e -> e.path().equals("tmp")).findFirst().orElseThrow();
        assertThat(tmp.mode()).isEqualTo(01777);

        BuildResult again = build(requestIn(project).packageMetadata(true).java(java().jvmFlags(List.of("-Xss1m")).build()));
        assertThat(again.upToDate()).as("an unchanged build runs no jlink and is up to date").isTrue();
        assertThat(again.digest()).isEqualTo(result.digest());
    }

    @Test
    void theUsersSettingsWinAndLayersReorderTheJavaLayers() throws Exception {
        BuildResult result = build(requestIn(project)
                .container(ContainerSpec.builder().entrypoint(List.of("/opt/java/bin/java", "-version"))
                        .environment(Map.of("PATH", "/opt/java/bin")).build())
                .layers(List.of("libraries", "jre", "app", "snapshot-dependencies", "dependencies"))
                .java(java().build()));
        assertThat(result.layers()).extracting(BuildResult.Layer::name).containsExactly("libraries", "jre", "app",
                "snapshot-dependencies", "dependencies");
        assertThat(result.plan().config().entrypoint()).containsExactly("/opt/java/bin/java", "-version");
        assertThat(result.plan().config().environment()).containsEntry("PATH", "/opt/java/bin");
    }

    @Test
    void theMainClassComesFromTheManifestAndTheModulesFromJdeps() throws Exception {
        BuildResult result = build(requestIn(project).java(java().modules(null).build()));
        assertThat(result.plan().config().entrypoint()).endsWith("app.Main");
        assertThat(Files.readString(shared.resolve("scratch-java/jdeps-dependencies.txt")))
                .endsWith("\njava.base,java.sql\n");
        // jdeps reduces the list: java.sql requires java.logging, which jlink then adds.
        Path runtime = Path.of(result.plan().entries().stream().filter(e -> e.path().equals("opt/java/release"))
                .map(e -> ((org.scratchimage.core.image.RegularFileEntry) e).source()).findFirst().orElseThrow()
                .toString());
        assertThat(Files.readString(runtime)).contains("java.logging", "java.sql", "jdk.crypto.ec", "jdk.zipfs");
    }

    @Test
    void noMainClassIsAnError() throws Exception {
        Path jar = TestJars.jar(project, "plain.jar", null, "x.Y", "package x; class Y {}");
        assertInvalid(() -> build(requestIn(project).java(java().projectJar(jar).build())), "<java>/<mainClass>",
                null);
        assertThat(project.resolve("target/oci")).doesNotExist();
    }

    @Test
    void anUnknownModuleIsAnError() {
        InvalidConfigurationException e = assertInvalid(() -> build(requestIn(project)
                .java(java().modules("java.base,java.sqll").build())), "<java>/<modules>", "java.base,java.sqll");
        assertThat(e.getMessage()).contains("java.sqll, which is not a module");
        assertThat(project.resolve("target/oci")).doesNotExist();
    }

    @Test
    void aJdkThatCannotLinkIsAnError() throws Exception {
        Path jre = Files.createDirectories(project.resolve("jre"));
        Files.copy(Path.of(System.getProperty("java.home"), "release"), jre.resolve("release"));
        InvalidConfigurationException e = assertInvalid(() -> build(requestIn(project)
                .java(java().jdk(jre.toString()).modules("java.base,java.xml").build())), "<java>/<jdk>",
                jre.toString());
        assertThat(e.getMessage()).contains("no jmods/");
        assertThat(project.resolve("target/oci")).doesNotExist();
    }

    @Test
    void aPomProjectNeedsAMainClassAndDependencies() throws Exception {
        assertInvalid(() -> build(requestIn(project).java(java().packaging("pom").projectJar(null).build())),
                "<java>", null);
        BuildResult result = build(requestIn(project).java(java().packaging("pom").projectJar(null)
                .mainClass("lib.Db").build()));
        assertThat(result.plan().config().entrypoint()).containsSequence("-cp",
                "/app/libs/lib-1.0.jar:/app/libs/snap-2.0-SNAPSHOT.jar", "lib.Db");
    }

    @Test
    void aJarProjectWhoseJarIsNotBuiltIsAnError() {
        assertInvalid(() -> build(requestIn(project).java(java().projectJar(null).build())), "<java>", null);
    }

    @Test
    void javaWithPlatformsIsAnError() {
        InvalidConfigurationException e = assertInvalid(() -> build(requestIn(project).platform(null)
                .addPlatform(new PlatformSpec("linux/amd64", null)).java(java().build())), "<java>", null);
        assertThat(e.getMessage()).contains("<platforms>").contains("by hand");
    }

    @Test
    void twoDependenciesWithOneJarNameAreAnErrorThatQualifiedNamesFix() throws Exception {
        List<JavaDependency> twins = new ArrayList<>(java().build().dependencies());
        twins.add(dependency("org.other", "lib", "1.0", "1.0", libJar));
        InvalidConfigurationException e = assertInvalid(() -> build(requestIn(project)
                .java(java().dependencies(twins).build())), "<java>", "org.other:lib:1.0");
        assertThat(e.getMessage()).contains("org.example:lib:1.0").contains("<qualifiedJarNames>true");

        BuildResult result = build(requestIn(project).java(java().dependencies(twins).qualifiedJarNames(true).build()));
        assertThat(paths(result).get("dependencies")).contains("app/libs/org.example-lib-1.0.jar",
                "app/libs/org.other-lib-1.0.jar");
    }

    @Test
    void aDependencyThatIsAFolderIsAnError() throws Exception {
        Path classes = Files.createDirectories(project.resolve("module/target/classes"));
        assertInvalid(() -> build(requestIn(project).java(java().dependencies(List.of(
                dependency("org.example", "module", "1.0-SNAPSHOT", "1.0-SNAPSHOT", classes))).build())),
                "<java>", "org.example:module:1.0-SNAPSHOT");
    }

    private static Map<String, List<String>> paths(BuildResult result) {
        Map<String, List<String>> paths = new java.util.HashMap<>();
        for (ImageLayer layer : result.plan().layers()) {
            paths.put(layer.name(), layer.entries().stream().map(LayerEntry::path).toList());
        }
        return paths;
    }
}
