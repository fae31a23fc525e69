package org.scratchimage.core.java;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.function.Consumer;

/**
 * A jlink runtime of given modules, made once per JDK, module list and options, and kept under {@code target/}
 * ({@code target/scratch-java/<key>/}). An unchanged build finds it and does not run jlink: its files keep their
 * inodes and times, so the layer that holds them is reused.
 *
 * <p>jlink's output is byte for byte the same across runs and folders (checked on JDK 17 with jmods and on Temurin
 * 25 linking from its run-time image): the options below add no CDS archive, and the image's times come from the
 * build, not from the files. On JDK 17 it also depended on the locale jlink ran in: its {@code generate-jli-classes}
 * plugin wrote 21 other {@code java/lang/invoke} classes under {@code LANG=C.UTF-8} than under {@code LC_ALL=C}
 * (found by the IT {@code java-app-reproducible}, 2026-11-30), so that plugin is off: those classes are generated
 * when the program first needs them instead, as in a JDK whose run-time image was not pre-generated.
 */
public final class RuntimeLinker {
    private RuntimeLinker() {}

    /** @return the jlink options, apart from the modules and the output: the same for every build of a JDK */
    public static List<String> options(Jdk jdk) {
        // --compress=2 is the zip compression; Java 21 deprecated the number for its name.
        return List.of("--strip-debug", "--no-header-files", "--no-man-pages",
                "--compress=" + (jdk.feature() >= 21 ? "zip-6" : "2"), "--disable-plugin", "generate-jli-classes");
    }

    /**
     * @param configured the JDK as the user gave it, for the error when it cannot link
     * @return the runtime's folder under {@code cache}, linked now or by an earlier build
     * @throws JavaSetupException if the JDK cannot link (checked only when a runtime has to be made)
     */
    public static Path link(Jdk jdk, String configured, SortedSet<String> modules, Path cache, Consumer<String> info,
            Consumer<String> debug) throws JavaSetupException, IOException {
        List<String> options = options(jdk);
        CacheFiles.Key key = new CacheFiles.Key().add("runtime").add(jdk.identity()).add(String.join(",", modules));
        options.forEach(key::add);
        Path runtime = cache.resolve(key.hex().substring(0, 32));
        if (Files.isRegularFile(runtime.resolve("release"))) {
            debug.accept("jlink: the runtime of " + String.join(",", modules) + " is cached in " + runtime);
            return runtime;
        }
        jdk.checkCanLink(configured);
        Files.createDirectories(cache);
        Path staging = Files.createTempDirectory(cache, ".link-");
        Path output = staging.resolve("runtime");
        try {
            List<String> arguments = new ArrayList<>(options);
            arguments.addAll(List.of("--add-modules", String.join(",", modules), "--output", output.toString()));
            long started = System.nanoTime();
            JdkTools.Run run = JdkTools.run(jdk, "jlink", arguments);
            if (!run.succeeded()) {
                throw new IOException("jlink of " + jdk.describe() + " failed (exit code " + run.exitCode() + "): "
                        + run.output().strip());
            }
            try {
                Files.move(output, runtime);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                debug.accept("jlink: another build made " + runtime + " meanwhile; using it");
            }
            info.accept("Linked a Java " + jdk.feature() + " runtime of " + modules.size() + " modules ("
                    + String.join(",", modules) + ") in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            return runtime;
        } finally {
            deleteTree(staging);
        }
    }

    /** Deletes a folder this class made, without following links. */
    private static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
