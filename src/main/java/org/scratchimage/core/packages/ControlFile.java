package org.scratchimage.core.packages;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A deb822 control file, as {@code var/lib/dpkg/status} and machine-readable copyright files are: paragraphs separated
 * by blank lines, each a list of {@code Name: value} fields whose value may go on in lines that start with a space or
 * a tab.
 */
final class ControlFile {

    /**
     * One field.
     *
     * @param name the field name as written
     * @param value the value: its first line trimmed, then each continuation line verbatim after a newline
     */
    record Field(String name, String value) {
        /** @return the value's first line */
        String firstLine() {
            int newline = value.indexOf('\n');
            return newline < 0 ? value : value.substring(0, newline);
        }
    }

    /**
     * One paragraph.
     *
     * @param fields its fields, in order
     * @param line the line it starts on, from 1, for warnings
     */
    record Paragraph(List<Field> fields, int line) {
        /** @return the first line of the field of that name (case-insensitive, as dpkg reads it), or {@code null} */
        String get(String name) {
            for (Field field : fields) {
                if (field.name().equalsIgnoreCase(name)) {
                    return field.firstLine();
                }
            }
            return null;
        }
    }

    private ControlFile() {}

    /**
     * @param text the file's content
     * @param file the file, as the warnings name it
     * @param warn receives one warning per malformed paragraph, which is left out
     * @return the well-formed paragraphs, in order
     */
    static List<Paragraph> parse(String content, String file, Consumer<String> warn) {
        // A final blank line ends the last paragraph like any other.
        String text = content.endsWith("\n") ? content : content + "\n";
        List<Paragraph> paragraphs = new ArrayList<>();
        List<Field> fields = new ArrayList<>();
        String name = null;
        StringBuilder value = null;
        int start = 0;
        String malformed = null;
        int lineNumber = 0;
        int position = 0;
        while (position <= text.length()) {
            int end = text.indexOf('\n', position);
            boolean last = end < 0;
            String line = last ? text.substring(position) : text.substring(position, end);
            position = last ? text.length() + 1 : end + 1;
            lineNumber++;
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isBlank()) {
                if (name != null) {
                    fields.add(new Field(name, value.toString()));
                }
                if (malformed != null) {
                    warn.accept(file + ": " + malformed + "; the paragraph of line " + start + " is left out");
                } else if (!fields.isEmpty()) {
                    paragraphs.add(new Paragraph(List.copyOf(fields), start));
                }
                fields.clear();
                name = null;
                malformed = null;
                continue;
            }
            if (fields.isEmpty() && name == null && malformed == null) {
                start = lineNumber;
            }
            if (line.startsWith("#")) {
                continue;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (name == null) {
                    malformed = malformed != null ? malformed : "line " + lineNumber + " continues no field";
                } else {
                    value.append('\n').append(line);
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !isFieldName(line.substring(0, colon))) {
                malformed = malformed != null ? malformed : "line " + lineNumber + " is not a \"Name: value\" field";
                name = null;
                continue;
            }
            if (name != null) {
                fields.add(new Field(name, value.toString()));
            }
            name = line.substring(0, colon);
            value = new StringBuilder(line.substring(colon + 1).trim());
        }
        return paragraphs;
    }

    private static boolean isFieldName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c > '~') {
                return false;
            }
        }
        return name.charAt(0) != '-';
    }
}
