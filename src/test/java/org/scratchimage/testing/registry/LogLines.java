package org.scratchimage.testing.registry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** The lines of one output stream of the process, read by a daemon thread as they come. */
final class LogLines {
    private final List<String> lines = new ArrayList<>();
    private boolean ended;

    static LogLines follow(InputStream stream, String name) {
        LogLines log = new LogLines();
        Thread reader = new Thread(() -> log.read(stream), name);
        reader.setDaemon(true);
        reader.start();
        return log;
    }

    private void read(InputStream stream) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                synchronized (this) {
                    lines.add(line);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // the process ended; what was read stays
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    synchronized List<String> snapshot() {
        return List.copyOf(lines);
    }

    /** @return the first line matching the pattern, waiting for it */
    String await(Pattern pattern, Duration timeout, Process process) throws IOException {
        int index = awaitMatch(line -> pattern.matcher(line).find(), "line matching " + pattern, timeout,
                process);
        return snapshot().get(index);
    }

    /** @return the index of the first line containing the text, waiting for it */
    int awaitIndex(String text, Duration timeout, Process process) {
        try {
            return awaitMatch(line -> line.contains(text), "line containing " + text, timeout, process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void waitForExit(Process process) {
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized int awaitMatch(Predicate<String> test, String what,
            Duration timeout, Process process) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int checked = 0; ; ) {
            for (; checked < lines.size(); checked++) {
                if (test.test(lines.get(checked))) {
                    return checked;
                }
            }
            long left = deadline - System.nanoTime();
            if (ended || left <= 0) {
                if (ended) {
                    // the stream closes as the process exits: give it a moment to report its exit code
                    waitForExit(process);
                }
                String state = process.isAlive() ? "still running" : "exited with " + process.exitValue();
                throw new IOException("docker-registry (" + state + ") wrote no " + what + " within "
                        + timeout.toSeconds() + " s; its output:\n" + String.join("\n", lines));
            }
            try {
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + what, e);
            }
        }
    }
}
