package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.codehaus.plexus.util.SelectorUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A tree's includes and excludes: the Ant matcher against a table checked with plexus' SelectorUtils, the known
 * differences from it, and how the patterns as written are read.
 */
class PathPatternsTest {
    @ParameterizedTest(name = "{0} against {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            a              | a                | true
            a              | b                | false
            a              | a/b              | false
            a/b            | a/b              | true
            a/b            | a                | false
            A              | a                | false
            *              | a                | true
            *              | a/b              | false
            ?              | a                | true
            ?              | ab               | false
            a?b            | axb              | true
            a?b            | ab               | false
            a*             | abc              | true
            a*             | a                | true
            *b             | ab               | true
            *b             | ba               | false
            a*b*c          | aXbYc            | true
            a*b*c          | aXbY             | false
            *.bak          | x.bak            | true
            *.bak          | sub/x.bak        | false
            **/*.bak       | x.bak            | true
            **/*.bak       | sub/x.bak        | true
            **/*.bak       | sub/deep/x.bak   | true
            **/*.bak       | x.txt            | false
            **/*.bak       | x.bak/y          | false
            **/*.conf      | sub/b.conf       | true
            **             | a                | true
            **             | a/b/c            | true
            sub/**         | sub              | true
            sub/**         | sub/b.conf       | true
            sub/**         | sub/deep/d.txt   | true
            sub/**         | subx/b           | false
            sub/**         | other/sub/b      | false
            **/deep/**     | deep             | true
            **/deep/**     | sub/deep         | true
            **/deep/**     | sub/deep/d.txt   | true
            **/deep/**     | sub/deeper/d.txt | false
            a/**/b         | a/b              | true
            a/**/b         | a/x/y/b          | true
            a/**/b         | a/x/y/c          | false
            a/**/**/b      | a/b              | true
            **/a/**/b      | x/a/y/b          | true
            a/*/c          | a/b/c            | true
            a/*/c          | a/b/x/c          | false
            **/.wh.*       | sub/.wh.x        | true
            *              | *                | true
            *.bak          | *.bak            | true
            a?b            | a?b              | true
            *x?.bak        | *x?.bak          | true
            *x?.bak        | ax1.bak          | true
            ж*             | жук              | true
            ?              | ж                | true
            **/ж           | a/ж              | true
            """)
    void matchesAsPlexusDoesForPathsWithoutABackslash(String pattern, String path, boolean expected) {
        assertThat(SelectorUtils.matchPath(pattern, path, "/", true)).as("plexus").isEqualTo(expected);
        assertThat(PathPatterns.matches(pattern, path)).isEqualTo(expected);
    }

    /** '\' is a legal character of a Linux name, not a separator; plexus splits at it too, and reads it as a root. */
    @ParameterizedTest(name = "{0} against {1}: {2}, plexus {3}")
    @CsvSource(delimiter = '|', textBlock = """
            **/*.bak       | \\x.bak          | true  | false
            **/*.bak       | sub/\\y.bak      | true  | true
            a/b            | a\\b             | false | true
            **/e           | c\\d/e           | true  | true
            *.bak          | a\\b.bak         | true  | false
            **             | \\x              | true  | false
            """)
    void aBackslashIsPartOfAName(String pattern, String path, boolean expected, boolean plexus) {
        assertThat(SelectorUtils.matchPath(pattern, path, "/", true)).as("plexus").isEqualTo(plexus);
        assertThat(PathPatterns.matches(pattern, path)).isEqualTo(expected);
    }

    @Test
    void aQuestionMarkMatchesOneCodePointWherePlexusMatchesOneChar() {
        // U+1F600 is two chars in Java, one character of the name.
        assertThat(SelectorUtils.matchPath("?", "😀", "/", true)).as("plexus").isFalse();
        assertThat(PathPatterns.matches("?", "😀")).isTrue();
        assertThat(PathPatterns.matches("a?c", "a😀c")).isTrue();
    }

    @Test
    void withoutPatternsEverythingIsSelected() {
        PathPatterns none = new PathPatterns(List.of(), List.of());

        assertThat(none.selects("a")).isTrue();
        assertThat(none.selects("a/b/c")).isTrue();
        assertThat(none.excludesEverythingBelow("a")).isFalse();
    }

    @Test
    void blankPatternsAreIgnored() {
        PathPatterns blank = new PathPatterns(Arrays.asList(null, "", "  "), Arrays.asList(null, " "));

        assertThat(blank.selects("a/b")).isTrue();
    }

    @Test
    void aPatternIsTrimmedAndLeadingSlashesAndBackslashesAreSeparators() {
        assertThat(new PathPatterns(List.of(" *.conf "), List.of()).selects("a.conf")).isTrue();
        assertThat(new PathPatterns(List.of("//etc/*.conf"), List.of()).selects("etc/a.conf")).isTrue();
        PathPatterns windows = new PathPatterns(List.of("etc\\*.conf"), List.of());
        assertThat(windows.selects("etc/a.conf")).isTrue();
        assertThat(windows.selects("etc\\a.conf")).isFalse();
    }

    @Test
    void aPatternEndingInASlashTakesTheDirectoryAndEverythingBelow() {
        PathPatterns sub = new PathPatterns(List.of("sub/"), List.of());

        assertThat(sub.selects("sub")).isTrue();
        assertThat(sub.selects("sub/deep/d.txt")).isTrue();
        assertThat(sub.selects("subx")).isFalse();
        assertThat(new PathPatterns(List.of(), List.of("sub/")).excludesEverythingBelow("sub")).isTrue();
    }

    @Test
    void anExcludeWinsOverAnInclude() {
        PathPatterns patterns = new PathPatterns(List.of("sub/"), List.of("**/deep/**"));

        assertThat(patterns.selects("sub/b.conf")).isTrue();
        assertThat(patterns.selects("sub/deep")).isFalse();
        assertThat(patterns.selects("sub/deep/d.txt")).isFalse();
        assertThat(patterns.selects("x.txt")).isFalse();
    }

    @Test
    void onlyAnExcludeOfAFolderAndAllBelowItPrunesTheWalk() {
        assertThat(new PathPatterns(List.of(), List.of("**")).excludesEverythingBelow("any/dir")).isTrue();
        PathPatterns cache = new PathPatterns(List.of(), List.of("cache/**", "**/tmp/**", "logs/*"));

        assertThat(cache.excludesEverythingBelow("cache")).isTrue();
        assertThat(cache.excludesEverythingBelow("a/cache")).isFalse();
        assertThat(cache.excludesEverythingBelow("a/b/tmp")).isTrue();
        assertThat(cache.excludesEverythingBelow("logs")).isFalse();
        assertThat(cache.excludesEverythingBelow("logs/x")).isFalse();
    }
}
