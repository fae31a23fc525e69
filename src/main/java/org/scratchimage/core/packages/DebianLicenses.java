package org.scratchimage.core.packages;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The SPDX ids that a machine-readable Debian copyright file (copyright-format 1.0) names in its {@code License:}
 * fields. Debian's short names are mapped ({@code GPL-2+} is {@code GPL-2.0-or-later}, {@code Expat} is {@code MIT});
 * a name that is neither a known short name nor a known SPDX id is left out, as is a license exception
 * ({@code with OpenSSL exception} keeps its license). A file in another format names none.
 */
final class DebianLicenses {
    /** Debian short names and SPDX ids, by their lower-case form. */
    private static final Map<String, String> SPDX = new HashMap<>();

    static {
        for (String id : List.of("0BSD", "AFL-2.1", "AFL-3.0", "Apache-1.0", "Apache-1.1", "Apache-2.0",
                "Artistic-1.0", "Artistic-1.0-Perl", "Artistic-2.0", "Beerware", "BSD-1-Clause", "BSD-2-Clause",
                "BSD-3-Clause", "BSD-4-Clause", "BSL-1.0", "bzip2-1.0.6", "CC-BY-3.0", "CC-BY-4.0", "CC-BY-SA-3.0",
                "CC-BY-SA-4.0", "CC0-1.0", "CDDL-1.0", "curl", "EPL-1.0", "EPL-2.0", "FSFAP", "FSFUL", "FSFULLR",
                "FTL", "GFDL-1.2-only", "GFDL-1.2-or-later", "GFDL-1.3-only", "GFDL-1.3-or-later", "HPND", "ICU",
                "IJG", "ISC", "Libpng", "libpng-2.0", "MIT", "MIT-0", "MPL-1.1", "MPL-2.0", "NTP", "OpenSSL",
                "OFL-1.1", "PSF-2.0", "Python-2.0", "Ruby", "SGI-B-2.0", "Sleepycat", "TCL", "Unicode-DFS-2016",
                "Unicode-3.0", "Unlicense", "W3C", "WTFPL", "X11", "Zlib", "ZPL-2.1")) {
            SPDX.put(id.toLowerCase(Locale.ROOT), id);
        }
        for (String gpl : List.of("GPL", "LGPL", "AGPL")) {
            for (String version : List.of("1", "2", "2.1", "3")) {
                boolean exists = gpl.equals("GPL") ? !version.equals("2.1")
                        : gpl.equals("LGPL") ? !version.equals("1") : version.equals("3");
                if (!exists) {
                    continue;
                }
                String spdx = gpl + "-" + (version.contains(".") ? version : version + ".0");
                for (String debian : List.of(gpl + "-" + version, spdx, spdx + "-only")) {
                    SPDX.put(debian.toLowerCase(Locale.ROOT), spdx + "-only");
                }
                for (String debian : List.of(gpl + "-" + version + "+", spdx + "+", spdx + "-or-later")) {
                    SPDX.put(debian.toLowerCase(Locale.ROOT), spdx + "-or-later");
                }
            }
        }
        Map<String, String> debian = Map.ofEntries(
                Map.entry("expat", "MIT"), Map.entry("bsd-2", "BSD-2-Clause"), Map.entry("bsd-3", "BSD-3-Clause"),
                Map.entry("bsd-4", "BSD-4-Clause"), Map.entry("zlib", "Zlib"), Map.entry("apache-2", "Apache-2.0"),
                Map.entry("artistic", "Artistic-1.0"), Map.entry("artistic-1", "Artistic-1.0"),
                Map.entry("artistic-2", "Artistic-2.0"), Map.entry("cc0", "CC0-1.0"), Map.entry("mpl-2", "MPL-2.0"),
                Map.entry("psf-2", "PSF-2.0"), Map.entry("python", "Python-2.0"), Map.entry("gfdl-1.2", "GFDL-1.2-only"),
                Map.entry("gfdl-1.2+", "GFDL-1.2-or-later"), Map.entry("gfdl-1.3", "GFDL-1.3-only"),
                Map.entry("gfdl-1.3+", "GFDL-1.3-or-later"), Map.entry("boost-1.0", "BSL-1.0"),
                Map.entry("sil-ofl-1.1", "OFL-1.1"), Map.entry("unicode", "Unicode-DFS-2016"));
        SPDX.putAll(debian);
    }

    private DebianLicenses() {}

    /**
     * @param text the copyright file's content
     * @param file the file, as warnings name it
     * @param warn receives a warning for each malformed paragraph of a machine-readable file
     * @return the SPDX ids, in the order the file names them, each once; empty if the file is not machine-readable
     */
    static List<String> of(String text, String file, Consumer<String> warn) {
        if (!isMachineReadable(text)) {
            return List.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        for (ControlFile.Paragraph paragraph : ControlFile.parse(text, file, warn)) {
            String license = paragraph.get("License");
            if (license != null) {
                ids.addAll(ids(license));
            }
        }
        return new ArrayList<>(ids);
    }

    /** The first field of a machine-readable file is {@code Format:}, a URL of copyright-format. */
    private static boolean isMachineReadable(String text) {
        for (String line : text.split("\n", 20)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                return line.regionMatches(true, 0, "Format:", 0, "Format:".length());
            }
        }
        return false;
    }

    /**
     * @param expression a {@code License:} field's first line, such as {@code GPL-2+ or Artistic} or
     *     {@code LGPL-2.1+ with OpenSSL exception}
     * @return the SPDX ids of the names it holds, in order; unknown names left out
     */
    static List<String> ids(String expression) {
        List<String> ids = new ArrayList<>();
        String normalized = expression.replaceAll("(?i)\\s+with\\s+\\S+\\s+exception", " ")
                .replace('(', ' ').replace(')', ' ').replace(',', ' ').replace('|', ' ').replace('&', ' ');
        for (String word : normalized.trim().split("\\s+")) {
            String lower = word.toLowerCase(Locale.ROOT);
            if (lower.equals("or") || lower.equals("and")) {
                continue;
            }
            String id = SPDX.get(lower);
            if (id != null && !ids.contains(id)) {
                ids.add(id);
            }
        }
        return ids;
    }
}
