package org.scratchimage.examples.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.commons.lang3.StringUtils;
import org.scratchimage.examples.greeting.Greeting;

/** Prints one line of JSON that each dependency had a hand in. */
public final class Main {
    static final String NAME = "from scratch";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        String greeting = Greeting.of(NAME);
        ObjectMapper json = new ObjectMapper();
        ObjectNode line = json.createObjectNode();
        line.put("greeting", greeting);
        line.put("short", StringUtils.abbreviate(greeting, 10));
        line.put("java", Runtime.version().feature());
        System.out.println(json.writeValueAsString(line));
    }
}
