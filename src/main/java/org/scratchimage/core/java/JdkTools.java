package org.scratchimage.core.java;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.spi.ToolProvider;

/**
 * Runs a JDK's own {@code jdeps} or {@code jlink}: {@code jdeps} in this JVM through {@link ToolProvider} when the JDK
 * is the one running the build (no second JVM start), else as {@code <jdk>/bin/<tool>}, since jlink links only its own
 * release and jdeps knows only its own modules.
 *
 * <p>jlink always runs as a process: on JDK 17, a second jlink run in the same JVM writes a {@code lib/modules} with
 * other bytes than the first (the first matches the command line's), so a reactor or a Maven daemon would link
 * runtimes that differ from one build to the next. A process costs a JVM start, about 0.3 s of a 3.5 s link.
 */
final class JdkTools {
    private JdkTools() {}

    /** What a tool printed and how it ended. */
    record Run(int exitCode, String output) {
        boolean succeeded() {
            return exitCode == 0;
        }
    }

    static Run run(Jdk jdk, String tool, List<String> arguments) throws IOException {
        if (jdk.running() && !tool.equals("jlink")) {
            Optional<ToolProvider> provider = ToolProvider.findFirst(tool);
            if (provider.isPresent()) {
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                int code;
                try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
                    code = provider.get().run(o, e, arguments.toArray(String[]::new));
                } catch (java.lang.module.FindException | java.lang.module.ResolutionException e) {
                    // jdeps throws these, instead of failing, when a module among the jars requires one that is not
                    // there; its process prints the same and exits 1. Anything else it throws is a bug: it escapes.
                    return new Run(1, out + err.toString() + tool + ": " + e);
                }
                return new Run(code, out + err.toString());
            }
        }
        Path program = jdk.home().resolve("bin").resolve(tool);
        if (!Files.isExecutable(program)) {
            throw new IOException("The JDK at " + jdk.home() + " has no " + tool + " to run (" + program + ")");
        }
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (InputStream in = process.getInputStream()) {
            in.transferTo(output);
        }
        try {
            return new Run(process.waitFor(), output.toString(Charset.defaultCharset()));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while " + tool + " ran", e);
        }
    }
}
