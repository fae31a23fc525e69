package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
        Recorded written = new Recorded("r", "b", false, List.of(new Summary("app", List.of("1"),
                new Platform("linux", "amd64", null), 0, Compression.GZIP, 6, null, null)), List.of(), inputs);
        Path file = dir.resolve(".oci.scratch-inputs");
        UnchangedBuildFormat.write(file, written);
        List<String> debug = new ArrayList<>();

        Optional<Recorded> read = UnchangedBuildFormat.read(file, BuildListener.of(debug::add));

        assertThat(debug).isEmpty();
        assertThat(read).isPresent();
        assertThat(read.get().inputs()).isEqualTo(inputs);
    }
}
