package org.scratchimage.core.java;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.InvalidModuleDescriptorException;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipFile;

/**
 * The JDK modules an application uses, as {@code jdeps --print-module-deps --ignore-missing-deps --multi-release N}
 * reports them, cached under {@code target/}.
 *
 * <p>jdeps costs about a second per run and grows with the jars (4.7 s for 40 jars, 92 MB, as a process of JDK 17).
 * The answer is therefore cached in two parts: one for the dependencies, keyed by every dependency jar's stamp,
 * and one for the project's jar, keyed by its own stamp and the dependencies' key. A change to the application's
 * code runs jdeps over its jar alone. jdeps reads the classes of every jar it is given whatever references them, so
 * the union of the two answers is the answer for all the jars at once. A jar that is a module ({@code
 * module-info.class}) needs the modules it requires among the inputs: when jdeps cannot take the project's jar
 * alone, it runs again over every jar.
 *
 * <p>jdeps resolves a module's {@code requires} and throws when one is missing, as on a class path that Maven's
 * version mediation gave {@code slf4j-simple} 2.0 (a module requiring {@code org.slf4j}) beside {@code slf4j-api}
 * 1.7 (none): the application runs on that class path, so the build must not fail (found by bench W9, 2026-11-30).
 * When jdeps fails on jars, the modules among them give their {@code module-info}'s {@code requires} of the JDK,
 * {@code static} ones too, and jdeps reads the others.
 */
public final class ModuleScan {
    private ModuleScan() {}

    /**
     * @param applicationJar the project's jar, or {@code null} for none
     * @param dependencies the dependency jars, in class path order
     * @param cache the folder of the cache files
     * @return the JDK modules the jars use; {@code java.base} at least
     */
    public static SortedSet<String> modules(Jdk jdk, Path applicationJar, List<Path> dependencies, Path cache,
            Consumer<String> debug) throws IOException {
        CacheFiles.Key dependencyKey = new CacheFiles.Key().add("dependencies").add(jdk.identity())
                .add(Integer.toString(jdk.feature()));
        for (Path jar : dependencies) {
            dependencyKey.addStamp(jar);
        }
        String dependenciesKey = dependencyKey.hex();
        SortedSet<String> modules = new TreeSet<>(List.of("java.base"));
        if (!dependencies.isEmpty()) {
            modules.addAll(cached(jdk, cache.resolve("jdeps-dependencies.txt"), dependenciesKey, dependencies,
                    null, "the " + dependencies.size() + " dependency jars", debug));
        }
        if (applicationJar != null) {
            String key = new CacheFiles.Key().add("application").add(dependenciesKey).addStamp(applicationJar).hex();
            modules.addAll(cached(jdk, cache.resolve("jdeps-application.txt"), key, List.of(applicationJar),
                    dependencies, "the project's jar", debug));
        }
        return modules;
    }

    private static SortedSet<String> cached(Jdk jdk, Path file, String key, List<Path> jars, List<Path> withFallback,
            String what, Consumer<String> debug) throws IOException {
        String stored = CacheFiles.read(file, key);
        if (stored != null) {
            debug.accept("jdeps: the modules of " + what + " are cached: " + stored);
            return parse(stored);
        }
        long started = System.nanoTime();
        SortedSet<String> declared = new TreeSet<>();
        JdkTools.Run run = jdeps(jdk, jars);
        if (!run.succeeded()) {
            // jdeps resolves a module's requires, and stops when one is missing: such modules give their requires.
            List<Path> scanned = new ArrayList<>();
            for (Path jar : jars) {
                Optional<ModuleDescriptor> module = descriptor(jar, jdk.feature());
                if (module.isPresent()) {
                    declared.addAll(jdkRequires(module.get(), jdk));
                } else {
                    scanned.add(jar);
                }
            }
            debug.accept("jdeps could not read " + what + " (" + run.output().strip() + "); the modules among them"
                    + " require " + declared + " of the JDK");
            jars = scanned;
            run = scanned.isEmpty() ? new JdkTools.Run(0, "java.base") : jdeps(jdk, scanned);
        }
        if (!run.succeeded() && withFallback != null && !withFallback.isEmpty()) {
            debug.accept("jdeps could not read " + what + " alone, reading it with its dependencies: "
                    + run.output().strip());
            List<Path> all = new ArrayList<>(jars);
            for (Path dependency : withFallback) {
                if (descriptor(dependency, jdk.feature()).isEmpty()) {
                    all.add(dependency);
                }
            }
            run = jdeps(jdk, all);
        }
        if (!run.succeeded()) {
            throw new IOException("jdeps of " + jdk.describe() + " failed on " + what + " (exit code "
                    + run.exitCode() + "): " + run.output().strip());
        }
        SortedSet<String> found = parse(lastLine(run.output()));
        found.addAll(declared);
        String answer = String.join(",", found);
        debug.accept("jdeps: " + what + " use " + answer + " (" + (System.nanoTime() - started) / 1_000_000
                + " ms)");
        CacheFiles.write(file, key, answer);
        return parse(answer);
    }

    /**
     * @return the module descriptor of {@code jar}, as a JVM of {@code feature} reads it (a multi-release jar's
     *     versioned {@code module-info.class} included), or empty if it is no module
     */
    static Optional<ModuleDescriptor> descriptor(Path jar, int feature) throws IOException {
        try (JarFile file = new JarFile(jar.toFile(), false, ZipFile.OPEN_READ, Runtime.Version.parse(
                Integer.toString(feature)))) {
            JarEntry entry = file.getJarEntry("module-info.class");
            if (entry == null) {
                return Optional.empty();
            }
            try (InputStream in = file.getInputStream(entry)) {
                return Optional.of(ModuleDescriptor.read(in));
            } catch (InvalidModuleDescriptorException e) {
                // Not a module the JVM could load either: jdeps reads its classes like any others.
                return Optional.empty();
            }
        }
    }

    /**
     * @return the modules of the JDK that {@code module} requires, {@code static} ones too: optional at run time, they
     *     are used when present, as jdeps would count them from the classes that use them (jackson-databind requires
     *     {@code java.sql} static, for its serializers of its dates)
     */
    private static List<String> jdkRequires(ModuleDescriptor module, Jdk jdk) {
        List<String> required = new ArrayList<>();
        for (ModuleDescriptor.Requires requires : module.requires()) {
            if (jdk.modules().contains(requires.name())) {
                required.add(requires.name());
            }
        }
        return required;
    }

    private static JdkTools.Run jdeps(Jdk jdk, List<Path> jars) throws IOException {
        List<String> arguments = new ArrayList<>(List.of("--print-module-deps", "--ignore-missing-deps",
                "--multi-release", Integer.toString(jdk.feature())));
        for (Path jar : jars) {
            arguments.add(jar.toString());
        }
        return JdkTools.run(jdk, "jdeps", arguments);
    }

    /** @return the module list, the last line jdeps prints (warnings may come before it) */
    private static String lastLine(String output) {
        String[] lines = output.strip().split("\\R");
        String last = lines[lines.length - 1].strip();
        return last.matches("[A-Za-z0-9_.]+(,[A-Za-z0-9_.]+)*") ? last : "java.base";
    }

    private static SortedSet<String> parse(String list) {
        SortedSet<String> modules = new TreeSet<>();
        for (String module : list.split(",")) {
            if (!module.isBlank()) {
                modules.add(module.strip());
            }
        }
        return modules;
    }
}
