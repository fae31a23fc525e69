package org.scratchimage.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Tar order is the order of the paths' UTF-8 bytes; the sort must give it without encoding every path. */
class LayerEntryOrderTest {
    /** The definition itself, as an independent oracle. */
    private static final Comparator<String> BYTES = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    /** Characters where UTF-16 order and UTF-8 order part: surrogate pairs against U+E000 to U+FFFF, and lone halves. */
    private static final String[] PIECES = {"a", "b", "/", "z", "~", "é", "ÿ", "Ā", "中", "\uD7FF", "\uE000", "\uFFFD",
        "\uFFFF", "😀", "𝄞", "\uD800\uDC00", "\uDBFF\uDFFF", "\uD800", "\uDC00", ".", "0"};

    @Test
    void comparingAgreesWithTheUtf8BytesOnRandomPaths() {
        Random random = new Random(20261129);
        for (int i = 0; i < 200_000; i++) {
            String a = randomPath(random);
            String b = random.nextInt(4) == 0 ? a + randomPath(random) : randomPath(random);
            assertThat(Integer.signum(LayerEntryOrder.compareUtf8(a, b)))
                    .as("%s vs %s", escape(a), escape(b)).isEqualTo(Integer.signum(BYTES.compare(a, b)));
        }
    }

    @Test
    void aSurrogatePairSortsAfterThePrivateUseAreaAsInUtf8() {
        // U+1F600 is F0 9F 98 80 in UTF-8, U+E000 is EE 80 80: UTF-16 code units would order them the other way.
        assertThat(LayerEntryOrder.compareUtf8("a/😀", "a/\uE000")).isPositive();
        assertThat(LayerEntryOrder.compareUtf8("a/\uE000", "a/😀")).isNegative();
        assertThat(LayerEntryOrder.compareUtf8("a", "a/b")).isNegative();
        assertThat(LayerEntryOrder.compareUtf8("a/b", "a/b")).isZero();
    }

    @Test
    void sortingGivesTheByteOrderWithAndWithoutSurrogates() {
        Random random = new Random(7);
        for (boolean withSurrogates : new boolean[] {false, true}) {
            for (int round = 0; round < 200; round++) {
                List<LayerEntry> entries = new ArrayList<>();
                List<String> paths = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    String path = withSurrogates ? randomPath(random) : randomLatin1Path(random);
                    paths.add(path);
                    entries.add(i % 2 == 0
                            ? new DirectoryEntry(path, 0755, 0, 0, "t")
                            : new RegularFileEntry(path, Path.of("/dev/null"), 0, 0644, 0, 0, "t"));
                }
                LayerEntryOrder.sortInTarOrder(entries);
                paths.sort(BYTES);
                assertThat(entries).extracting(LayerEntry::path).containsExactlyElementsOf(paths);
            }
        }
    }

    private static String randomPath(Random random) {
        StringBuilder path = new StringBuilder();
        int length = random.nextInt(6);
        for (int i = 0; i < length; i++) {
            path.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return path.toString();
    }

    private static String randomLatin1Path(Random random) {
        StringBuilder path = new StringBuilder();
        int length = random.nextInt(8);
        for (int i = 0; i < length; i++) {
            path.append((char) (random.nextBoolean() ? 'a' + random.nextInt(4) : random.nextInt(256)));
        }
        return path.toString();
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append(c < 0x80 ? String.valueOf((char) c) : String.format("\\u%04X", c)));
        return out.toString();
    }
}
