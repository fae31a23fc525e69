package org.scratchimage.core.oci;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON (RFC 8259) strictly, into {@link Map}s (keys in document order; a repeated key keeps its last value),
 * {@link List}s, {@link String}s, {@link BigDecimal}s, {@link Boolean}s and {@code null}. It only reads the
 * documents of a layout about to be replaced, to check that this plugin wrote them; those may come from anywhere,
 * so anything that is not well-formed UTF-8 JSON, or nests deeper than {@value #MAX_DEPTH}, is an
 * {@link IOException}, never another exception.
 *
 * <p>Ours because Jackson's jars are the largest part of what Maven resolves and loads for this plugin on every
 * build, including the builds that find the image up to date and read no JSON at all.
 *
 * <p>Public for {@link #parse} alone: the credential sources read Docker's and podman's auth files with it.
 */
public final class JsonReader {
    static final int MAX_DEPTH = 256;
    /** BigDecimal parses in time quadratic in the digits: a hostile million-digit number would take seconds. */
    static final int MAX_NUMBER = 1000;

    private final String text;
    private int position;
    private int depth;

    private JsonReader(String text) {
        this.text = text;
    }

    /**
     * @param json a document from anywhere
     * @return its value, as the class comment says
     * @throws IOException if {@code json} is not one well-formed JSON value in UTF-8; the message says what was
     *     found where, quoting at most one character of the text
     */
    public static Object parse(byte[] json) throws IOException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(json)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("not JSON: not UTF-8 (" + e.getMessage() + ")", e);
        }
        JsonReader reader = new JsonReader(text);
        reader.whitespace();
        Object value = reader.value();
        reader.whitespace();
        if (reader.position != text.length()) {
            throw reader.error("text after the value");
        }
        return value;
    }

    /** @return the string at {@code key} of {@code object}, or {@code ""} if it is not an object or holds none */
    public static String string(Object object, String key) {
        return object instanceof Map<?, ?> map && map.get(key) instanceof String value ? value : "";
    }

    private Object value() throws IOException {
        if (position >= text.length()) {
            throw error("the end of the text where a value belongs");
        }
        char c = text.charAt(position);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("'" + c + "' where a value belongs");
        }
    }

    private Map<String, Object> object() throws IOException {
        enter();
        position++;
        Map<String, Object> object = new LinkedHashMap<>();
        whitespace();
        if (peek() == '}') {
            position++;
            depth--;
            return object;
        }
        while (true) {
            whitespace();
            if (peek() != '"') {
                throw error("no string where a key belongs");
            }
            String key = string();
            whitespace();
            expect(':');
            whitespace();
            object.put(key, value());
            whitespace();
            if (peek() == ',') {
                position++;
            } else {
                expect('}');
                depth--;
                return object;
            }
        }
    }

    private List<Object> array() throws IOException {
        enter();
        position++;
        List<Object> array = new ArrayList<>();
        whitespace();
        if (peek() == ']') {
            position++;
            depth--;
            return array;
        }
        while (true) {
            whitespace();
            array.add(value());
            whitespace();
            if (peek() == ',') {
                position++;
            } else {
                expect(']');
                depth--;
                return array;
            }
        }
    }

    private String string() throws IOException {
        position++;
        StringBuilder value = new StringBuilder();
        while (true) {
            if (position >= text.length()) {
                throw error("a string that does not end");
            }
            char c = text.charAt(position++);
            if (c == '"') {
                return value.toString();
            }
            if (c < 0x20) {
                throw error("an unescaped control character in a string");
            }
            if (c != '\\') {
                value.append(c);
                continue;
            }
            if (position >= text.length()) {
                throw error("a string that does not end");
            }
            char escape = text.charAt(position++);
            switch (escape) {
                case '"', '\\', '/' -> value.append(escape);
                case 'b' -> value.append('\b');
                case 'f' -> value.append('\f');
                case 'n' -> value.append('\n');
                case 'r' -> value.append('\r');
                case 't' -> value.append('\t');
                case 'u' -> value.append(hex4());
                default -> throw error("the escape \\" + escape);
            }
        }
    }

    private char hex4() throws IOException {
        if (position + 4 > text.length()) {
            throw error("a \\u escape cut short");
        }
        int code = 0;
        for (int i = 0; i < 4; i++) {
            char c = text.charAt(position++);
            // Not Character.digit, which also takes fullwidth and other scripts' digits.
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (digit < 0) {
                throw error("a \\u escape that is not hexadecimal");
            }
            code = code * 16 + digit;
        }
        return (char) code;
    }

    private BigDecimal number() throws IOException {
        int start = position;
        if (peek() == '-') {
            position++;
        }
        if (peek() == '0') {
            position++;
        } else if (!digits()) {
            throw error("a number without digits");
        }
        if (peek() == '.') {
            position++;
            if (!digits()) {
                throw error("a number without digits after its point");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            position++;
            if (peek() == '+' || peek() == '-') {
                position++;
            }
            if (!digits()) {
                throw error("a number without digits in its exponent");
            }
        }
        if (position - start > MAX_NUMBER) {
            throw error("a number of more than " + MAX_NUMBER + " characters");
        }
        try {
            return new BigDecimal(text.substring(start, position));
        } catch (NumberFormatException e) {
            // An exponent beyond an int: valid JSON, but no layout document needs one.
            throw error("a number out of range");
        }
    }

    private boolean digits() {
        int start = position;
        while (position < text.length() && text.charAt(position) >= '0' && text.charAt(position) <= '9') {
            position++;
        }
        return position > start;
    }

    private Object literal(String word, Object value) throws IOException {
        if (!text.startsWith(word, position)) {
            throw error("a word that is not true, false or null");
        }
        position += word.length();
        return value;
    }

    private void enter() throws IOException {
        if (++depth > MAX_DEPTH) {
            throw error("values nested deeper than " + MAX_DEPTH);
        }
    }

    private void expect(char c) throws IOException {
        if (peek() != c) {
            throw error(position >= text.length() ? "the end of the text where '" + c + "' belongs"
                    : "'" + text.charAt(position) + "' where '" + c + "' belongs");
        }
        position++;
    }

    /** @return the next char, or {@code 0} at the end */
    private char peek() {
        return position < text.length() ? text.charAt(position) : 0;
    }

    private void whitespace() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            position++;
        }
    }

    private IOException error(String found) {
        return new IOException("not JSON: " + found + " at character " + position);
    }
}
