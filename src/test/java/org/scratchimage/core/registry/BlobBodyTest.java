package org.scratchimage.core.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.compress.DigestingOutputStream;

/**
 * The blob body's publisher on its own, against a subscriber that consumes pieces as the HTTP client does (by
 * advancing their position), or holds them unconsumed. The uploads to a real registry are in RegistryTest and
 * RegistryFaultsTest; there the registry checks every byte against the digest.
 */
class BlobBodyTest {
    @TempDir
    Path dir;

    @Test
    void consumedPiecesAreUsedAgainAndTheBytesArriveIntact() throws IOException {
        byte[] bytes = random(10 * BlobBody.CHUNK + 123);
        Recorder recorder = subscribe(body(bytes), true);

        assertThat(recorder.completed).isTrue();
        assertThat(recorder.received.toByteArray()).isEqualTo(bytes);
        assertThat(recorder.pieces).hasSize(11);
        assertThat(distinct(recorder.pieces)).as("distinct buffers").hasSizeLessThanOrEqualTo(BlobBody.POOLED);
    }

    @Test
    void aPieceTheClientStillHoldsIsNeverFilledAgain() throws IOException {
        byte[] bytes = random(3 * BlobBody.POOLED * BlobBody.CHUNK);
        Recorder recorder = subscribe(body(bytes), false);

        assertThat(recorder.completed).isTrue();
        assertThat(distinct(recorder.pieces)).hasSize(recorder.pieces.size());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (ByteBuffer piece : recorder.pieces) {
            byte[] copy = new byte[piece.remaining()];
            piece.get(copy);
            all.write(copy, 0, copy.length);
        }
        assertThat(all.toByteArray()).isEqualTo(bytes);
    }

    @Test
    void bytesThatDoNotMatchTheDigestFailBeforeTheLastPiece() throws IOException {
        byte[] bytes = random(2 * BlobBody.CHUNK + 5);
        Path file = dir.resolve("blob");
        Files.write(file, bytes);
        BlobBody body = new BlobBody(file, DigestingOutputStream.digestOf(new byte[] {1}), bytes.length, (s, t) -> {});

        Recorder recorder = subscribe(body, true);

        assertThat(recorder.error).isInstanceOf(IOException.class).hasMessageContaining("is damaged: its bytes have "
                + "the digest " + DigestingOutputStream.digestOf(bytes));
        assertThat(recorder.pieces).hasSize(2);
        assertThat(recorder.completed).isFalse();
        assertThat(body.damaged()).startsWith("its bytes have the digest");
    }

    @Test
    void aFileShorterOrLongerThanItsSizeFails() throws IOException {
        byte[] bytes = random(1000);
        Path file = dir.resolve("blob");
        Files.write(file, bytes);
        String digest = DigestingOutputStream.digestOf(bytes);

        BlobBody longer = new BlobBody(file, digest, 999, (s, t) -> {});
        assertThat(subscribe(longer, true).error).hasMessageEndingWith("the file has more than 999 bytes");
        BlobBody shorter = new BlobBody(file, digest, 1001, (s, t) -> {});
        assertThat(subscribe(shorter, true).error).hasMessageEndingWith("the file has 1000 bytes, not 1001");
    }

    @Test
    void aRequestForNoPiecesIsAnErrorAndCancellingStopsThePieces() throws IOException {
        byte[] bytes = random(4 * BlobBody.CHUNK);
        Recorder bad = new Recorder(true);
        body(bytes).publisher().subscribe(bad);
        bad.subscription.request(0);
        assertThat(bad.error).isInstanceOf(IllegalArgumentException.class);

        Recorder cancelled = new Recorder(true);
        cancelled.askForMore = false;
        body(bytes).publisher().subscribe(cancelled);
        cancelled.subscription.request(1);
        cancelled.subscription.cancel();
        cancelled.subscription.request(5);
        assertThat(cancelled.pieces).hasSize(1);
        assertThat(cancelled.completed).isFalse();
        assertThat(cancelled.error).isNull();
    }

    private BlobBody body(byte[] bytes) throws IOException {
        Path file = dir.resolve("blob-" + bytes.length);
        Files.write(file, bytes);
        return new BlobBody(file, DigestingOutputStream.digestOf(bytes), bytes.length, (s, t) -> {});
    }

    private static Recorder subscribe(BlobBody body, boolean consume) {
        Recorder recorder = new Recorder(consume);
        body.publisher().subscribe(recorder);
        // One piece at a time, asked for from onNext: the reentrant path the HTTP client takes.
        recorder.subscription.request(1);
        return recorder;
    }

    private static Set<ByteBuffer> distinct(List<ByteBuffer> pieces) {
        Set<ByteBuffer> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(pieces);
        return set;
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    /** Consumes each piece as the client does (reading it to its end), or keeps it unread. */
    private static final class Recorder implements Flow.Subscriber<ByteBuffer> {
        final boolean consume;
        boolean askForMore = true;
        final List<ByteBuffer> pieces = new ArrayList<>();
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        Flow.Subscription subscription;
        Throwable error;
        boolean completed;

        Recorder(boolean consume) {
            this.consume = consume;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
        }

        @Override
        public void onNext(ByteBuffer piece) {
            pieces.add(piece);
            if (consume) {
                byte[] copy = new byte[piece.remaining()];
                piece.get(copy);
                received.write(copy, 0, copy.length);
            }
            if (askForMore && pieces.size() < 1000) {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            error = throwable;
        }

        @Override
        public void onComplete() {
            completed = true;
        }
    }
}
