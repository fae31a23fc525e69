package org.scratchimage.core;

/** Validation of paths inside the image. */
final class ImagePaths {
    private ImagePaths() {}

    /**
     * Checks an absolute path inside the image and returns it relative to the root, without a trailing
     * slash; the root itself becomes {@code ""}.
     */
    static String relative(String element, String value) throws InvalidConfigurationException {
        if (value == null || value.isEmpty()) {
            throw new InvalidConfigurationException(element, "", "is empty",
                    "write the absolute path inside the image, such as /bin/app");
        }
        if (!value.startsWith("/")) {
            throw new InvalidConfigurationException(element, value, "is not absolute",
                    "write the absolute path inside the image, such as \"/" + value + "\"");
        }
        if (value.indexOf('\0') >= 0) {
            throw new InvalidConfigurationException(element, value.replace('\0', '?'), "contains a NUL character",
                    "remove it: a tar path cannot hold one");
        }
        if (value.contains("//")) {
            // Checked before the trailing slash is dropped, which would turn "//" into the root.
            throw new InvalidConfigurationException(element, value, "has an empty segment (\"//\")",
                    "write each directory once, separated by a single '/'");
        }
        String trimmed = value.length() > 1 && value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        if (trimmed.equals("/")) {
            return "";
        }
        for (String segment : trimmed.substring(1).split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new InvalidConfigurationException(element, value, "has a \"" + segment + "\" segment",
                        "write the normalised absolute path, without \".\" or \"..\"");
            }
            if (segment.startsWith(".wh.")) {
                throw new InvalidConfigurationException(element, value, "has a name starting with \".wh.\"",
                        "rename it: OCI layers reserve \".wh.\" names for whiteouts, so no runtime would create it");
            }
        }
        return trimmed.substring(1);
    }

    /** @return the path as the user would write it, with a leading slash */
    static String absolute(String relative) {
        return "/" + relative;
    }
}
