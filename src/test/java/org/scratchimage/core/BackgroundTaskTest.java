package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Work run beside the build's thread hands over its result or its failure, and stops when it is cancelled. */
class BackgroundTaskTest {
    @Test
    void tasksStartedTogetherRunInTurnOnOneDaemonThreadOfTheirName() throws Exception {
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        BackgroundTask<Integer> first = BackgroundTask.of(() -> {
            threads.add(Thread.currentThread().getName() + " " + Thread.currentThread().isDaemon());
            return 1;
        });
        BackgroundTask<Integer> second = BackgroundTask.of(() -> {
            threads.add(Thread.currentThread().getName() + " " + Thread.currentThread().isDaemon());
            // The first ran before: its result is there.
            return first.join() + 1;
        });

        BackgroundTask.startAll("scratch-test", first, second);

        assertThat(second.join()).isEqualTo(2);
        assertThat(threads).containsExactly("scratch-test true", "scratch-test true");
    }

    @Test
    void theWorksIoExceptionIsThrownByJoinAsItWas() {
        NoSuchFileException failure = new NoSuchFileException("/gone");
        BackgroundTask<String> task = BackgroundTask.of(() -> {
            throw failure;
        });
        BackgroundTask.startAll("scratch-test", task);

        assertThatThrownBy(task::join).isSameAs(failure);
    }

    @Test
    void cancelledWorkIsInterruptedAndStops() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        BackgroundTask<Void> task = BackgroundTask.of(() -> {
            running.countDown();
            while (!Thread.currentThread().isInterrupted()) {
                Thread.onSpinWait();
            }
            stopped.countDown();
            return null;
        });
        BackgroundTask.startAll("scratch-test", task);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        task.cancel();

        assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void anInterruptedJoinStillWaitsAndKeepsTheInterrupt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        BackgroundTask<String> task = BackgroundTask.of(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            return "done";
        });
        BackgroundTask.startAll("scratch-test", task);
        Thread.currentThread().interrupt();
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            release.countDown();
        });
        releaser.start();

        try {
            assertThat(task.join()).isEqualTo("done");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
            releaser.join();
        }
    }
}
