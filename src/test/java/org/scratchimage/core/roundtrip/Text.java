package org.scratchimage.core.roundtrip;

import java.nio.charset.StandardCharsets;

/** Small string helpers for the generator and for readable failure messages. */
final class Text {
    private Text() {}

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Shows control characters as escapes, so that a failure message prints a path on one line. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** @return the parent of a relative image path, {@code ""} for a top-level one */
    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    static String join(String parent, String name) {
        return parent.isEmpty() ? name : parent + "/" + name;
    }
}
