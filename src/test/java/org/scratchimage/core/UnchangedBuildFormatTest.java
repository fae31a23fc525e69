package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scratchimage.core.UnchangedBuildFormat.Input;
import org.scratchimage.core.UnchangedBuildFormat.Recorded;
import org.scratchimage.core.UnchangedBuildFormat.Summary;
import org.scratchimage.core.image.Compression;
import org.scratchimage.core.image.FileStamp;
import org.scratchimage.core.image.Platform;

/** The inputs record reads back every stamp it writes, the extremes of a {@code long} included. */
class UnchangedBuildFormatTest {
    @TempDir
    Path dir;

    /** @return a record of one image with these inputs, written */
    private Path written(List<Input> inputs) throws Exception {
        Path file = dir.resolve(".oci.scratch-inputs");
        UnchangedBuildFormat.write(file, new Recorded("r", "b", false, List.of(new Summary("app", List.of("1"),
                new Platform("linux", "amd64", null), 0, Compression.GZIP, 6, null, null)), List.of(), inputs));
        return file;
    }

    @Test
    void everyStampWrittenIsReadBackTheLongsAtTheirLimitsIncluded() throws Exception {
        // An inode past 2^63, as an NFS file id may be, is a negative long; Long.MIN_VALUE is 2^63 itself.
        long[] values = {Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MIN_VALUE + 8, Long.MIN_VALUE + 9, -1, 0,
            Long.MAX_VALUE - 9, Long.MAX_VALUE};
        List<Input> inputs = new ArrayList<>();
        for (int k = 0; k < values.length; k++) {
            long v = values[k];
            inputs.add(new Input(Path.of("/src/f" + k), false, new FileStamp(v, v, 999_999_999, v, 0, v, v,
                    0100644)));
        }
        inputs.add(new Input(Path.of("/src/none"), true, null));
        Path file = written(inputs);
        List<String> debug = new ArrayList<>();

        Optional<Recorded> read = UnchangedBuildFormat.read(file, BuildListener.of(debug::add));

        assertThat(debug).isEmpty();
        assertThat(read).isPresent();
        assertThat(read.get().inputs()).isEqualTo(inputs);
    }

    /** Outside a long, not a number, or a nanosecond count past an int: no record, and the build plans. */
    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775808", "-9223372036854775809", "99999999999999999999", "-", "", "--1",
        "+1", "nanos 3000000000"})
    void aStampFieldOutsideItsRangeIsNoRecord(String bad) throws Exception {
        Path file = written(List.of(new Input(Path.of("/src/f"), false, new FileStamp(1, 2, 3, 4, 5, 6, 7, 0100644))));
        String text = Files.readString(file);
        String line = "L\tf\t1\t2\t3\t4\t5\t6\t7\t33188\n";
        assertThat(text).endsWith(line);
        Files.writeString(file, text.replace(line, bad.startsWith("nanos ")
                ? "L\tf\t1\t2\t" + bad.substring(6) + "\t4\t5\t6\t7\t33188\n"
                : "L\tf\t" + bad + "\t2\t3\t4\t5\t6\t7\t33188\n"));
        List<String> debug = new ArrayList<>();

        Optional<Recorded> read = UnchangedBuildFormat.read(file, BuildListener.of(debug::add));

        assertThat(read).isEmpty();
        assertThat(debug).singleElement().asString().startsWith("Planning again: " + file + " is not a record");
    }
}
