package org.scratchimage.core.roundtrip;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The round-trip's own tar reader, sharing no code with the writer or with Commons Compress: it walks the
 * 512-byte blocks, checks each checksum, magic and numeric field strictly, decodes PAX extended headers itself,
 * and keeps every raw header block and PAX record for the leak scan.
 */
final class TarBlocks {
    static final int BLOCK = 512;

    /**
     * One entry with the raw bytes that describe it.
     *
     * @param offset where its header (its PAX header, if any) starts
     * @param block the ustar header block
     * @param paxBlock the header block of its PAX extended header, or {@code null}
     * @param paxRecords the PAX records in the order written; empty without a PAX header
     * @param name the path as stored: the PAX path, else prefix/name
     * @param linkName the link target as stored: the PAX linkpath, else the ustar field
     * @param data the entry's content
     */
    record Entry(int offset, byte[] block, byte[] paxBlock, Map<String, String> paxRecords, byte type, String name,
            String linkName, int mode, long uid, long gid, long size, long mtime, byte[] data) {

        String ustarField(int from, int length) {
            return cString(block, from, length);
        }
    }

    private TarBlocks() {}

    /** @throws AssertionError describing the first malformed block */
    static List<Entry> read(byte[] tar) {
        if (tar.length % BLOCK != 0) {
            throw new AssertionError("the tar is " + tar.length + " bytes, not a whole number of 512-byte blocks");
        }
        List<Entry> entries = new ArrayList<>();
        int offset = 0;
        byte[] paxBlock = null;
        Map<String, String> pax = Map.of();
        int paxOffset = -1;
        while (true) {
            if (offset + BLOCK > tar.length) {
                throw new AssertionError("the tar ends at " + offset + " without two zero blocks");
            }
            byte[] block = Arrays.copyOfRange(tar, offset, offset + BLOCK);
            if (isZero(block)) {
                if (paxBlock != null) {
                    throw new AssertionError("a PAX header at " + paxOffset + " is followed by the end of the archive");
                }
                if (offset + 2 * BLOCK > tar.length || !isZero(Arrays.copyOfRange(tar, offset, tar.length))) {
                    throw new AssertionError("the archive does not end with zero blocks only, at " + offset);
                }
                return entries;
            }
            checkHeader(block, offset);
            byte type = block[156];
            long size = octal(block, 124, 12, offset, "size");
            int dataStart = offset + BLOCK;
            int padded = (int) ((size + BLOCK - 1) / BLOCK * BLOCK);
            if (dataStart + padded > tar.length) {
                throw new AssertionError("entry at " + offset + " claims " + size + " bytes past the end");
            }
            byte[] data = Arrays.copyOfRange(tar, dataStart, dataStart + (int) size);
            if (!isZero(Arrays.copyOfRange(tar, dataStart + (int) size, dataStart + padded))) {
                throw new AssertionError("entry at " + offset + " has non-zero padding after its data");
            }
            if (type == 'x') {
                if (paxBlock != null) {
                    throw new AssertionError("two PAX headers in a row at " + paxOffset + " and " + offset);
                }
                paxBlock = block;
                paxOffset = offset;
                pax = records(data, offset);
                offset = dataStart + padded;
                continue;
            }
            if (type == 'g' || type == 'L' || type == 'K') {
                throw new AssertionError("unexpected header type '" + (char) type + "' at " + offset);
            }
            String ustarName = cString(block, 0, 100);
            String prefix = cString(block, 345, 155);
            String name = pax.containsKey("path") ? pax.get("path")
                    : prefix.isEmpty() ? ustarName : prefix + "/" + ustarName;
            String linkName = pax.containsKey("linkpath") ? pax.get("linkpath") : cString(block, 157, 100);
            long realSize = pax.containsKey("size") ? Long.parseLong(pax.get("size")) : size;
            if (realSize != size && size != 0) {
                throw new AssertionError("entry at " + offset + ": PAX size " + realSize + " but ustar size " + size);
            }
            int start = paxBlock == null ? offset : paxOffset;
            entries.add(new Entry(start, block, paxBlock, pax, type, name, linkName,
                    (int) octal(block, 100, 8, offset, "mode"),
                    pax.containsKey("uid") ? Long.parseLong(pax.get("uid")) : octal(block, 108, 8, offset, "uid"),
                    pax.containsKey("gid") ? Long.parseLong(pax.get("gid")) : octal(block, 116, 8, offset, "gid"),
                    realSize,
                    pax.containsKey("mtime") ? Long.parseLong(pax.get("mtime"))
                            : octal(block, 136, 12, offset, "mtime"),
                    data));
            paxBlock = null;
            pax = Map.of();
            offset = dataStart + padded;
        }
    }

    private static void checkHeader(byte[] block, int offset) {
        long stored = octal(block, 148, 8, offset, "checksum");
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += i >= 148 && i < 156 ? ' ' : block[i] & 0xff;
        }
        if (stored != sum) {
            throw new AssertionError("header at " + offset + ": checksum " + stored + ", computed " + sum);
        }
        String magic = new String(block, 257, 8, StandardCharsets.ISO_8859_1);
        if (!magic.equals("ustar\u000000")) {
            throw new AssertionError("header at " + offset + " is not POSIX ustar: magic " + Text.quote(magic));
        }
    }

    /** Octal digits, optionally led by spaces or zeros, ended by NUL or space; never base-256. */
    static long octal(byte[] block, int from, int length, int offset, String field) {
        if ((block[from] & 0x80) != 0) {
            throw new AssertionError("header at " + offset + ": " + field + " is base-256, not octal");
        }
        long value = 0;
        int i = from;
        int end = from + length;
        while (i < end && block[i] == ' ') {
            i++;
        }
        int digits = 0;
        while (i < end && block[i] >= '0' && block[i] <= '7') {
            value = value * 8 + (block[i] - '0');
            i++;
            digits++;
        }
        for (; i < end; i++) {
            if (block[i] != 0 && block[i] != ' ') {
                throw new AssertionError("header at " + offset + ": " + field + " field holds '" + (char) block[i]
                        + "' after " + digits + " octal digits");
            }
        }
        return value;
    }

    /** PAX records: {@code "<length> <key>=<value>\n"}, the length counting the whole record, UTF-8. */
    private static Map<String, String> records(byte[] data, int offset) {
        Map<String, String> records = new LinkedHashMap<>();
        int i = 0;
        while (i < data.length) {
            int space = i;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(data, i, space - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new AssertionError("PAX header at " + offset + ": bad record length at byte " + i);
            }
            if (length <= 0 || i + length > data.length || data[i + length - 1] != '\n') {
                throw new AssertionError("PAX header at " + offset + ": record at byte " + i + " has a wrong length");
            }
            String record = utf8(Arrays.copyOfRange(data, space + 1, i + length - 1), offset);
            int equals = record.indexOf('=');
            if (equals <= 0) {
                throw new AssertionError("PAX header at " + offset + ": record without a key: " + record);
            }
            String key = record.substring(0, equals);
            if (records.put(key, record.substring(equals + 1)) != null) {
                throw new AssertionError("PAX header at " + offset + ": " + key + " appears twice");
            }
            i += length;
        }
        return records;
    }

    private static String utf8(byte[] bytes, int offset) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new AssertionError("PAX header at " + offset + " holds a record that is not UTF-8");
        }
    }

    /** A NUL-terminated (or full-length) field as ISO-8859-1, so that any byte survives for the checks. */
    static String cString(byte[] block, int from, int length) {
        int end = from;
        while (end < from + length && block[end] != 0) {
            end++;
        }
        return new String(block, from, end - from, StandardCharsets.ISO_8859_1);
    }

    static boolean isZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
