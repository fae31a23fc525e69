package org.scratchimage.core.packages;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * An installed package, as its paragraph of {@code var/lib/dpkg/status} says. Compared by identity: each is one
 * object per paragraph.
 */
final class InstalledPackage {
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9+._-]*");
    private static final Pattern SAFE_ARCHITECTURE = Pattern.compile("[a-z0-9][a-z0-9-]*");

    final String name;
    final String version;
    final String architecture;
    final String source;
    final String maintainer;
    final boolean multiArchSame;
    private final ControlFile.Paragraph paragraph;

    private InstalledPackage(String name, String version, String architecture, String source, String maintainer,
            boolean multiArchSame, ControlFile.Paragraph paragraph) {
        this.name = name;
        this.version = version;
        this.architecture = architecture;
        this.source = source;
        this.maintainer = maintainer;
        this.multiArchSame = multiArchSame;
        this.paragraph = paragraph;
    }

    /**
     * @param status the status file, as warnings name it
     * @return the package of an installed paragraph; {@code null} if it is not installed, or cannot be used, which
     *     {@code warn} is told
     */
    static InstalledPackage of(ControlFile.Paragraph paragraph, Path status, Consumer<String> warn) {
        String state = paragraph.get("Status");
        String[] words = state == null ? new String[0] : state.trim().split("\\s+");
        if (words.length != 3 || !words[2].equals("installed")) {
            return null;
        }
        String name = paragraph.get("Package");
        String version = paragraph.get("Version");
        String architecture = paragraph.get("Architecture");
        String where = status + ", paragraph of line " + paragraph.line();
        if (name == null || version == null || version.isEmpty() || architecture == null) {
            warn.accept(where + ": an installed package without Package, Version or Architecture; it is left out of"
                    + " the package metadata");
            return null;
        }
        // The name makes file names, here and in the image: no '/', no "..".
        if (!SAFE_NAME.matcher(name).matches() || !SAFE_ARCHITECTURE.matcher(architecture).matches()) {
            warn.accept(where + ": package name \"" + name + "\" or architecture \"" + architecture + "\" is not a"
                    + " safe file name; the package is left out of the package metadata");
            return null;
        }
        String source = paragraph.get("Source");
        // "Source: glibc (2.36-9)": the source's own version, when it differs, follows in parentheses.
        source = source == null || source.isBlank() ? name : source.trim().split("\\s+")[0];
        return new InstalledPackage(name, version, architecture, source, paragraph.get("Maintainer"),
                "same".equals(paragraph.get("Multi-Arch")), paragraph);
    }

    /** @return the paragraph as the image's {@code status.d} file holds it: every field but the host's Conffiles */
    byte[] statusParagraph() {
        StringBuilder out = new StringBuilder();
        for (ControlFile.Field field : paragraph.fields()) {
            if (field.name().equalsIgnoreCase("Conffiles")) {
                continue;
            }
            out.append(field.name()).append(':');
            if (!field.value().isEmpty() && field.value().charAt(0) != '\n') {
                out.append(' ');
            }
            out.append(field.value()).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** @return what the image says of it */
    DebianPackage describe(java.util.List<String> licenses) {
        return new DebianPackage(name, version, architecture, source, maintainer, licenses);
    }
}
