package org.scratchimage.core.oci;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes compact JSON from maps (in their iteration order), lists, strings and whole numbers, byte for byte as
 * Jackson's (2.18) {@code ObjectMapper.writeValueAsBytes} writes them: UTF-8, no whitespace,
 * {@code \" \\ \b \t \n \f \r}, {@code \}{@code uXXXX} (upper-case hex) for the other control characters and for
 * every UTF-16 surrogate, paired or not, and everything else as it is.
 *
 * <p>Ours because building Jackson's mapper in a cold Maven JVM costs some 100 ms per build, more than the
 * whole rest of writing the config, manifest and index; the digests of those blobs are unchanged by the switch.
 */
public final class JsonText {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    /**
     * JSON written already, by {@link #write} or a {@link Writer}: put in place as it is, so that a large part of a
     * document (an SBOM's 20,000 files) is written once when it is also hashed on its own.
     */
    public record Raw(byte[] json) {}

    private JsonText() {}

    /**
     * Writes JSON as it goes, value by value, in the bytes {@link JsonText#write} gives the same values: for the
     * parts of a document too large to build as maps first (an SBOM's 20,000 files made 100,000 maps and lists, half
     * of the document's time). Commas are placed by the writer; the caller nests its begins and ends.
     */
    public static final class Writer {
        private final Out out;
        /** Whether the next value or name follows another in its array or object, and so needs a comma. */
        private boolean follows;

        public Writer() {
            this(1024);
        }

        /**
         * @param capacity the bytes to make room for at once: a good guess spares the copies of a buffer that grows
         *     by doubling, about twice the final size
         */
        public Writer(int capacity) {
            this.out = new Out(capacity);
        }

        private void separate() {
            if (follows) {
                out.write(',');
            }
        }

        /** @return this writer, in a new array */
        public Writer beginArray() {
            return open('[');
        }

        /** @return this writer, after the array it was in */
        public Writer endArray() {
            return close(']');
        }

        /** @return this writer, in a new object */
        public Writer beginObject() {
            return open('{');
        }

        /** @return this writer, after the object it was in */
        public Writer endObject() {
            return close('}');
        }

        private Writer open(char bracket) {
            separate();
            out.write(bracket);
            follows = false;
            return this;
        }

        private Writer close(char bracket) {
            out.write(bracket);
            follows = true;
            return this;
        }

        /** @return this writer, ready for the value of the member {@code key} */
        public Writer name(String key) {
            separate();
            string(out, key);
            out.write(':');
            follows = false;
            return this;
        }

        /** @return this writer, after {@code text} as a JSON string */
        public Writer value(String text) {
            if (text == null) {
                // As write() refuses it.
                return value((Object) null);
            }
            separate();
            string(out, text);
            follows = true;
            return this;
        }

        /** @return this writer, after {@code json}, any value {@link JsonText#write} takes */
        public Writer value(Object json) {
            separate();
            JsonText.value(out, json);
            follows = true;
            return this;
        }

        /** @return what was written, to be put in place in a document */
        public Raw raw() {
            return new Raw(out.bytes());
        }
    }

    /**
     * @param json a {@code Map} with {@code String} keys, a {@code List}, a {@code String}, an {@code Integer}, a
     *     {@code Long}, a {@code Boolean} or a {@link Raw}, nested as deep as needed
     * @return its compact UTF-8 form
     * @throws IllegalArgumentException for a value of another type
     */
    public static byte[] write(Object json) {
        Out out = new Out();
        value(out, json);
        return out.bytes();
    }

    private static void value(Out out, Object json) {
        if (json instanceof String text) {
            string(out, text);
        } else if (json instanceof Integer || json instanceof Long || json instanceof Boolean) {
            ascii(out, json.toString());
        } else if (json instanceof Map<?, ?> map) {
            out.write('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!first) {
                    out.write(',');
                }
                first = false;
                string(out, (String) entry.getKey());
                out.write(':');
                value(out, entry.getValue());
            }
            out.write('}');
        } else if (json instanceof List<?> list) {
            out.write('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                value(out, list.get(i));
            }
            out.write(']');
        } else if (json instanceof Raw raw) {
            out.write(raw.json(), 0, raw.json().length);
        } else {
            throw new IllegalArgumentException("no JSON form for " + (json == null ? "null" : json.getClass()));
        }
    }

    private static void string(Out out, String text) {
        out.write('"');
        if (!plainAscii(out, text)) {
            escaped(out, text);
        }
        out.write('"');
    }

    /** Writes a string of printable ASCII other than {@code "} and {@code \} byte for byte: most strings are. */
    @SuppressWarnings("deprecation")
    private static boolean plainAscii(Out out, String text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                return false;
            }
        }
        out.room(length);
        // Every char is below 0x80, so its low byte is all of it: the one copy String still offers for that.
        text.getBytes(0, length, out.buffer, out.size);
        out.size += length;
        return true;
    }

    private static void escaped(Out out, String text) {
        int plain = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String escape = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : Character.isSurrogate(c) ? ""
                    : c >= 0x20 ? null
                    : c == '\b' ? "\\b" : c == '\t' ? "\\t" : c == '\n' ? "\\n" : c == '\f' ? "\\f" : c == '\r' ? "\\r"
                    : "";
            if (escape == null) {
                continue;
            }
            utf8(out, text.substring(plain, i));
            if (escape.isEmpty()) {
                byte[] unicode = {'\\', 'u', HEX[c >> 12], HEX[(c >> 8) & 0xf], HEX[(c >> 4) & 0xf], HEX[c & 0xf]};
                out.write(unicode, 0, unicode.length);
            } else {
                ascii(out, escape);
            }
            plain = i + 1;
        }
        utf8(out, text.substring(plain));
    }

    private static void utf8(Out out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
    }

    private static void ascii(Out out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        out.write(bytes, 0, bytes.length);
    }

    /** A growing byte array, unsynchronized: {@code ByteArrayOutputStream} locks on every byte. */
    private static final class Out {
        private byte[] buffer;
        private int size;

        Out() {
            this(1024);
        }

        Out(int capacity) {
            buffer = new byte[Math.max(16, capacity)];
        }

        void write(int b) {
            room(1);
            buffer[size++] = (byte) b;
        }

        void write(byte[] bytes, int offset, int length) {
            room(length);
            System.arraycopy(bytes, offset, buffer, size, length);
            size += length;
        }

        void room(int more) {
            if (buffer.length - size < more) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
            }
        }

        byte[] bytes() {
            return Arrays.copyOf(buffer, size);
        }
    }
}
