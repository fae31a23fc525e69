package org.scratchimage.core.java;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Real jars for the tests: sources compiled by the JDK's compiler, packed with a manifest. */
public final class TestJars {
    /** The JDK of issue 17's machines that links from its run-time image (JEP 493), with no jmods. */
    public static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    private TestJars() {}

    /**
     * @param sources each class's binary name and source, in pairs
     * @param mainClass the manifest's {@code Main-Class}, or {@code null} for none
     * @return the jar, {@code folder/name}
     */
    public static Path jar(Path folder, String name, String mainClass, String... sources) throws IOException {
        Path src = Files.createTempDirectory(folder, "src");
        Path classes = Files.createTempDirectory(folder, "classes");
        List<String> arguments = new ArrayList<>(List.of("--release", "17", "-d", classes.toString()));
        for (int i = 0; i < sources.length; i += 2) {
            Path file = src.resolve(sources[i].replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, sources[i + 1]);
            arguments.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac.run(null, null, null, arguments.toArray(String[]::new)) != 0) {
            throw new IOException("javac failed on " + arguments);
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (mainClass != null) {
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        }
        Path jar = folder.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest);
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                jarOut.putNextEntry(new JarEntry(classes.relativize(file).toString()));
                jarOut.write(Files.readAllBytes(file));
                jarOut.closeEntry();
            }
        }
        return jar;
    }
}
