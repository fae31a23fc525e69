package org.scratchimage.core.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Our JSON reader must read what Jackson reads, the same way, and refuse what is not JSON with an IOException:
 * it reads documents of layouts that may come from anywhere.
 */
class JsonReaderTest {
    private static final ObjectMapper JACKSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final String[] PIECES = {"a", "Z", "0", " ", "\"", "\\", "/", "\b", "\t", "\n", "\f", "\r",
        "\u0000", "\u0001", "\u001F", "\u007F", "\uE000", "\uFFFF", "\u0080", "é", "中", "\u2028", "😀", "\uFFFD"};
    private static final String[] NUMBERS = {"0", "-0", "7", "-12", "3.25", "-0.5", "1e3", "1E+2", "2.5e-3",
        "123456789012345678901234567890", "0.000000000000000000001"};
    private static final String[] SPACES = {"", " ", "\n", "\t", "\r\n  "};

    @Test
    void readsWhatJacksonReadsForRandomDocuments() throws Exception {
        Random random = new Random(17);
        for (int i = 0; i < 3000; i++) {
            String document = randomValue(random, 0);
            Object ours = JsonReader.parse(document.getBytes(StandardCharsets.UTF_8));
            Object jackson = JACKSON.readValue(document, Object.class);
            assertThat(normalise(ours)).as(document).isEqualTo(normalise(jackson));
        }
    }

    @Test
    void readsTheEscapesAndKeepsKeyOrderWithTheLastOfARepeatedKey() throws IOException {
        Object value = JsonReader.parse("{\"b\":\"\\ud83d\\ude00\\u00e9\\/\\\"\\\\\\b\\f\\n\\r\\t\",\"a\":[true,false,null],\"b2\":1,\"b2\":2}"
                .getBytes(StandardCharsets.UTF_8));

        assertThat(value).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        assertThat(map.keySet()).containsExactly("b", "a", "b2");
        assertThat(map.get("b")).isEqualTo("😀é/\"\\\b\f\n\r\t");
        assertThat(map.get("a")).isEqualTo(java.util.Arrays.asList(true, false, null));
        assertThat(map.get("b2")).isEqualTo(new BigDecimal(2));
        assertThat(JsonReader.string(map, "b")).isEqualTo("😀é/\"\\\b\f\n\r\t");
        assertThat(JsonReader.string(map, "a")).isEmpty();
        assertThat(JsonReader.string("not an object", "b")).isEmpty();
    }

    @Test
    void refusesWhatIsNotJsonLikeJacksonDoes() {
        List<String> bad = List.of("", " ", "{", "}", "[1,]", "[,1]", "{\"a\"}", "{\"a\":1,}", "{a:1}", "{'a':1}",
                "01", "1.", ".5", "-", "+1", "1e", "1e+", "0x10", "NaN", "Infinity", "\"\\x\"", "\"\\u12\"",
                "\"\\u12g4\"", "\"abc", "\"a\\", "tru", "nul", "True", "[1] x", "{} {}", "\"\u0001\"", "[1 2]",
                "{\"a\" 1}", "[\"a\":1]", "\u00a0{}", "/* c */ {}");
        for (String text : bad) {
            assertThatThrownBy(() -> JsonReader.parse(text.getBytes(StandardCharsets.UTF_8)))
                    .as(text).isInstanceOf(IOException.class).hasMessageStartingWith("not JSON: ");
            assertThatThrownBy(() -> JACKSON.readValue(text, Object.class))
                    .as("Jackson agrees that %s is not JSON", text).isInstanceOf(JsonProcessingException.class);
        }
    }

    @Test
    void escapesTakeAsciiHexDigitsOnly() {
        // Character.digit would read fullwidth and Arabic-Indic digits as hex.
        for (String text : List.of("\"\\u\uFF10\uFF10\uFF14\uFF21\"", "\"\\u\u0660\u0660\u0664\u0661\"")) {
            assertThatThrownBy(() -> JsonReader.parse(text.getBytes(StandardCharsets.UTF_8)))
                    .as(text).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aNumberLongerThanTheCapIsRefused() {
        // BigDecimal would take over ten seconds on this one: the length cap refuses it before parsing.
        String huge = "[" + "7".repeat(1_000_000) + "]";

        assertThatThrownBy(() -> JsonReader.parse(huge.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class).hasMessageContaining("more than " + JsonReader.MAX_NUMBER);
    }

    @Test
    void refusesBytesThatAreNotUtf8() {
        byte[] latin1 = "{\"a\":\"é\"}".getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> JsonReader.parse(latin1)).isInstanceOf(IOException.class).hasMessageContaining("UTF-8");
    }

    @Test
    void deepNestingIsAnIoExceptionNotAStackOverflow() throws IOException {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> JsonReader.parse(deep.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class).hasMessageContaining("nested deeper");
        String objects = "{\"a\":".repeat(100_000);
        assertThatThrownBy(() -> JsonReader.parse(objects.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);

        String allowed = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
        assertThat(JsonReader.parse(allowed.getBytes(StandardCharsets.UTF_8))).isInstanceOf(List.class);
    }

    @Test
    void readsWhatJsonTextWrites() throws IOException {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("s", "q\"\\\u0001\uD83D\uDE00");
        document.put("n", 9_000_000_000L);
        document.put("l", List.of(Map.of(), List.of(), "x"));

        assertThat(normalise(JsonReader.parse(JsonText.write(document)))).isEqualTo(normalise(document));
    }

    /** Numbers as BigDecimals without trailing zeros, so that 1E+2, 100 and 100.0 compare equal. */
    private static Object normalise(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, normalise(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(normalise(v)));
            return copy;
        }
        if (value instanceof Number number) {
            return new BigDecimal(number.toString()).stripTrailingZeros();
        }
        return value;
    }

    private static String randomValue(Random random, int depth) {
        String space = SPACES[random.nextInt(SPACES.length)];
        switch (random.nextInt(depth > 3 ? 4 : 6)) {
            case 0:
                return space + quoted(random) + space;
            case 1:
                return space + NUMBERS[random.nextInt(NUMBERS.length)] + space;
            case 2:
                return space + List.of("true", "false", "null").get(random.nextInt(3)) + space;
            case 3:
                return space + "\"\\u" + String.format("%04x", random.nextInt(0xD800)) + "\"" + space;
            case 4: {
                List<String> members = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    members.add(space + quoted(random) + space + ":" + randomValue(random, depth + 1));
                }
                return space + "{" + String.join(",", members) + space + "}" + space;
            }
            default: {
                List<String> items = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    items.add(randomValue(random, depth + 1));
                }
                return space + "[" + String.join(",", items) + space + "]" + space;
            }
        }
    }

    /** A JSON string of random pieces, escaped as JSON requires, some escapes chosen where optional. */
    private static String quoted(Random random) {
        StringBuilder text = new StringBuilder("\"");
        for (int i = random.nextInt(8); i > 0; i--) {
            String piece = PIECES[random.nextInt(PIECES.length)];
            // Both halves of a surrogate pair escaped, or neither: a raw half alone is not UTF-8.
            boolean escapeAll = random.nextInt(8) == 0;
            for (char c : piece.toCharArray()) {
                if (c == '"' || c == '\\' || c < 0x20 || escapeAll) {
                    text.append(String.format("\\u%04X", (int) c));
                } else {
                    text.append(c);
                }
            }
        }
        return text.append('"').toString();
    }
}
