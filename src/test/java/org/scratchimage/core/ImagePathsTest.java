package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.PlanningFixtures.assertInvalid;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImagePathsTest {
    private static final String ELEMENT = "<binaries>/<binary>[1]/<path>";

    @ParameterizedTest(name = "{0} -> \"{1}\"")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
        "/           | ''",
        "/bin        | bin",
        "/bin/       | bin",
        "/bin/ls     | bin/ls",
        "/a b/c d    | a b/c d",
        "/.hidden    | .hidden",
        "/..data     | ..data",
        "/a.wh.b     | a.wh.b",
        "/é/ü        | é/ü",
    })
    void anAbsolutePathBecomesRelativeToTheRoot(String value, String expected) throws Exception {
        assertThat(ImagePaths.relative(ELEMENT, value)).isEqualTo(expected);
    }

    @Test
    void absoluteIsTheInverseOfRelative() throws Exception {
        assertThat(ImagePaths.absolute(ImagePaths.relative(ELEMENT, "/usr/bin/"))).isEqualTo("/usr/bin");
        assertThat(ImagePaths.absolute(ImagePaths.relative(ELEMENT, "/"))).isEqualTo("/");
    }

    @Test
    void anEmptyPathIsRejected() {
        assertInvalid(() -> ImagePaths.relative(ELEMENT, ""), ELEMENT, "");
        assertInvalid(() -> ImagePaths.relative(ELEMENT, null), ELEMENT, "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bin/ls", "ls", "./bin", " /bin", "~/bin", "C:\\bin"})
    void aRelativePathIsRejected(String value) {
        InvalidConfigurationException e = assertInvalid(() -> ImagePaths.relative(ELEMENT, value), ELEMENT, value);

        assertThat(e.getMessage()).contains("not absolute");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/bin/../etc", "/..", "/../etc", "/bin/..", "/bin/./ls", "/.", "/./bin", "/bin/."})
    void dotAndDotDotSegmentsAreRejected(String value) {
        InvalidConfigurationException e = assertInvalid(() -> ImagePaths.relative(ELEMENT, value), ELEMENT, value);

        assertThat(e.getMessage()).containsAnyOf("\".\" segment", "\"..\" segment");
    }

    @ParameterizedTest
    @ValueSource(strings = {"//", "//bin", "/bin//ls", "/bin//", "///", "/bin///ls"})
    void emptySegmentsAreRejected(String value) {
        InvalidConfigurationException e = assertInvalid(() -> ImagePaths.relative(ELEMENT, value), ELEMENT, value);

        assertThat(e.getMessage()).contains("\"//\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/.wh.ls", "/bin/.wh.ls", "/.wh..wh..opq", "/etc/.wh..wh..opq", "/.wh.dir/file"})
    void whiteoutNamesAreRejected(String value) {
        InvalidConfigurationException e = assertInvalid(() -> ImagePaths.relative(ELEMENT, value), ELEMENT, value);

        assertThat(e.getMessage()).contains(".wh.");
    }

    @Test
    void aNulCharacterIsRejectedAndNotPrinted() {
        assertInvalid(() -> ImagePaths.relative(ELEMENT, "/bin/a\0b"), ELEMENT, "/bin/a?b");
    }
}
