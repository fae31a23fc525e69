package org.scratchimage.core.tar;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes one 512-byte POSIX ustar header. Every field is set explicitly; user and group names stay empty
 * and device numbers zero, so nothing of the host reaches the archive.
 */
final class TarHeader {
    static final int BLOCK = 512;
    static final byte REGULAR = '0';
    static final byte SYMLINK = '2';
    static final byte DIRECTORY = '5';
    static final byte PAX = 'x';

    static final int NAME_LENGTH = 100;
    static final int PREFIX_LENGTH = 155;
    /** Largest value of the 7-digit octal id fields. */
    static final long MAX_ID = 07777777L;
    /** Largest value of the 11-digit octal size and mtime fields. */
    static final long MAX_NUMBER = 077777777777L;
    private static final byte[] MAGIC = "ustar\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VERSION = "00".getBytes(StandardCharsets.US_ASCII);

    private TarHeader() {}

    /**
     * @param name ASCII path of at most 100 bytes, or split with {@code prefix}
     * @param prefix ASCII directory prefix of at most 155 bytes, or empty
     * @param linkName ASCII link target of at most 100 bytes, or empty
     * @param numbers mode, uid, gid, size, mtime: each within its field, the caller moves larger ones to PAX
     */
    static byte[] encode(byte[] name, byte[] prefix, byte type, byte[] linkName,
            int mode, long uid, long gid, long size, long mtime) {
        byte[] header = new byte[BLOCK];
        put(header, 0, NAME_LENGTH, name);
        octal(header, 100, 8, mode);
        octal(header, 108, 8, uid);
        octal(header, 116, 8, gid);
        octal(header, 124, 12, size);
        octal(header, 136, 12, mtime);
        header[156] = type;
        put(header, 157, NAME_LENGTH, linkName);
        put(header, 257, 6, MAGIC);
        put(header, 263, 2, VERSION);
        // 265: uname[32] and 297: gname[32] stay empty.
        octal(header, 329, 8, 0);
        octal(header, 337, 8, 0);
        put(header, 345, PREFIX_LENGTH, prefix);
        Arrays.fill(header, 148, 156, (byte) ' ');
        long checksum = 0;
        for (byte b : header) {
            checksum += b & 0xff;
        }
        // Six digits, NUL, space: the layout of GNU tar and Go's archive/tar. 512 bytes of 255 need at most six.
        octal(header, 148, 7, checksum);
        header[155] = ' ';
        return header;
    }

    private static void put(byte[] header, int offset, int length, byte[] value) {
        if (value.length > length) {
            throw new IllegalArgumentException("field of " + length + " bytes cannot hold " + value.length);
        }
        System.arraycopy(value, 0, header, offset, value.length);
    }

    /** Zero-padded octal digits filling the field but its last byte, which is NUL. */
    private static void octal(byte[] header, int offset, int length, long value) {
        int width = length - 1;
        if (value < 0 || (width < 21 && value >>> (3 * width) != 0)) {
            throw new IllegalArgumentException(value + " does not fit a " + length + "-byte octal field");
        }
        // Written digit by digit from the right: a header per file of a large tree, so no strings.
        long rest = value;
        for (int i = offset + width - 1; i >= offset; i--) {
            header[i] = (byte) ('0' + (rest & 7));
            rest >>>= 3;
        }
        header[offset + width] = 0;
    }
}
