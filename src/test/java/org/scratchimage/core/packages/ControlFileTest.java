package org.scratchimage.core.packages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** deb822 paragraphs as dpkg writes its status file. */
class ControlFileTest {

    @Test
    void fieldsKeepTheirContinuationLinesAndParagraphsTheirFirstLine() {
        List<String> warnings = new ArrayList<>();
        List<ControlFile.Paragraph> paragraphs = ControlFile.parse("""
                Package: a
                Description: first line
                 more
                 .
                 end

                Package: b
                Version: 1
                """, "status", warnings::add);

        assertThat(warnings).isEmpty();
        assertThat(paragraphs).hasSize(2);
        assertThat(paragraphs.get(0).line()).isEqualTo(1);
        assertThat(paragraphs.get(0).fields().get(1).value()).isEqualTo("first line\n more\n .\n end");
        assertThat(paragraphs.get(0).get("description")).isEqualTo("first line");
        assertThat(paragraphs.get(1).line()).isEqualTo(7);
        assertThat(paragraphs.get(1).get("Version")).isEqualTo("1");
        assertThat(paragraphs.get(1).get("Source")).isNull();
    }

    @Test
    void crlfLinesAFileWithoutFinalNewlineAndRunsOfBlankLinesAreRead() {
        List<ControlFile.Paragraph> paragraphs = ControlFile.parse("Package: a\r\nVersion: 2\r\n\r\n\n\n \nPackage: b",
                "status", warning -> { });

        assertThat(paragraphs).extracting(p -> p.get("Package")).containsExactly("a", "b");
        assertThat(paragraphs.get(0).get("Version")).isEqualTo("2");
    }

    @Test
    void aContinuationWithoutFieldIsMalformed() {
        List<String> warnings = new ArrayList<>();

        List<ControlFile.Paragraph> paragraphs = ControlFile.parse(" stray\nPackage: a\n\nPackage: b\n", "status",
                warnings::add);

        assertThat(paragraphs).extracting(p -> p.get("Package")).containsExactly("b");
        assertThat(warnings).singleElement().asString().isEqualTo(
                "status: line 1 continues no field; the paragraph of line 1 is left out");
    }
}
