package org.scratchimage.core.compress;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scratchimage.core.tar.ExternalTools;

class ZstdWriterTest {

    /** Many of zstd's jobs (a few MiB each at level 3), so that several workers really split the input. */
    private static final byte[] LARGE = mixed(48 * 1024 * 1024, 11);

    private static byte[] mixed(int size, long seed) {
        byte[] data = new byte[size];
        Random random = new Random(seed);
        byte[] words = "layer tar blob digest manifest config index sha256 ".getBytes();
        for (int i = 0; i < size; i++) {
            data[i] = random.nextInt(8) == 0 ? (byte) random.nextInt(256) : words[(i + random.nextInt(4)) % words.length];
        }
        return data;
    }

    private static byte[] zstd(byte[] input, int level, int threads) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZstdWriter writer = new ZstdWriter(out, level, threads)) {
            // Odd write sizes: the bytes must not depend on how the input arrives either.
            for (int offset = 0; offset < input.length; offset += 70_001) {
                writer.write(input, offset, Math.min(70_001, input.length - offset));
                writer.flush();
            }
        }
        return out.toByteArray();
    }

    @Test
    void theBytesDoNotDependOnTheNumberOfThreads() throws IOException {
        byte[] one = zstd(LARGE, ZstdWriter.DEFAULT_LEVEL, 1);

        assertThat(zstd(LARGE, ZstdWriter.DEFAULT_LEVEL, 2)).isEqualTo(one);
        assertThat(zstd(LARGE, ZstdWriter.DEFAULT_LEVEL, 4)).isEqualTo(one);
        assertThat(one.length).isLessThan(LARGE.length * 4 / 5);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 19})
    void everyLevelDecompressesToTheInput(int level) throws IOException {
        byte[] input = mixed(3 * 1024 * 1024 + 17, level);
        byte[] compressed = zstd(input, level, 2);

        // The zstd frame magic, little-endian 0xFD2FB528.
        assertThat(compressed).startsWith((byte) 0x28, (byte) 0xb5, (byte) 0x2f, (byte) 0xfd);
        try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(compressed))) {
            assertThat(in.readAllBytes()).isEqualTo(input);
        }
    }

    @Test
    void theZstdCommandReadsIt() throws IOException {
        ExternalTools.require("zstd");
        byte[] input = mixed(5 * 1024 * 1024, 5);

        ExternalTools.Result result = ExternalTools.run(zstd(input, 3, 2), List.of("zstd", "-d", "-c")).assertSuccess();

        assertThat(result.stdout()).isEqualTo(input);
    }

    @Test
    void anEmptyInputIsAValidFrame() throws IOException {
        byte[] compressed = zstd(new byte[0], 3, 2);

        try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(compressed))) {
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    @Test
    void finishLeavesTheUnderlyingStreamOpen() throws IOException {
        ByteArrayOutputStream target = new ByteArrayOutputStream() {
            @Override
            public void close() {
                throw new AssertionError("closed by finish()");
            }
        };
        ZstdWriter writer = new ZstdWriter(target, 3, 2);
        writer.write(new byte[] {1, 2, 3});
        writer.finish();

        assertThat(target.size()).isGreaterThan(4);
    }
}
