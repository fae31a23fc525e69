package org.scratchimage.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.scratchimage.core.image.FileStamp;
import org.scratchimage.core.java.Jdk;
import org.scratchimage.core.java.JavaSetupException;
import org.scratchimage.core.java.ModuleScan;
import org.scratchimage.core.java.RuntimeLinker;

/**
 * Turns {@code <java>} into what the user would otherwise declare by hand: the jlink runtime as a directory in
 * {@code /opt/java} (layer {@code jre}, its native libraries resolved like any program's), {@code /tmp}, the
 * dependency jars in {@code /app/libs} (layers {@code dependencies} and {@code snapshot-dependencies}), the
 * project's jar in {@code /app} (layer {@code app}), and the entrypoint and environment unless set. The planner
 * then plans them as any declaration. The declarations go after the user's, so that the user's keep their numbers
 * in messages.
 */
final class JavaApplication {
    static final String RUNTIME = "/opt/java";
    static final String LIBS = "/app/libs";
    static final String JRE_LAYER = "jre";
    static final String DEPENDENCIES_LAYER = "dependencies";
    static final String SNAPSHOTS_LAYER = "snapshot-dependencies";
    /** Docker's default {@code PATH}, after the runtime's {@code bin}, as the Temurin images set it. */
    static final String PATH = RUNTIME + "/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /** Found by no static analysis (TLS's elliptic curves; zip file systems), but wanted by most applications. */
    static final List<String> ALWAYS = List.of("jdk.crypto.ec", "jdk.zipfs");

    private JavaApplication() {}

    /** @return the request with {@code <java>} expanded into declarations and container settings */
    static BuildRequest expand(BuildRequest request, BuildListener listener)
            throws InvalidConfigurationException, IOException {
        JavaSpec java = request.java();
        if (java == null) {
            return request;
        }
        if (!request.platforms().isEmpty()) {
            throw new InvalidConfigurationException("<java>", null, "is set together with <platforms>, which it does"
                    + " not support yet: the runtime is linked from one JDK, for the build machine's platform",
                    "remove <platforms> to build for this machine, or, for other platforms, link a runtime with"
                            + " that platform's JDK by hand and declare it with <directories> and <files>, as"
                            + " examples/java-hello does");
        }
        Path projectJar = projectJar(java);
        List<String> flags = jvmFlags(java.jvmFlags());
        boolean qualified = Boolean.TRUE.equals(java.qualifiedJarNames());
        Map<String, JavaDependency> names = names(java.dependencies(), qualified);
        String mainClass = mainClass(java, projectJar);
        try {
            Jdk jdk = Jdk.of(java.jdk(), Path.of(System.getProperty("java.home")));
            SortedSet<String> modules = modules(java, jdk, projectJar, listener);
            long linking = System.currentTimeMillis();
            Path runtime = RuntimeLinker.link(jdk, java.jdk(), modules, java.workDirectory(), listener::info,
                    listener::debug);
            settle(runtime, linking);
            return declared(request, java, runtime, projectJar, names, mainClass, flags);
        } catch (JavaSetupException e) {
            throw new InvalidConfigurationException("<java>/<" + e.setting() + ">", e.value(), e.problem(), e.fix());
        }
    }

    /**
     * Waits, once per new runtime, until its files' stamps are old enough to be trusted: stamped within the
     * racily-clean window of {@link Fingerprints} (a jiffy, or two seconds on a file system with whole-second times),
     * the {@code jre} layer would be recorded racy, and the next build would write it again instead of reusing it.
     * A runtime from the cache is older than that, and costs one stat.
     */
    private static void settle(Path runtime, long linking) throws IOException {
        if (!FileStamp.read(runtime.resolve("release"), false).changedSince(linking - 1000)) {
            return;
        }
        long deadline = System.currentTimeMillis() + (FileStamp.COARSE_SECONDS + 1) * 1000;
        while (System.currentTimeMillis() < deadline && changedWithin(runtime, Fingerprints.RACY_MILLIS)) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while the new Java runtime settles");
            }
        }
    }

    /** @return whether a file or folder of {@code tree} may have changed within the last {@code millis} */
    private static boolean changedWithin(Path tree, long millis) throws IOException {
        long since = System.currentTimeMillis() - millis;
        try (java.util.stream.Stream<Path> files = Files.walk(tree)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (FileStamp.read(file, false).changedSince(since)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Path projectJar(JavaSpec java) throws InvalidConfigurationException {
        Path jar = java.projectJar();
        boolean pom = "pom".equals(java.packaging());
        if (pom && (jar == null || !Files.isRegularFile(jar))) {
            if (Values.isBlank(java.mainClass()) || java.dependencies().isEmpty()) {
                throw new InvalidConfigurationException("<java>", null, "is set on a project with pom packaging,"
                        + " which has no jar of its own, and " + (Values.isBlank(java.mainClass())
                                ? "<java>/<mainClass> is not set" : "the project has no runtime dependencies"),
                        "give <java> a <mainClass> and the dependencies that hold the application, or build the"
                                + " image in the module with jar packaging");
            }
            return null;
        }
        if (jar == null || !Files.isRegularFile(jar)) {
            throw new InvalidConfigurationException("<java>", jar == null ? null : jar.toString(), "needs the"
                    + " project's jar, which is not built yet", "run scratch:build in the package phase (its"
                    + " default, after jar:jar), as with mvn package, not alone as mvn scratch:build");
        }
        return jar;
    }

    private static List<String> jvmFlags(List<String> flags) throws InvalidConfigurationException {
        for (int i = 0; i < flags.size(); i++) {
            if (Values.isBlank(flags.get(i))) {
                throw new InvalidConfigurationException("<java>/<jvmFlags>/<jvmFlag>[" + (i + 1) + "]",
                        flags.get(i) == null ? "" : flags.get(i), "is empty",
                        "write one option per <jvmFlag>, such as -XX:MaxRAMPercentage=75, or remove the element");
            }
        }
        return flags;
    }

    /** @return each dependency by its jar's name in {@code /app/libs}, in class path order */
    private static Map<String, JavaDependency> names(List<JavaDependency> dependencies, boolean qualified)
            throws InvalidConfigurationException {
        Map<String, JavaDependency> names = new LinkedHashMap<>();
        for (JavaDependency dependency : dependencies) {
            if (dependency.file() == null || !Files.isRegularFile(dependency.file())) {
                throw new InvalidConfigurationException("<java>", dependency.coordinates(), "is a dependency whose"
                        + " file is " + (dependency.file() == null ? "not resolved" : dependency.file()
                                + ", not a jar"), "build the reactor up to the package phase (mvn package), so"
                                + " that every module of it has its jar");
            }
            JavaDependency other = names.putIfAbsent(dependency.fileName(qualified), dependency);
            if (other != null) {
                throw new InvalidConfigurationException("<java>", dependency.coordinates(), "has the same jar name,"
                        + " " + dependency.fileName(qualified) + ", as " + other.coordinates(), qualified
                        ? "exclude one of them; they differ only in their type"
                        : "set <java><qualifiedJarNames>true</qualifiedJarNames></java>, which names every jar"
                                + " groupId-artifactId-version.jar, or exclude one of them");
            }
        }
        return names;
    }

    private static String mainClass(JavaSpec java, Path projectJar) throws InvalidConfigurationException,
            IOException {
        if (!Values.isBlank(java.mainClass())) {
            String name = java.mainClass().trim();
            if (!name.matches("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*"
                    + "(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*")) {
                throw new InvalidConfigurationException("<java>/<mainClass>", java.mainClass(), "is not a class"
                        + " name", "write the main class's binary name, such as com.example.Main");
            }
            return name;
        }
        String fromManifest = null;
        if (projectJar != null) {
            try (JarFile jar = new JarFile(projectJar.toFile())) {
                Manifest manifest = jar.getManifest();
                fromManifest = manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class");
            }
        }
        if (Values.isBlank(fromManifest)) {
            throw new InvalidConfigurationException("<java>/<mainClass>", null, "is not set, and the project's jar"
                    + " has no Main-Class in its manifest", "set <java><mainClass>com.example.Main</mainClass>"
                            + "</java>, or the maven-jar-plugin's <archive><manifest><mainClass>");
        }
        return fromManifest.trim();
    }

    private static SortedSet<String> modules(JavaSpec java, Jdk jdk, Path projectJar, BuildListener listener)
            throws JavaSetupException, IOException {
        SortedSet<String> modules = new TreeSet<>();
        if (!Values.isBlank(java.modules())) {
            for (String module : java.modules().split(",")) {
                String name = module.trim();
                if (name.isEmpty()) {
                    continue;
                }
                if (!jdk.modules().contains(name)) {
                    throw new JavaSetupException("modules", java.modules(), "names " + name + ", which is not a"
                            + " module of the JDK " + jdk.describe(), "list modules of that JDK (java"
                            + " --list-modules), comma-separated, or remove <modules> to have jdeps find them");
                }
                modules.add(name);
            }
            if (!modules.isEmpty()) {
                return modules;
            }
        }
        List<Path> jars = new ArrayList<>();
        for (JavaDependency dependency : java.dependencies()) {
            jars.add(dependency.file());
        }
        modules.addAll(ModuleScan.modules(jdk, projectJar, jars, java.workDirectory(), listener::debug));
        for (String module : ALWAYS) {
            if (jdk.modules().contains(module)) {
                modules.add(module);
            }
        }
        modules.retainAll(jdk.modules());
        return modules;
    }

    private static BuildRequest declared(BuildRequest request, JavaSpec java, Path runtime, Path projectJar,
            Map<String, JavaDependency> names, String mainClass, List<String> flags) {
        BuildRequest.Builder builder = request.toBuilder();
        builder.addDirectory(DirectorySpec.builder().source(runtime.toString()).path(RUNTIME).layer(JRE_LAYER)
                .build());
        if (!declares(request, "/tmp")) {
            builder.addDirectory(DirectorySpec.builder().path("/tmp").mode("1777").layer(JRE_LAYER).build());
        }
        StringBuilder classPath = new StringBuilder();
        if (projectJar != null) {
            String path = "/app/" + java.artifactId() + ".jar";
            builder.addFile(FileSpec.builder().source(projectJar.toString()).path(path).build());
            classPath.append(path);
        }
        for (Map.Entry<String, JavaDependency> jar : names.entrySet()) {
            String path = LIBS + "/" + jar.getKey();
            builder.addFile(FileSpec.builder().source(jar.getValue().file().toString()).path(path)
                    .layer(jar.getValue().snapshot() ? SNAPSHOTS_LAYER : DEPENDENCIES_LAYER).build());
            classPath.append(classPath.length() == 0 ? "" : ":").append(path);
        }
        ContainerSpec container = request.container();
        List<String> entrypoint = container.entrypoint();
        if (entrypoint.isEmpty()) {
            entrypoint = new ArrayList<>();
            entrypoint.add(RUNTIME + "/bin/java");
            entrypoint.addAll(flags);
            entrypoint.addAll(List.of("-cp", classPath.toString(), mainClass));
        }
        Map<String, String> environment = new HashMap<>(container.environment());
        environment.putIfAbsent("JAVA_HOME", RUNTIME);
        environment.putIfAbsent("PATH", PATH);
        return builder.container(ContainerSpec.builder().entrypoint(entrypoint).cmd(container.cmd())
                .environment(environment).workingDirectory(container.workingDirectory()).user(container.user())
                .ports(container.ports()).volumes(container.volumes()).labels(container.labels())
                .stopSignal(container.stopSignal()).build()).build();
    }

    /** @return whether the user declares a directory at {@code path} */
    private static boolean declares(BuildRequest request, String path) {
        for (DirectorySpec directory : request.directories()) {
            if (directory != null && directory.path() != null
                    && directory.path().trim().replaceAll("/+$", "").equals(path)) {
                return true;
            }
        }
        return false;
    }
}
