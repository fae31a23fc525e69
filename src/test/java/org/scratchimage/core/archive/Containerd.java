package org.scratchimage.core.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.scratchimage.core.tar.ExternalTools;

/**
 * A containerd of the test's own: root, state and sockets under a temporary folder, the CRI plugin off, so it runs
 * beside the machine's containerd (if any) and other tests. {@link #close} stops it by its process.
 */
final class Containerd implements AutoCloseable {
    private static final long START_MILLIS = 30_000;

    private final Process process;
    private final Path socket;
    private final Path log;

    private Containerd(Process process, Path socket, Path log) {
        this.process = process;
        this.socket = socket;
        this.log = log;
    }

    /**
     * Starts containerd in {@code folder}, which must be short: a socket path holds at most 107 bytes.
     *
     * @return it, answering on its socket
     */
    static Containerd start(Path folder) throws IOException, InterruptedException {
        ExternalTools.require("containerd");
        ExternalTools.require("ctr");
        ExternalTools.requireRoot("running containerd and its containers");
        Path dir = Files.createDirectories(folder).toAbsolutePath();
        Path socket = dir.resolve("c.sock");
        Path config = dir.resolve("config.toml");
        Files.writeString(config, String.join("\n",
                "version = 2",
                "root = \"" + dir.resolve("root") + "\"",
                "state = \"" + dir.resolve("state") + "\"",
                "disabled_plugins = [\"io.containerd.grpc.v1.cri\"]",
                "[grpc]",
                "  address = \"" + socket + "\"",
                "[ttrpc]",
                "  address = \"" + dir.resolve("c.ttrpc") + "\"",
                "[debug]",
                "  address = \"" + dir.resolve("debug.sock") + "\"",
                ""));
        Path log = dir.resolve("containerd.log");
        Process process = new ProcessBuilder("containerd", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Containerd containerd = new Containerd(process, socket, log);
        long deadline = System.currentTimeMillis() + START_MILLIS;
        while (!containerd.answers()) {
            if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                containerd.close();
                Assertions.fail("containerd did not start: " + containerd.log());
            }
            Thread.sleep(100);
        }
        return containerd;
    }

    private boolean answers() {
        return Files.exists(socket) && ExternalTools.run(List.of("ctr", "--address", socket.toString(), "version"))
                .exitCode() == 0;
    }

    /** Runs {@code ctr} against this containerd. */
    ExternalTools.Result ctr(String... args) {
        List<String> command = new ArrayList<>(List.of("ctr", "--address", socket.toString()));
        command.addAll(List.of(args));
        return ExternalTools.run(command);
    }

    /** @return what containerd logged, for a failure's message */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops containerd (SIGTERM, then SIGKILL after 20 s) and checks that it is gone. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
        assertThat(process.isAlive()).as("containerd %d still runs", process.pid()).isFalse();
    }
}
