package org.scratchimage.core.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayoutLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondBuildOfTheSameLayoutWaitsUntilTheFirstIsDone() throws Exception {
        Path layout = dir.resolve("target/oci");
        List<String> waiting = new CopyOnWriteArrayList<>();
        CountDownLatch secondAcquired = new CountDownLatch(1);

        CompletableFuture<Void> second;
        try (LayoutLock first = LayoutLock.acquire(layout, waiting::add)) {
            second = CompletableFuture.runAsync(() -> {
                try (LayoutLock lock = LayoutLock.acquire(layout, waiting::add)) {
                    secondAcquired.countDown();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(secondAcquired.await(300, TimeUnit.MILLISECONDS)).isFalse();
        }
        assertThat(secondAcquired.await(10, TimeUnit.SECONDS)).isTrue();
        second.get(10, TimeUnit.SECONDS);
        assertThat(waiting).singleElement().asString().contains("Waiting for another build").contains(layout.toString());
    }

    @Test
    void differentLayoutsDoNotWaitForEachOther() throws Exception {
        List<String> waiting = new CopyOnWriteArrayList<>();
        try (LayoutLock a = LayoutLock.acquire(dir.resolve("a"), waiting::add);
                LayoutLock b = LayoutLock.acquire(dir.resolve("b"), waiting::add)) {
            assertThat(waiting).isEmpty();
        }
    }

    @Test
    void theLockFileLiesBesideTheLayoutNotInsideIt() throws Exception {
        Path layout = dir.resolve("oci");
        try (LayoutLock lock = LayoutLock.acquire(layout, s -> {})) {
            assertThat(dir.resolve(".oci.scratch-lock")).isRegularFile();
            assertThat(layout).doesNotExist();
        }
        assertThat(Files.exists(dir.resolve(".oci.scratch-lock"))).isTrue();
    }
}
