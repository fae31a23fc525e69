package org.scratchimage.core.tar;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader of tar bytes written for the tests, independent of the code under test and of Commons Compress:
 * it walks 512-byte blocks, checks every header's checksum and the archive's end, and exposes each header's raw
 * fields, PAX headers included.
 */
public final class RawTar {
    public static final int BLOCK = 512;

    /** One header block and the data that follows it. */
    public record Header(int offset, byte[] block, byte[] data) {
        public byte type() {
            return block[156];
        }

        public String name() {
            return string(0, 100);
        }

        public String linkName() {
            return string(157, 100);
        }

        public String prefix() {
            return string(345, 155);
        }

        /** The path as a ustar reader sees it: prefix, '/', name. */
        public String ustarPath() {
            return prefix().isEmpty() ? name() : prefix() + "/" + name();
        }

        public long mode() {
            return octal(100, 8);
        }

        public long uid() {
            return octal(108, 8);
        }

        public long gid() {
            return octal(116, 8);
        }

        public long size() {
            return octal(124, 12);
        }

        public long mtime() {
            return octal(136, 12);
        }

        public byte[] field(int offset, int length) {
            return Arrays.copyOfRange(block, offset, offset + length);
        }

        public boolean isPax() {
            return type() == 'x';
        }

        /** @return the records of a PAX header, checked record by record */
        public Map<String, String> paxRecords() {
            assertThat(isPax()).as("header at %d is a PAX header", offset).isTrue();
            return parsePaxRecords(data);
        }

        private String string(int offset, int length) {
            int end = offset;
            while (end < offset + length && block[end] != 0) {
                end++;
            }
            return new String(block, offset, end - offset, StandardCharsets.UTF_8);
        }

        private long octal(int offset, int length) {
            String digits = new String(block, offset, length, StandardCharsets.US_ASCII).replace("\0", "").trim();
            return digits.isEmpty() ? 0 : Long.parseLong(digits, 8);
        }
    }

    private RawTar() {}

    /**
     * Parses a whole archive and asserts what every archive the plugin writes must satisfy: valid checksums,
     * ustar magic, empty user and group names, zero device numbers, zero padding, and exactly two zero blocks
     * at the end with nothing after them.
     */
    public static List<Header> parse(byte[] tar) {
        assertThat(tar.length % BLOCK).as("archive length is a multiple of 512").isZero();
        List<Header> headers = new ArrayList<>();
        int offset = 0;
        while (true) {
            assertThat(offset + BLOCK).as("archive has an end-of-archive block").isLessThanOrEqualTo(tar.length);
            byte[] block = Arrays.copyOfRange(tar, offset, offset + BLOCK);
            if (isZero(block)) {
                break;
            }
            checkHeader(block, offset);
            Header bare = new Header(offset, block, new byte[0]);
            long size = bare.size();
            int dataStart = offset + BLOCK;
            int dataEnd = Math.toIntExact(dataStart + size);
            assertThat(dataEnd).as("data of header at %d fits the archive", offset).isLessThanOrEqualTo(tar.length);
            byte[] data = Arrays.copyOfRange(tar, dataStart, dataEnd);
            int padded = dataStart + (int) ((size + BLOCK - 1) / BLOCK * BLOCK);
            assertThat(isZero(Arrays.copyOfRange(tar, dataEnd, padded))).as("padding after data at %d", offset)
                    .isTrue();
            headers.add(new Header(offset, block, data));
            offset = padded;
        }
        assertThat(tar.length - offset).as("two zero blocks end the archive, nothing after them").isEqualTo(2 * BLOCK);
        assertThat(isZero(Arrays.copyOfRange(tar, offset, tar.length))).isTrue();
        return headers;
    }

    /** @return the headers that are not PAX headers */
    public static List<Header> entries(List<Header> headers) {
        return headers.stream().filter(h -> !h.isPax()).toList();
    }

    private static void checkHeader(byte[] block, int offset) {
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (block[i] & 0xff);
        }
        String stored = new String(block, 148, 8, StandardCharsets.US_ASCII);
        assertThat(stored).as("checksum field at %d: six octal digits, NUL, space", offset).matches("[0-7]{6}\0 ");
        assertThat(Long.parseLong(stored.substring(0, 6), 8)).as("checksum of header at %d", offset).isEqualTo(sum);
        assertThat(new String(block, 257, 8, StandardCharsets.US_ASCII)).as("ustar magic at %d", offset)
                .isEqualTo("ustar\u000000");
        assertThat(isZero(Arrays.copyOfRange(block, 265, 265 + 32))).as("uname of header at %d is empty", offset)
                .isTrue();
        assertThat(isZero(Arrays.copyOfRange(block, 297, 297 + 32))).as("gname of header at %d is empty", offset)
                .isTrue();
        for (int field : new int[] {329, 337}) {
            String dev = new String(block, field, 8, StandardCharsets.US_ASCII).replace("\0", "").trim();
            assertThat(dev.isEmpty() || Long.parseLong(dev, 8) == 0).as("device number at %d", offset).isTrue();
        }
        assertThat(isZero(Arrays.copyOfRange(block, 500, 512))).as("unused tail of header at %d", offset).isTrue();
    }

    /**
     * Parses {@code "<length> <key>=<value>\n"} records, checking that each length counts exactly its own
     * record (digits, space, key, '=', value, newline) and that the records fill the data exactly.
     */
    public static Map<String, String> parsePaxRecords(byte[] data) {
        Map<String, String> records = new LinkedHashMap<>();
        int position = 0;
        while (position < data.length) {
            int space = position;
            while (data[space] != ' ') {
                assertThat((char) data[space]).as("length digit at %d", space).isBetween('0', '9');
                space++;
            }
            assertThat(data[position]).as("no leading zero in a record length").isNotEqualTo((byte) '0');
            int length = Integer.parseInt(new String(data, position, space - position, StandardCharsets.US_ASCII));
            int end = position + length;
            assertThat(end).as("record at %d ends inside the data", position).isLessThanOrEqualTo(data.length);
            assertThat(data[end - 1]).as("record at %d of length %d ends with a newline", position, length)
                    .isEqualTo((byte) '\n');
            String body = new String(data, space + 1, end - 1 - (space + 1), StandardCharsets.UTF_8);
            int equals = body.indexOf('=');
            assertThat(equals).as("record %s has a key", body).isPositive();
            String key = body.substring(0, equals);
            assertThat(records).as("key %s appears once", key).doesNotContainKey(key);
            records.put(key, body.substring(equals + 1));
            position = end;
        }
        return records;
    }

    /** @return the length of the record {@code "<length> path=<value>\n"} as its first digits say */
    public static int firstRecordLength(byte[] data) {
        int space = 0;
        while (data[space] != ' ') {
            space++;
        }
        return Integer.parseInt(new String(data, 0, space, StandardCharsets.US_ASCII));
    }

    private static boolean isZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
