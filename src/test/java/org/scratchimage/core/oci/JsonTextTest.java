package org.scratchimage.core.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Our JSON writer must give Jackson's bytes: the config, manifest and index digests depend on every byte. */
class JsonTextTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();
    private static final String[] PIECES = {"a", "Z", "0", " ", "\"", "\\", "/", "\b", "\t", "\n", "\f", "\r", "\u0000",
        "\u0001", "\u001F", "\u007F", "\uD800", "\uDFFF", "\uE000", "\uFFFF", "\u0080", "é", "中", "\u2028", "\u2029", "\uFFFD", "😀", "<", ">", "&", "'", "="};

    @Test
    void writesWhatJacksonWritesForRandomDocuments() throws Exception {
        Random random = new Random(11);
        for (int i = 0; i < 3000; i++) {
            Object document = randomValue(random, 0);
            assertThat(new String(JsonText.write(document), StandardCharsets.UTF_8))
                    .isEqualTo(new String(JACKSON.writeValueAsBytes(document), StandardCharsets.UTF_8));
        }
    }

    @Test
    void theWriterWritesWhatWriteWritesForTheSameRandomDocuments() {
        Random random = new Random(12);
        for (int i = 0; i < 3000; i++) {
            Object document = randomValue(random, 0);
            // A small buffer grows many times; a large one never.
            JsonText.Writer writer = new JsonText.Writer(random.nextBoolean() ? 1 : 1 << 16);
            stream(writer, document, random);

            assertThat(writer.raw().json()).isEqualTo(JsonText.write(document));
        }
    }

    @Test
    void theWriterWritesBooleansNumbersAndRawJsonAsWriteDoes() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("t", true);
        document.put("f", false);
        document.put("l", List.of(Long.MIN_VALUE, 0, new JsonText.Raw("{\"r\":[1]}".getBytes(StandardCharsets.UTF_8))));
        JsonText.Writer writer = new JsonText.Writer().beginObject().name("t").value(true).name("f").value(false)
                .name("l").beginArray().value(Long.MIN_VALUE).value(0)
                .value(new JsonText.Raw("{\"r\":[1]}".getBytes(StandardCharsets.UTF_8))).endArray().endObject();

        assertThat(writer.raw().json()).isEqualTo(JsonText.write(document))
                .isEqualTo("{\"t\":true,\"f\":false,\"l\":[-9223372036854775808,0,{\"r\":[1]}]}"
                        .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> new JsonText.Writer().value((String) null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Writes {@code json} through the writer's begins, names and ends; a leaf may go through value(Object), and a
     * whole part as Raw JSON written first.
     */
    private static void stream(JsonText.Writer writer, Object json, Random random) {
        if (!(json instanceof String) && random.nextInt(8) == 0) {
            writer.value(new JsonText.Raw(JsonText.write(json)));
        } else if (json instanceof Map<?, ?> map) {
            writer.beginObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                writer.name((String) entry.getKey());
                stream(writer, entry.getValue(), random);
            }
            writer.endObject();
        } else if (json instanceof List<?> list) {
            writer.beginArray();
            for (Object element : list) {
                stream(writer, element, random);
            }
            writer.endArray();
        } else if (json instanceof String text && random.nextBoolean()) {
            writer.value(text);
        } else {
            writer.value(json);
        }
    }

    @Test
    void escapesAsJsonRequiresAndNoMore() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("k\"", "q\"b\\n\nt\tc\u0001d\u001Fe\u007F/é");
        json.put("n", 2);
        json.put("l", List.of(9_000_000_000L, "x", Map.of(), "😀\uDC00"));

        assertThat(new String(JsonText.write(json), StandardCharsets.UTF_8))
                .isEqualTo("{\"k\\\"\":\"q\\\"b\\\\n\\nt\\tc\\u0001d\\u001Fe\u007F/é\",\"n\":2,\"l\":[9000000000,\"x\",{},\"\\uD83D\\uDE00\\uDC00\"]}");
    }

    @Test
    void jsonWrittenAlreadyIsPutInPlaceAsItIs() {
        Random random = new Random(12);
        for (int i = 0; i < 300; i++) {
            Object part = randomValue(random, 1);
            Map<String, Object> whole = new LinkedHashMap<>();
            whole.put("a", 1);
            whole.put("part", part);
            Map<String, Object> spliced = new LinkedHashMap<>();
            spliced.put("a", 1);
            spliced.put("part", new JsonText.Raw(JsonText.write(part)));

            assertThat(JsonText.write(spliced)).isEqualTo(JsonText.write(whole));
        }
    }

    @Test
    void refusesWhatItCannotWrite() {
        assertThatThrownBy(() -> JsonText.write(Map.of("a", 1.5))).isInstanceOf(IllegalArgumentException.class);
    }

    private static Object randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 3 ? 3 : 6);
        switch (kind) {
            case 0:
                return randomString(random);
            case 1:
                return random.nextInt();
            case 2:
                return random.nextLong();
            case 3: {
                Map<String, Object> map = random.nextBoolean() ? new LinkedHashMap<>() : new TreeMap<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    map.put(randomString(random), randomValue(random, depth + 1));
                }
                return map;
            }
            default: {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    list.add(randomValue(random, depth + 1));
                }
                return list;
            }
        }
    }

    private static String randomString(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(8); i > 0; i--) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }
}
