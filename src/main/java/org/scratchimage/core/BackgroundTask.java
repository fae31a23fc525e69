package org.scratchimage.core;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Work that runs beside the build's thread, on a daemon thread of its own, and whose result the build waits for
 * where it needs it: reads that the build would otherwise make one after the other on one core of several.
 *
 * @param <T> the result
 */
public final class BackgroundTask<T> {
    /** The work: reads, which may fail as reads do. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws IOException;
    }

    private final FutureTask<T> task;

    private BackgroundTask(Work<T> work) {
        this.task = new FutureTask<>(work::run);
    }

    /** @return the work, not started: {@link #startAll} or {@link #run} starts it */
    public static <T> BackgroundTask<T> of(Work<T> work) {
        return new BackgroundTask<>(work);
    }

    /** Starts one daemon thread, named {@code name}, that runs the tasks one after the other, in this order. */
    public static void startAll(String name, BackgroundTask<?>... tasks) {
        Thread thread = new Thread(() -> {
            for (BackgroundTask<?> task : tasks) {
                task.task.run();
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs the work on the calling thread, if no thread has run it. */
    public void run() {
        task.run();
    }

    /**
     * Stops the work, which is no longer needed: it is interrupted if running, and never runs if it has not started.
     * Its result is then never awaited.
     */
    public void cancel() {
        task.cancel(true);
    }

    /**
     * Waits for the work to end, without giving up if the calling thread is interrupted (the work is short and the
     * build needs it; the interrupt is kept for the build's caller), and returns its result.
     *
     * @throws IOException what the work threw
     */
    public T join() throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            // Work declares no other checked exception: the cause is a RuntimeException, a bug.
            throw (RuntimeException) e.getCause();
        } catch (CancellationException e) {
            throw new IllegalStateException("the result of cancelled work was awaited", e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
