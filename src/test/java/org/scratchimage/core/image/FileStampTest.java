package org.scratchimage.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When a stamp is too recent to be trusted, on file systems with fine and with whole-second times. */
class FileStampTest {
    private static final long S = 1_700_000_000L;

    private static FileStamp stamp(long mtimeSeconds, int mtimeNanos, long ctimeSeconds, int ctimeNanos) {
        return new FileStamp(10, mtimeSeconds, mtimeNanos, ctimeSeconds, ctimeNanos, 1, 1, 0100644);
    }

    @Test
    void aFineStampCountsFromItsOwnInstant() {
        FileStamp stamp = stamp(S - 100, 1, S, 500_000_000);

        assertThat(stamp.changedSince(S * 1000 + 500)).isTrue();
        assertThat(stamp.changedSince(S * 1000 + 501)).isFalse();
    }

    @Test
    void aWholeSecondStampMayStandForAnyMomentOfTheTwoSecondsItBegins() {
        // ext2 stamps a write at S+0.05 s, and one at S+0.9 s, as S.000; FAT steps mtimes by two seconds.
        FileStamp stamp = stamp(S - 100, 1, S, 0);

        assertThat(stamp.changedSince(S * 1000 + 300)).isTrue();
        assertThat(stamp.changedSince(S * 1000 + 1999)).isTrue();
        assertThat(stamp.changedSince(S * 1000 + 2000)).isFalse();
        assertThat(stamp(S, 0, S - 100, 1).changedSince(S * 1000 + 1999)).isTrue();
    }

    @Test
    void theNewestTimeIsTheLaterOfMtimeAndCtime() {
        assertThat(stamp(S, 5, S, 4).newest()).isEqualTo(Instant.ofEpochSecond(S, 5));
        assertThat(stamp(S - 1, 999_999_999, S, 0).newest()).isEqualTo(Instant.ofEpochSecond(S));
    }
}
