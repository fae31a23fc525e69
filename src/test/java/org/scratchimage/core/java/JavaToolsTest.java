package org.scratchimage.core.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.tar.ExternalTools;

/** jdeps and jlink of the real JDK 17 running the tests (in-process) and of Temurin 25 (its own processes). */
class JavaToolsTest {
    private static final Path RUNNING = Path.of(System.getProperty("java.home"));

    @TempDir
    Path folder;

    private static Jdk temurin25() throws Exception {
        ExternalTools.requireThat(Files.isExecutable(TestJars.TEMURIN_25.resolve("bin/jlink")),
                "Temurin 25 at " + TestJars.TEMURIN_25);
        return Jdk.of(TestJars.TEMURIN_25.toString(), RUNNING);
    }

    @Test
    void theRunningJdkIsReadFromItsReleaseFileAndLinksFromItsJmods() throws Exception {
        Jdk jdk = Jdk.of(null, RUNNING);
        assertThat(jdk.running()).isTrue();
        assertThat(jdk.feature()).isEqualTo(Runtime.version().feature());
        assertThat(jdk.modules()).contains("java.base", "java.sql", "jdk.crypto.ec", "jdk.zipfs");
        ExternalTools.requireThat(jdk.jmods(), "the jmods of the JDK running the tests (openjdk-17-jdk-headless)");
        jdk.checkCanLink(null);
        assertThat(Jdk.of(RUNNING.toString(), RUNNING).running()).isTrue();
    }

    @Test
    void temurin25HasNoJmodsButLinksFromItsRunTimeImage() throws Exception {
        Jdk jdk = temurin25();
        assertThat(jdk.running()).isFalse();
        assertThat(jdk.feature()).isEqualTo(25);
        assertThat(jdk.jmods()).isFalse();
        jdk.checkCanLink(TestJars.TEMURIN_25.toString());
        assertThat(jdk.identity()).isNotEqualTo(Jdk.of(null, RUNNING).identity());
    }

    @Test
    void aFolderThatIsNoJdkIsRefused() throws Exception {
        JavaSetupException e = catchThrowableOfType(JavaSetupException.class,
                () -> Jdk.of(folder.toString(), RUNNING));
        assertThat(e.setting()).isEqualTo("jdk");
        assertThat(e.getMessage()).contains("has no release file").contains("Fix: ");
        e = catchThrowableOfType(JavaSetupException.class, () -> Jdk.of(folder.resolve("none").toString(), RUNNING));
        assertThat(e.getMessage()).contains("is not a folder");
    }

    @Test
    void aJdkBefore24WithoutJmodsCannotLink() throws Exception {
        // A JRE-like copy: the release of Java 17 and its run-time image, no jmods/.
        Files.copy(RUNNING.resolve("release"), folder.resolve("release"));
        Jdk jdk = Jdk.of(folder.toString(), RUNNING);
        assertThat(jdk.jmods()).isFalse();
        JavaSetupException e = catchThrowableOfType(JavaSetupException.class, () -> jdk.checkCanLink("/some/jre"));
        assertThat(e.value()).isEqualTo("/some/jre");
        assertThat(e.problem()).contains("no jmods/").contains("JEP 493");
        assertThat(e.fix()).contains("jmods/");
    }

    @Test
    void jdepsFindsTheModulesOfTheProjectAndItsDependenciesAndCachesEachAnswer() throws Exception {
        Path app = TestJars.jar(folder, "app.jar", "app.Main", "app.Main",
                "package app; public class Main { public static void main(String[] a) { System.out.println(a); } }");
        Path lib = TestJars.jar(folder, "lib.jar", null, "lib.Db",
                "package lib; public class Db { public static Object open() throws Exception {"
                        + " return java.sql.DriverManager.getConnection(\"jdbc:x:\"); } }");
        Path cache = folder.resolve("cache");
        Jdk jdk = Jdk.of(null, RUNNING);
        List<String> log = new ArrayList<>();
        assertThat(ModuleScan.modules(jdk, app, List.of(lib), cache, log::add)).containsExactly("java.base",
                "java.sql");
        Object dependencies = inode(cache.resolve("jdeps-dependencies.txt"));
        Object application = inode(cache.resolve("jdeps-application.txt"));

        assertThat(ModuleScan.modules(jdk, app, List.of(lib), cache, log::add)).containsExactly("java.base",
                "java.sql");
        assertThat(inode(cache.resolve("jdeps-dependencies.txt"))).isEqualTo(dependencies);
        assertThat(inode(cache.resolve("jdeps-application.txt"))).isEqualTo(application);
        assertThat(log).filteredOn(line -> line.contains("cached")).hasSize(2);

        // A new build of the project's jar alone: jdeps reads it again, not the dependencies.
        Path changed = TestJars.jar(folder, "app.jar", "app.Main", "app.Main", "package app; public class Main {"
                + " public static void main(String[] a) { java.util.logging.Logger.getGlobal().info(\"x\"); } }");
        assertThat(ModuleScan.modules(jdk, changed, List.of(lib), cache, log::add)).containsExactly("java.base",
                "java.logging", "java.sql");
        assertThat(inode(cache.resolve("jdeps-dependencies.txt"))).isEqualTo(dependencies);
    }

    /**
     * Maven's version mediation can put a module beside a jar that is not the module it requires (slf4j-simple 2.0,
     * which requires org.slf4j, beside slf4j-api 1.7): jdeps throws on such a class path, on which the application
     * runs all the same. The module's own requires name what it needs of the JDK, once jdeps has failed.
     */
    @Test
    void aModuleWhoseRequiredModuleIsMissingGivesItsRequiresOfTheJdk() throws Exception {
        Path sources = Files.createDirectories(folder.resolve("src"));
        Path other = Files.createDirectories(folder.resolve("other"));
        Path lib = Files.createDirectories(folder.resolve("lib"));
        Files.createDirectories(sources.resolve("o/other"));
        Files.writeString(sources.resolve("o/module-info.java"), "module other.mod { exports other; }");
        Files.writeString(sources.resolve("o/other/Other.java"), "package other; public class Other {}");
        Files.createDirectories(sources.resolve("l/lib"));
        Files.writeString(sources.resolve("l/module-info.java"),
                "module lib.mod { requires other.mod; requires java.sql; requires static java.desktop; }");
        Files.writeString(sources.resolve("l/lib/Lib.java"), "package lib; public class Lib {"
                + " public static Object o() { return new other.Other(); } }");
        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, "--release", "17", "-d", other.toString(),
                sources.resolve("o/module-info.java").toString(), sources.resolve("o/other/Other.java").toString()))
                .isZero();
        assertThat(javac.run(null, null, null, "--release", "17", "--module-path", other.toString(), "-d",
                lib.toString(), sources.resolve("l/module-info.java").toString(),
                sources.resolve("l/lib/Lib.java").toString())).isZero();
        Path jar = folder.resolve("lib.jar");
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            for (String name : List.of("module-info.class", "lib/Lib.class")) {
                out.putNextEntry(new java.util.jar.JarEntry(name));
                out.write(Files.readAllBytes(lib.resolve(name)));
                out.closeEntry();
            }
        }
        Path app = TestJars.jar(folder, "app.jar", "app.Main", "app.Main",
                "package app; public class Main { public static void main(String[] a) { System.out.println(a); } }");
        Jdk jdk = Jdk.of(null, RUNNING);
        // The premise: jdeps alone cannot take this class path.
        assertThat(JdkTools.run(jdk, "jdeps", List.of("--print-module-deps", "--ignore-missing-deps",
                jar.toString())).succeeded()).isFalse();

        // Its requires of the JDK, static ones too: optional at run time, used when there.
        assertThat(ModuleScan.modules(jdk, app, List.of(jar), folder.resolve("cache"), line -> { }))
                .containsExactly("java.base", "java.desktop", "java.sql");
    }

    @Test
    void jdepsOfAnotherJdkRunsAsItsOwnProcess() throws Exception {
        Jdk jdk = temurin25();
        Path app = TestJars.jar(folder, "app.jar", "app.Main", "app.Main", "package app; public class Main {"
                + " public static void main(String[] a) throws Exception { java.net.http.HttpClient.newHttpClient(); } }");
        assertThat(ModuleScan.modules(jdk, app, List.of(), folder.resolve("cache"), line -> {}))
                .containsExactly("java.base", "java.net.http");
    }

    @Test
    void jlinkRunsOnceForAJdkAndModulesAndGivesTheSameBytesInAnotherFolderOnJdk17() throws Exception {
        linksReproduciblyAndOnce(Jdk.of(null, RUNNING), null);
    }

    @Test
    void jlinkRunsOnceForAJdkAndModulesAndGivesTheSameBytesInAnotherFolderOnTemurin25() throws Exception {
        linksReproduciblyAndOnce(temurin25(), TestJars.TEMURIN_25.toString());
    }

    private void linksReproduciblyAndOnce(Jdk jdk, String configured) throws Exception {
        SortedSet<String> modules = new TreeSet<>(List.of("java.base", "java.logging"));
        List<String> info = new ArrayList<>();
        Path one = RuntimeLinker.link(jdk, configured, modules, folder.resolve("one"), info::add, line -> {});
        assertThat(info).hasSize(1);
        Object release = inode(one.resolve("release"));
        Object modulesImage = inode(one.resolve("lib/modules"));

        Path again = RuntimeLinker.link(jdk, configured, modules, folder.resolve("one"), info::add, line -> {});
        assertThat(again).isEqualTo(one);
        assertThat(info).as("jlink ran again").hasSize(1);
        assertThat(inode(one.resolve("release"))).isEqualTo(release);
        assertThat(inode(one.resolve("lib/modules"))).isEqualTo(modulesImage);
        assertThat(Files.readString(one.resolve("release"))).contains("MODULES=\"java.base java.logging\"");
        assertThat(one.resolve("lib/server/classes.jsa")).doesNotExist();
        assertThat(one.resolve("include")).doesNotExist();

        Path other = RuntimeLinker.link(jdk, configured, modules, folder.resolve("elsewhere/two"), info::add,
                line -> {});
        assertThat(info).hasSize(2);
        assertThat(other.getFileName()).isEqualTo(one.getFileName());
        assertThat(tree(other)).isEqualTo(tree(one));
        try (Stream<Path> leftovers = Files.list(folder.resolve("one"))) {
            assertThat(leftovers).containsExactly(one);
        }
    }

    /** @return every path of the tree with its type, mode, link target or bytes' hash */
    private static List<String> tree(Path root) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted()::iterator) {
                String line = root.relativize(path) + " " + Files.getAttribute(path, "unix:mode",
                        LinkOption.NOFOLLOW_LINKS);
                if (Files.isSymbolicLink(path)) {
                    line += " -> " + Files.readSymbolicLink(path);
                } else if (Files.isRegularFile(path)) {
                    line += " " + java.util.HexFormat.of().formatHex(java.security.MessageDigest
                            .getInstance("SHA-256").digest(Files.readAllBytes(path)));
                }
                lines.add(line);
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return lines;
    }

    private static Object inode(Path file) throws IOException {
        return List.of(Files.getAttribute(file, "unix:ino"), Files.getLastModifiedTime(file),
                Files.getAttribute(file, "unix:ctime"));
    }
}
