package org.scratchimage.core.packages;

/** The two values of {@code /etc/os-release} that name the distribution: {@code ID} and {@code VERSION_ID}. */
final class OsRelease {
    private OsRelease() {}

    /**
     * @param text the file's content: shell-style {@code KEY=value} lines, values maybe quoted
     * @return {@code {ID, VERSION_ID}}, each {@code null} when absent or empty
     */
    static String[] idAndVersion(String text) {
        String id = null;
        String version = null;
        for (String line : text.split("\n")) {
            String trimmed = line.trim();
            int equals = trimmed.indexOf('=');
            if (trimmed.startsWith("#") || equals <= 0) {
                continue;
            }
            String key = trimmed.substring(0, equals);
            String value = unquote(trimmed.substring(equals + 1).trim());
            if (key.equals("ID")) {
                id = value.isEmpty() ? null : value;
            } else if (key.equals("VERSION_ID")) {
                version = value.isEmpty() ? null : value;
            }
        }
        return new String[] {id, version};
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                && value.charAt(value.length() - 1) == value.charAt(0)) {
            return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return value;
    }
}
