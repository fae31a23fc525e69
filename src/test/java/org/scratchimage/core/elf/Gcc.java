package org.scratchimage.core.elf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.scratchimage.core.tar.ExternalTools;

/** Compiles tiny C programs and libraries for the tests; a missing gcc fails under CI=true and skips, loudly, elsewhere. */
public final class Gcc {
    private Gcc() {}

    public static void requireGcc() throws IOException, InterruptedException {
        ExternalTools.require("gcc");
    }

    /** Compiles {@code source} with {@code args} (e.g. {@code -shared -fPIC -o out}). */
    public static void compile(Path dir, String source, String... args) throws IOException, InterruptedException {
        Path c = Files.createTempFile(dir, "src", ".c");
        Files.writeString(c, source);
        List<String> command = new ArrayList<>(List.of("gcc", c.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("gcc %s: %s", command, output).isZero();
        Files.delete(c);
    }
}
