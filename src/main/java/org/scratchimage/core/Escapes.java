package org.scratchimage.core;

/**
 * The escaping of the tab-separated records beside the layout ({@link UnchangedBuild}, {@link ElfHeaders}): a Linux
 * file name may hold any character but {@code /} and NUL, so {@code %} and every control character are written as
 * {@code %XX}, and a field never holds a tab or a line end.
 */
final class Escapes {
    private Escapes() {}

    static String escape(String field) {
        StringBuilder text = null;
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '%' || c < 0x20 || c == 0x7f) {
                if (text == null) {
                    text = new StringBuilder(field.length() + 8).append(field, 0, i);
                }
                text.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            } else if (text != null) {
                text.append(c);
            }
        }
        return text == null ? field : text.toString();
    }

    static String unescape(String field) {
        if (field.indexOf('%') < 0) {
            return field;
        }
        StringBuilder plain = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '%') {
                plain.append((char) Integer.parseInt(field.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                plain.append(c);
            }
        }
        return plain.toString();
    }

    /** @return the fields of one line, unescaped */
    static String[] fields(String line) {
        String[] fields = line.split("\t", -1);
        for (int i = 0; i < fields.length; i++) {
            fields[i] = unescape(fields[i]);
        }
        return fields;
    }

    /** Appends the fields as one line. */
    static void line(StringBuilder text, String... fields) {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                text.append('\t');
            }
            text.append(escape(fields[i]));
        }
        text.append('\n');
    }
}
