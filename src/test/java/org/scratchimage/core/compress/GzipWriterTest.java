package org.scratchimage.core.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.scratchimage.core.tar.ExternalTools;

class GzipWriterTest {

    static Stream<byte[]> inputs() {
        byte[] random = new byte[300_000];
        new Random(42).nextBytes(random);
        byte[] text = "the quick brown fox jumps over the lazy dog\n".repeat(5000).getBytes(StandardCharsets.US_ASCII);
        return Stream.of(new byte[0], new byte[] {7}, text, random, new byte[1 << 20]);
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void headerIsFixedTenBytes(byte[] input) throws IOException {
        byte[] gz = gzip(input);

        assertThat(Arrays.copyOf(gz, 10)).containsExactly(0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff);
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void trailerHoldsCrc32AndSizeLittleEndian(byte[] input) throws IOException {
        byte[] gz = gzip(input);

        CRC32 crc = new CRC32();
        crc.update(input);
        ByteBuffer trailer = ByteBuffer.wrap(gz, gz.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(trailer.getInt() & 0xffffffffL).isEqualTo(crc.getValue());
        assertThat(trailer.getInt() & 0xffffffffL).isEqualTo(input.length);
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void theJdkDecompressesItToTheInput(byte[] input) throws IOException {
        byte[] gz = gzip(input);

        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            assertThat(in.readAllBytes()).isEqualTo(input);
        }
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void gnuGzipTestsAndDecompressesIt(byte[] input) throws IOException {
        byte[] gz = gzip(input);

        ExternalTools.Result test = ExternalTools.run(gz, List.of("gzip", "-t")).assertSuccess();
        assertThat(test.stderr()).isEmpty();
        ExternalTools.Result decompressed = ExternalTools.run(gz, List.of("gzip", "-dc")).assertSuccess();
        assertThat(decompressed.stdout()).isEqualTo(input);
        assertThat(decompressed.stderr()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void theSameInputGivesTheSameBytes(byte[] input) throws IOException {
        assertThat(gzip(input)).isEqualTo(gzip(input));
    }

    @Test
    void theBytesDoNotDependOnHowTheInputIsChunked() throws IOException {
        byte[] input = "chunked ".repeat(20_000).getBytes(StandardCharsets.US_ASCII);

        ByteArrayOutputStream byByte = new ByteArrayOutputStream();
        try (GzipWriter gzip = new GzipWriter(byByte, GzipWriter.DEFAULT_LEVEL)) {
            for (byte b : input) {
                gzip.write(b);
            }
        }
        ByteArrayOutputStream oddChunks = new ByteArrayOutputStream();
        try (GzipWriter gzip = new GzipWriter(oddChunks, GzipWriter.DEFAULT_LEVEL)) {
            for (int i = 0; i < input.length; i += 7919) {
                gzip.write(input, i, Math.min(7919, input.length - i));
                gzip.flush();
            }
        }
        assertThat(byByte.toByteArray()).isEqualTo(gzip(input));
        assertThat(oddChunks.toByteArray()).isEqualTo(gzip(input));
    }

    @Test
    void finishLeavesTheUnderlyingStreamOpenAndRefusesMoreInput() throws IOException {
        ClosingCounter target = new ClosingCounter();
        GzipWriter gzip = new GzipWriter(target, GzipWriter.DEFAULT_LEVEL);
        gzip.write(new byte[] {1, 2, 3});
        gzip.finish();
        gzip.finish();

        assertThat(target.closed).isFalse();
        int size = target.size();
        assertThatThrownBy(() -> gzip.write(4)).isInstanceOf(IOException.class);
        gzip.close();
        assertThat(target.closed).isTrue();
        assertThat(target.size()).as("close after finish writes no second trailer").isEqualTo(size);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(target.toByteArray()))) {
            assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
        }
    }

    /** A stream of 4 GiB + 5 bytes of zeros: ISIZE is the size modulo 2^32. Level 1 keeps it quick. */
    @Test
    void sizeInTheTrailerIsModulo2To32() throws IOException {
        CountingTail target = new CountingTail();
        byte[] zeros = new byte[1 << 20];
        try (GzipWriter gzip = new GzipWriter(target, 1)) {
            for (int i = 0; i < 4096; i++) {
                gzip.write(zeros);
            }
            gzip.write(zeros, 0, 5);
        }
        CRC32 crc = new CRC32();
        for (int i = 0; i < 4096; i++) {
            crc.update(zeros);
        }
        crc.update(zeros, 0, 5);
        ByteBuffer trailer = ByteBuffer.wrap(target.tail()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(trailer.getInt() & 0xffffffffL).isEqualTo(crc.getValue());
        assertThat(trailer.getInt()).isEqualTo(5);
    }

    static byte[] gzip(byte[] input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GzipWriter gzip = new GzipWriter(out, GzipWriter.DEFAULT_LEVEL)) {
            gzip.write(input);
        }
        return out.toByteArray();
    }

    private static final class ClosingCounter extends ByteArrayOutputStream {
        private boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Keeps the last eight bytes written. */
    private static final class CountingTail extends java.io.OutputStream {
        private final byte[] tail = new byte[8];
        private long count;

        @Override
        public void write(int b) {
            tail[(int) (count++ % 8)] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = Math.max(0, len - 8); i < len; i++) {
                tail[(int) ((count + i) % 8)] = b[off + i];
            }
            count += len;
        }

        byte[] tail() {
            byte[] ordered = new byte[8];
            for (int i = 0; i < 8; i++) {
                ordered[i] = tail[(int) ((count + i) % 8)];
            }
            return ordered;
        }
    }

    // ---- blocks compressed in parallel ----

    static Stream<Arguments> blockBoundaries() {
        int b = GzipWriter.BLOCK_SIZE;
        return Stream.of(0, 1, b - 1, b, b + 1, 2 * b, 5 * b + 77).flatMap(size -> Stream.of(
                Arguments.of(size, true), Arguments.of(size, false)));
    }

    @ParameterizedTest(name = "{0} bytes, compressible {1}")
    @MethodSource("blockBoundaries")
    void theBytesDoNotDependOnTheNumberOfThreads(int size, boolean compressible) throws Exception {
        byte[] input = new byte[size];
        Random random = new Random(size);
        if (compressible) {
            for (int i = 0; i < size; i++) {
                input[i] = (byte) ("scratch image layer ".charAt(i % 20) + (random.nextInt(50) == 0 ? 1 : 0));
            }
        } else {
            random.nextBytes(input);
        }
        byte[] one = gzip(input, 1);

        for (int threads : new int[] {2, 3, 8}) {
            assertThat(gzip(input, threads)).as("%d threads", threads).isEqualTo(one);
        }
        try (InputStream in = new java.util.zip.GZIPInputStream(new ByteArrayInputStream(one))) {
            assertThat(in.readAllBytes()).isEqualTo(input);
        }
        try (InputStream in = new org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream(
                new ByteArrayInputStream(one))) {
            assertThat(in.readAllBytes()).isEqualTo(input);
        }
    }

    @Test
    void primingEachBlockWithThePreviousOneKeepsTheRatioOfASingleStream() throws Exception {
        byte[] input = new byte[8 * GzipWriter.BLOCK_SIZE];
        Random random = new Random(7);
        byte[] words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda ".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < input.length; i++) {
            input[i] = words[(i * 7 + random.nextInt(3)) % words.length];
        }
        ByteArrayOutputStream single = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream jdk = new java.util.zip.GZIPOutputStream(single)) {
            jdk.write(input);
        }

        byte[] blocks = gzip(input, 2);

        assertThat((double) blocks.length).isLessThan(single.size() * 1.02 + 64);
    }

    private static byte[] gzip(byte[] input, int threads) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GzipWriter gzip = new GzipWriter(out, GzipWriter.DEFAULT_LEVEL, threads)) {
            gzip.write(input);
        }
        return out.toByteArray();
    }
}
