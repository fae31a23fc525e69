package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.scratchimage.core.UnchangedBuildFormat.Input;
import org.scratchimage.core.image.FileStamp;

/** The record's inputs are written by folder and read back one by one, whole or in two halves. */
class RecordedInputsTest {
    private static List<Input> inputs(int folders) {
        List<Input> inputs = new ArrayList<>();
        for (int f = 0; f < folders; f++) {
            Path folder = Path.of("/src/d" + f);
            inputs.add(new Input(folder, false, stamp(f)));
            for (int n = 0; n < 3; n++) {
                inputs.add(new Input(folder.resolve("f\t" + n), n == 2, n == 1 ? null : stamp(-f * 10 - n)));
            }
        }
        return inputs;
    }

    private static FileStamp stamp(long n) {
        return new FileStamp(n, n, 1, n, 999_999_999, Long.MIN_VALUE + n, 64_768, 0100644);
    }

    @Test
    void theInputsWrittenAreReadBackInOrderWithTheirStamps() {
        List<Input> inputs = inputs(3);

        List<Input> read = new ArrayList<>();
        Input none = RecordedInputs.read(RecordedInputs.of(inputs).bytes(), 0).first(input -> !read.add(input));

        assertThat(none).isNull();
        assertThat(read).isEqualTo(inputs);
    }

    @Test
    void theHalvesHoldEveryInputOnceInOrderAndTheSecondBeginsAtAFolder() {
        List<Input> inputs = inputs(7);
        RecordedInputs[] halves = RecordedInputs.of(inputs).halves();

        List<Input> read = new ArrayList<>();
        halves[0].first(input -> !read.add(input));
        int firstHalf = read.size();
        halves[1].first(input -> !read.add(input));

        assertThat(read).isEqualTo(inputs);
        assertThat(firstHalf).isBetween(inputs.size() / 4, inputs.size() * 3 / 4);
        assertThat(new String(halves[1].bytes(), StandardCharsets.UTF_8)).startsWith("D\t/src");
    }

    @Test
    void oneFolderIsOneHalfAndTheOtherHalfIsEmpty() {
        List<Input> inputs = inputs(1);
        RecordedInputs[] halves = RecordedInputs.of(inputs).halves();

        List<Input> read = new ArrayList<>();
        halves[0].first(input -> !read.add(input));

        assertThat(read).isEqualTo(inputs);
        assertThat(halves[1].bytes()).isEmpty();
        assertThat(halves[1].first(input -> true)).isNull();
    }

    @Test
    void readingStopsAtTheFirstInputTheTestAccepts() {
        List<Input> inputs = inputs(2);
        List<Input> seen = new ArrayList<>();

        Input found = RecordedInputs.of(inputs).first(input -> seen.add(input) && input.stamp() == null);

        assertThat(found).isEqualTo(inputs.get(2));
        assertThat(seen).isEqualTo(inputs.subList(0, 3));
    }

    @Test
    void aDamagedLineInTheSecondHalfIsNoticedThere() {
        byte[] written = RecordedInputs.of(inputs(6)).bytes();
        String text = new String(written, StandardCharsets.UTF_8);
        byte[] damaged = (text.substring(0, text.length() - 3) + "x\n").getBytes(StandardCharsets.UTF_8);
        RecordedInputs[] halves = RecordedInputs.read(damaged, 0).halves();

        assertThat(halves[0].first(input -> false)).isNull();
        assertThatThrownBy(() -> halves[1].first(input -> false)).isInstanceOf(IllegalArgumentException.class);
    }
}
