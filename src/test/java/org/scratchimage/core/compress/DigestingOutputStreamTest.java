package org.scratchimage.core.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestingOutputStreamTest {
    /** sha256("abc"), from FIPS 180-2 appendix B.1. */
    private static final String ABC = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    /** sha256 of nothing. */
    private static final String EMPTY = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void passesBytesThroughCountsAndHashesThem() throws IOException {
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        DigestingOutputStream out = new DigestingOutputStream(target);
        out.write('a');
        out.write("xbcx".getBytes(StandardCharsets.US_ASCII), 1, 2);

        assertThat(target.toString(StandardCharsets.US_ASCII)).isEqualTo("abc");
        assertThat(out.size()).isEqualTo(3);
        assertThat(out.digest()).isEqualTo(ABC);
    }

    @Test
    void digestOfMatchesKnownVectors() {
        assertThat(DigestingOutputStream.digestOf("abc".getBytes(StandardCharsets.US_ASCII))).isEqualTo(ABC);
        assertThat(DigestingOutputStream.digestOf(new byte[0])).isEqualTo(EMPTY);
        assertThat(new DigestingOutputStream(OutputStream.nullOutputStream()).digest()).isEqualTo(EMPTY);
    }
}
