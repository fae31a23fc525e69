package org.scratchimage.core;

import java.security.MessageDigest;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import org.scratchimage.core.compress.DigestingOutputStream;

/**
 * The SHA-256 of a sequence of fields, each encoded so that two different sequences never give the same bytes: every
 * field starts with a tag byte for its kind, a text and a collection with their length, and {@code null} is a kind of
 * its own. Fingerprints are made with it and not from {@code toString()} or joined text, where {@code ["a, b"]} and
 * {@code ["a", "b"]} read the same, as do {@code [""]} and {@code []}, or {@code null} and {@code "null"}.
 *
 * <p>A text is written as its UTF-16 code units, each in one to three bytes as UTF-8 would write it; unlike
 * {@link String#getBytes}, which writes {@code ?} for an unpaired surrogate, this keeps every Java string distinct.
 */
final class FieldDigest {
    private static final byte NULL = 0;
    private static final byte TEXT = 1;
    private static final byte NUMBER = 2;
    private static final byte LIST = 3;
    private static final byte MAP = 4;
    private static final byte BYTES = 5;

    private final MessageDigest sha = DigestingOutputStream.newSha256();
    private final byte[] buffer = new byte[8192];
    private int used;

    /** Adds a text, or {@code null}. */
    FieldDigest text(String text) {
        if (text == null) {
            return tag(NULL);
        }
        tag(TEXT);
        length(text.length());
        for (int i = 0; i < text.length(); i++) {
            room(3);
            char c = text.charAt(i);
            if (c < 0x80) {
                buffer[used++] = (byte) c;
            } else if (c < 0x800) {
                buffer[used++] = (byte) (0xc0 | c >> 6);
                buffer[used++] = (byte) (0x80 | c & 0x3f);
            } else {
                buffer[used++] = (byte) (0xe0 | c >> 12);
                buffer[used++] = (byte) (0x80 | c >> 6 & 0x3f);
                buffer[used++] = (byte) (0x80 | c & 0x3f);
            }
        }
        return this;
    }

    /** Adds a number. */
    FieldDigest number(long number) {
        tag(NUMBER);
        room(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[used++] = (byte) (number >>> shift);
        }
        return this;
    }

    /** Adds bytes, such as a generated file's content. */
    FieldDigest bytes(byte[] bytes) {
        tag(BYTES);
        length(bytes.length);
        flush();
        sha.update(bytes);
        return this;
    }

    /** Adds a list or set of texts, in its iteration order, or {@code null}. */
    FieldDigest texts(Collection<String> texts) {
        if (texts == null) {
            return tag(NULL);
        }
        tag(LIST);
        length(texts.size());
        for (String text : texts) {
            text(text);
        }
        return this;
    }

    /** Adds a map of texts, in its iteration order, or {@code null}. */
    FieldDigest map(Map<String, String> map) {
        if (map == null) {
            return tag(NULL);
        }
        tag(MAP);
        length(map.size());
        for (Map.Entry<String, String> entry : map.entrySet()) {
            text(entry.getKey());
            text(entry.getValue());
        }
        return this;
    }

    /** @return the SHA-256 of the fields added, in lowercase hex; the digest is spent */
    String hex() {
        flush();
        return HexFormat.of().formatHex(sha.digest());
    }

    private FieldDigest tag(byte tag) {
        room(1);
        buffer[used++] = tag;
        return this;
    }

    private void length(int value) {
        room(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            buffer[used++] = (byte) (value >>> shift);
        }
    }

    private void room(int bytes) {
        if (used + bytes > buffer.length) {
            flush();
        }
    }

    private void flush() {
        sha.update(buffer, 0, used);
        used = 0;
    }
}
