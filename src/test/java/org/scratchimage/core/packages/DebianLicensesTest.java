package org.scratchimage.core.packages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Debian's license short names, as machine-readable copyright files write them, to SPDX ids. */
class DebianLicensesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "GPL-2+; GPL-2.0-or-later",
            "GPL-2; GPL-2.0-only",
            "GPL-3+; GPL-3.0-or-later",
            "LGPL-2.1+; LGPL-2.1-or-later",
            "LGPL-2.1; LGPL-2.1-only",
            "LGPL-2+; LGPL-2.0-or-later",
            "lgpl-3; LGPL-3.0-only",
            "AGPL-3+; AGPL-3.0-or-later",
            "GPL-2.0+; GPL-2.0-or-later",
            "GPL-2.0-or-later; GPL-2.0-or-later",
            "BSD-3-clause; BSD-3-Clause",
            "BSD-2-Clause; BSD-2-Clause",
            "Expat; MIT",
            "MIT; MIT",
            "Zlib; Zlib",
            "Apache-2.0; Apache-2.0",
            "ISC; ISC",
            "curl; curl",
            "Artistic; Artistic-1.0",
            "GPL-2+ or Artistic; GPL-2.0-or-later Artistic-1.0",
            "LGPL-2.1+ with OpenSSL exception; LGPL-2.1-or-later",
            "(GPL-2+ | BSD-3-clause) & Expat; GPL-2.0-or-later BSD-3-Clause MIT",
            "GPL-2+, LGPL-2.1+; GPL-2.0-or-later LGPL-2.1-or-later",
            "public-domain; ''",
            "other-custom-license; ''",
            "GPL-1+; GPL-1.0-or-later"})
    void aShortNameMapsToItsSpdxIdAndAnUnknownOneIsLeftOut(String expression, String ids) {
        assertThat(DebianLicenses.ids(expression)).isEqualTo(ids.isEmpty() ? List.of() : List.of(ids.split(" ")));
    }

    @Test
    void theLicensesOfAMachineReadableFileComeInItsOrderEachOnce() {
        String copyright = """
                Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
                Upstream-Name: zlib
                Source: https://zlib.net/

                Files: *
                Copyright: 1995-2022 Jean-loup Gailly and Mark Adler
                License: Zlib

                Files: contrib/dotzlib/*
                License: BSL-1.0 and Zlib

                License: Zlib
                 This software is provided 'as-is', ...
                """;

        assertThat(DebianLicenses.of(copyright, "copyright", warning -> { })).containsExactly("Zlib", "BSL-1.0");
    }

    @Test
    void aCopyrightFileInTheOldFreeFormNamesNone() {
        String copyright = """
                This is Debian's prepackaged version of the FSF's GNU hello program.

                License: GPL-3+, see /usr/share/common-licenses/GPL-3.
                """;

        assertThat(DebianLicenses.of(copyright, "copyright", warning -> { })).isEmpty();
    }

    @Test
    void aMalformedParagraphOfACopyrightFileIsWarnedAboutAndTheOthersCount() {
        List<String> warnings = new ArrayList<>();
        String copyright = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n"
                + "Files: *\nno colon here\nLicense: GPL-2+\n\nFiles: b\nLicense: Expat\n";

        assertThat(DebianLicenses.of(copyright, "/usr/share/doc/x/copyright", warnings::add)).containsExactly("MIT");
        assertThat(warnings).singleElement().asString().contains("/usr/share/doc/x/copyright", "line 4");
    }
}
