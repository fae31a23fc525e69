package org.scratchimage.core.oci;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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

    private JsonText() {}

    /**
     * @param json a {@code Map} with {@code String} keys, a {@code List}, a {@code String}, an {@code Integer}, a
     *     {@code Long} or a {@code Boolean}, nested as deep as needed
     * @return its compact UTF-8 form
     * @throws IllegalArgumentException for a value of another type
     */
    public static byte[] write(Object json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        value(out, json);
        return out.toByteArray();
    }

    private static void value(ByteArrayOutputStream out, Object json) {
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
        } else {
            throw new IllegalArgumentException("no JSON form for " + (json == null ? "null" : json.getClass()));
        }
    }

    private static void string(ByteArrayOutputStream out, String text) {
        out.write('"');
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
            out.writeBytes(text.substring(plain, i).getBytes(StandardCharsets.UTF_8));
            if (escape.isEmpty()) {
                out.writeBytes(new byte[] {'\\', 'u', HEX[c >> 12], HEX[(c >> 8) & 0xf], HEX[(c >> 4) & 0xf],
                    HEX[c & 0xf]});
            } else {
                ascii(out, escape);
            }
            plain = i + 1;
        }
        out.writeBytes(text.substring(plain).getBytes(StandardCharsets.UTF_8));
        out.write('"');
    }

    private static void ascii(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }
}
