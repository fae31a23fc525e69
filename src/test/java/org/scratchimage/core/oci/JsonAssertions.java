package org.scratchimage.core.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Checks on the raw bytes of a JSON document, shared by the OCI tests. */
public final class JsonAssertions {
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private JsonAssertions() {}

    /**
     * Parses a document the plugin wrote, asserting it is valid UTF-8, has no duplicate keys, and is compact:
     * re-serialising it without whitespace gives back exactly the same bytes.
     */
    public static JsonNode parseCompact(byte[] json) throws IOException {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(json));
        } catch (CharacterCodingException e) {
            throw new AssertionError("JSON is not valid UTF-8", e);
        }
        JsonNode node = STRICT.readTree(json);
        assertThat(new String(json, StandardCharsets.UTF_8)).as("compact JSON").doesNotContain("\n")
                .isEqualTo(new String(new ObjectMapper().writeValueAsBytes(node), StandardCharsets.UTF_8));
        return node;
    }

    /** @return every key in document order, each as its dotted path from the root ("config.Env") */
    public static List<String> keySequence(byte[] json) throws IOException {
        List<String> keys = new ArrayList<>();
        List<String> path = new ArrayList<>();
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            String pending = null;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case FIELD_NAME:
                        pending = parser.currentName();
                        keys.add(String.join("", path) + pending);
                        break;
                    case START_OBJECT:
                    case START_ARRAY:
                        path.add(pending == null ? "[]." : pending + ".");
                        pending = null;
                        break;
                    case END_OBJECT:
                    case END_ARRAY:
                        path.remove(path.size() - 1);
                        pending = null;
                        break;
                    default:
                        pending = null;
                }
            }
        }
        // The root object contributes an empty segment.
        return keys.stream().map(k -> k.startsWith("[].") ? k.substring(3) : k).toList();
    }
}
