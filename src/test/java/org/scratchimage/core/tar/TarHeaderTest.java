package org.scratchimage.core.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TarHeaderTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String field(byte[] header, int offset, int length) {
        return new String(header, offset, length, StandardCharsets.US_ASCII);
    }

    @Test
    void encodesEveryUstarFieldAtItsOffset() {
        byte[] header = TarHeader.encode(ascii("bin/busybox"), ascii("usr"), TarHeader.REGULAR, ascii("target"),
                04755, 65532, 1000, 1234, 1_700_000_000L);

        assertThat(header).hasSize(512);
        assertThat(field(header, 0, 100)).isEqualTo("bin/busybox" + "\0".repeat(89));
        assertThat(field(header, 100, 8)).isEqualTo("0004755\0");
        assertThat(field(header, 108, 8)).isEqualTo("0177774\0");
        assertThat(field(header, 116, 8)).isEqualTo("0001750\0");
        assertThat(field(header, 124, 12)).isEqualTo("00000002322\0");
        assertThat(field(header, 136, 12)).isEqualTo("14524770400\0");
        assertThat(header[156]).isEqualTo((byte) '0');
        assertThat(field(header, 157, 100)).isEqualTo("target" + "\0".repeat(94));
        assertThat(field(header, 257, 8)).isEqualTo("ustar\u000000");
        assertThat(field(header, 265, 64)).isEqualTo("\0".repeat(64));
        assertThat(field(header, 329, 16)).isEqualTo("0000000\0" + "0000000\0");
        assertThat(field(header, 345, 155)).isEqualTo("usr" + "\0".repeat(152));
        assertThat(field(header, 500, 12)).isEqualTo("\0".repeat(12));
    }

    @Test
    void checksumIsTheByteSumWithTheFieldAsSpacesWrittenAsSixDigitsNulSpace() {
        byte[] header = TarHeader.encode(ascii("a"), new byte[0], TarHeader.DIRECTORY, new byte[0], 0755, 0, 0, 0, 1);

        byte[] blanked = header.clone();
        Arrays.fill(blanked, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : blanked) {
            sum += b & 0xff;
        }
        assertThat(field(header, 148, 8)).isEqualTo(String.format("%06o", sum) + "\0 ");
    }

    @Test
    void holdsTheLargestValuesOfItsFields() {
        byte[] header = TarHeader.encode(ascii("n".repeat(100)), ascii("p".repeat(155)), TarHeader.SYMLINK,
                ascii("l".repeat(100)), 07777, TarHeader.MAX_ID, TarHeader.MAX_ID, TarHeader.MAX_NUMBER,
                TarHeader.MAX_NUMBER);

        assertThat(TarHeader.MAX_ID).isEqualTo(2_097_151L);
        assertThat(TarHeader.MAX_NUMBER).isEqualTo(8L * 1024 * 1024 * 1024 - 1);
        assertThat(field(header, 108, 8)).isEqualTo("7777777\0");
        assertThat(field(header, 124, 12)).isEqualTo("77777777777\0");
        assertThat(field(header, 0, 100)).isEqualTo("n".repeat(100));
        assertThat(field(header, 157, 100)).isEqualTo("l".repeat(100));
        assertThat(field(header, 345, 155)).isEqualTo("p".repeat(155));
    }

    @Test
    void refusesValuesItsFieldsCannotHold() {
        assertThatThrownBy(() -> TarHeader.encode(ascii("n".repeat(101)), new byte[0], TarHeader.REGULAR,
                new byte[0], 0644, 0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TarHeader.encode(ascii("n"), new byte[0], TarHeader.REGULAR, new byte[0],
                0644, TarHeader.MAX_ID + 1, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TarHeader.encode(ascii("n"), new byte[0], TarHeader.REGULAR, new byte[0],
                0644, 0, 0, TarHeader.MAX_NUMBER + 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TarHeader.encode(ascii("n"), new byte[0], TarHeader.REGULAR, new byte[0],
                0644, 0, 0, 0, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
