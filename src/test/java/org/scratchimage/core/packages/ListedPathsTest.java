package org.scratchimage.core.packages;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ListedPathsTest {
    private static byte[] list(String... lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aPathListedByTwoPackagesBelongsToTheFirst() {
        ListedPaths paths = new ListedPaths();
        paths.add(0, list("/.", "/usr", "/usr/bin", "/usr/bin/a"));
        paths.add(1, list("/.", "/usr", "/usr/bin", "/usr/bin/a", "/usr/bin/b"));

        assertThat(paths.owner("/usr/bin/a")).isZero();
        assertThat(paths.owner("/usr/bin/b")).isEqualTo(1);
        assertThat(paths.owner("/usr/bin/c")).isEqualTo(-1);
        assertThat(paths.owner("/usr/bin")).isZero();
    }

    @Test
    void pathsWithOneHashAreToldApartByTheirBytes() {
        // "Aa" and "BB" have one String.hashCode: so do "/x/Aa" and "/x/BB".
        assertThat("/x/Aa".hashCode()).isEqualTo("/x/BB".hashCode());
        ListedPaths paths = new ListedPaths();
        paths.add(0, list("/x/Aa"));
        paths.add(1, list("/x/BB"));

        assertThat(paths.owner("/x/Aa")).isZero();
        assertThat(paths.owner("/x/BB")).isEqualTo(1);
        assertThat(paths.owner("/x/AaBB")).isEqualTo(-1);
    }

    @Test
    void aNonAsciiPathIsFoundByItsStringAndLinesNotAbsoluteAreNoPaths() {
        ListedPaths paths = new ListedPaths();
        paths.add(0, list("/usr/share/doc/café/README", "relative/file", "", "/last-without-newline"));
        paths.add(1, "/no/newline/at/end".getBytes(StandardCharsets.UTF_8));

        assertThat(paths.owner("/usr/share/doc/café/README")).isZero();
        assertThat(paths.owner("relative/file")).isEqualTo(-1);
        assertThat(paths.owner("/no/newline/at/end")).isEqualTo(1);
    }

    @Test
    void manyPathsGrowTheTableAndAllAreFound() {
        ListedPaths paths = new ListedPaths();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 200_000; i++) {
            lines.append("/usr/lib/x/").append(i).append('\n');
        }
        paths.add(3, lines.toString().getBytes(StandardCharsets.UTF_8));

        assertThat(paths.owner("/usr/lib/x/0")).isEqualTo(3);
        assertThat(paths.owner("/usr/lib/x/199999")).isEqualTo(3);
        assertThat(paths.owner("/usr/lib/x/200000")).isEqualTo(-1);
    }
}
