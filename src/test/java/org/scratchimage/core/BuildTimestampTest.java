package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.PlanningFixtures.assertInvalid;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The timestamp table of project.build.outputTimestamp, SOURCE_DATE_EPOCH and the default. */
class BuildTimestampTest {
    private static final String OUTPUT_TIMESTAMP = "<outputTimestamp> (project.build.outputTimestamp)";
    private static final String SOURCE_DATE_EPOCH = "the SOURCE_DATE_EPOCH environment variable";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "0                              | 1970-01-01T00:00:00Z",
        "1                              | 1970-01-01T00:00:01Z",
        "1570300662                     | 2019-10-05T18:37:42Z",
        "253402300799                   | 9999-12-31T23:59:59Z",
        "2019-10-05T18:37:42Z           | 2019-10-05T18:37:42Z",
        "2019-10-05T16:37:42-02:00      | 2019-10-05T18:37:42Z",
        "2019-10-06T00:07:42+05:30      | 2019-10-05T18:37:42Z",
        "2019-10-05T18:37:42.999Z       | 2019-10-05T18:37:42Z",
        "2019-10-05T18:37:42.000000001Z | 2019-10-05T18:37:42Z",
        "1970-01-01T00:00:00Z           | 1970-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999Z       | 9999-12-31T23:59:59Z",
    })
    void outputTimestampAcceptsEpochSecondsAndIsoWithOffset(String value, String expected) throws Exception {
        Instant resolved = BuildTimestamp.resolve(value, "1111111111");

        assertThat(resolved).isEqualTo(Instant.parse(expected));
        assertThat(resolved.getNano()).isZero();
    }

    @Test
    void epochSecondsAndIsoOfTheSameInstantAgree() throws Exception {
        // 1570300662 is 2019-10-05T18:37:42Z: 18262 days to 2020-01-01 minus 88 days, plus 18:37:42.
        long seconds = (18262L - 88) * 86400 + 18 * 3600 + 37 * 60 + 42;

        assertThat(seconds).isEqualTo(1570300662L);
        assertThat(BuildTimestamp.resolve(Long.toString(seconds), null))
                .isEqualTo(BuildTimestamp.resolve("2019-10-05T16:37:42-02:00", null));
    }

    @ParameterizedTest(name = "\"{0}\" means unset")
    @ValueSource(strings = {"a", "x", "-", " ", "   "})
    @NullAndEmptySource
    void anUnsetOutputTimestampFallsBackToSourceDateEpoch(String unset) throws Exception {
        assertThat(BuildTimestamp.resolve(unset, "1570300662")).isEqualTo(Instant.parse("2019-10-05T18:37:42Z"));
    }

    @Test
    void aSingleDigitIsAValueNotUnset() throws Exception {
        assertThat(BuildTimestamp.resolve("7", "1570300662")).isEqualTo(Instant.parse("1970-01-01T00:00:07Z"));
    }

    @Test
    void outputTimestampWinsOverSourceDateEpoch() throws Exception {
        assertThat(BuildTimestamp.resolve("2019-10-05T18:37:42Z", "1"))
                .isEqualTo(Instant.parse("2019-10-05T18:37:42Z"));
    }

    @Test
    void sourceDateEpochIsTrimmed() throws Exception {
        assertThat(BuildTimestamp.resolve(null, " 1570300662\n")).isEqualTo(Instant.parse("2019-10-05T18:37:42Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", ""})
    @NullAndEmptySource
    void withNeitherTheDefaultIsOneSecondAfterTheEpoch(String unset) throws Exception {
        Instant expected = Instant.parse("1970-01-01T00:00:01Z");

        assertThat(BuildTimestamp.resolve(unset, null)).isEqualTo(expected);
        assertThat(BuildTimestamp.resolve(unset, "")).isEqualTo(expected);
        assertThat(BuildTimestamp.resolve(unset, "  ")).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "yesterday",
        "2019-10-05T18:37:42",           // no offset: the instant would depend on the host's zone
        "2019-10-05",
        "2019-10-05 18:37:42Z",
        "2019-13-05T18:37:42Z",
        "2019-10-05T18:37:42 Z",
        "-1",
        "1.5",
        "ab",
        "12345678901234567890",          // overflows a long
    })
    void anUnparsableOutputTimestampIsRejectedWithItsValue(String value) {
        assertInvalid(() -> BuildTimestamp.resolve(value, "1570300662"), OUTPUT_TIMESTAMP, value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "-1", "1.5", "2019-10-05T18:37:42Z", "0x10", "12345678901234567890"})
    void aBadSourceDateEpochIsRejectedWithItsValue(String value) {
        assertInvalid(() -> BuildTimestamp.resolve(null, value), SOURCE_DATE_EPOCH, value);
        assertInvalid(() -> BuildTimestamp.resolve("a", value), SOURCE_DATE_EPOCH, value);
    }

    @Test
    void aBadSourceDateEpochIsIgnoredWhenOutputTimestampIsSet() throws Exception {
        assertThat(BuildTimestamp.resolve("1570300662", "yesterday")).isEqualTo(Instant.parse("2019-10-05T18:37:42Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "1969-12-31T23:59:59Z",
        "1970-01-01T01:00:00+02:00",      // 1969-12-31T23:00:00Z
        "0001-01-01T00:00:00Z",
        "+10000-01-01T00:00:00Z",
        "253402300800",                   // 10000-01-01T00:00:00Z
    })
    void anOutputTimestampOutsideTheRangeIsRejected(String value) {
        InvalidConfigurationException e =
                assertInvalid(() -> BuildTimestamp.resolve(value, null), OUTPUT_TIMESTAMP, value);

        assertThat(e.getMessage()).contains("outside");
    }

    @Test
    void aSourceDateEpochAfterTheYear9999IsRejected() {
        assertInvalid(() -> BuildTimestamp.resolve(null, "253402300800"), SOURCE_DATE_EPOCH, "253402300800");
    }

    @Test
    void theLastSecondOfTheYear9999IsAccepted() throws Exception {
        assertThat(BuildTimestamp.resolve(null, "253402300799")).isEqualTo(Instant.parse("9999-12-31T23:59:59Z"));
    }
}
