package org.scratchimage.core;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The build's one timestamp: {@code <outputTimestamp>} in the forms {@code project.build.outputTimestamp}
 * accepts, else {@code SOURCE_DATE_EPOCH}, else 1970-01-01T00:00:01Z (some tools read an mtime of 0 as "no time").
 */
final class BuildTimestamp {
    static final Instant DEFAULT = Instant.ofEpochSecond(1);
    /** RFC 3339, which the OCI config's {@code created} uses, has four-digit years. */
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
    static final String OUTPUT_TIMESTAMP = "<outputTimestamp> (project.build.outputTimestamp)";
    static final String SOURCE_DATE_EPOCH = "the SOURCE_DATE_EPOCH environment variable";

    /** The info line of a build that falls back to {@link #DEFAULT}: users took 1970 in their images for a bug. */
    static final String UNSET = "The image's time is 1970-01-01T00:00:01Z: neither project.build.outputTimestamp nor"
            + " SOURCE_DATE_EPOCH is set. To date it, set <project.build.outputTimestamp> in the pom's <properties>,"
            + " such as 2024-01-01T00:00:00Z (the release plugin updates it), or SOURCE_DATE_EPOCH, such as"
            + " $(git log -1 --format=%ct)";

    private BuildTimestamp() {}

    /** @return whether {@link #resolve} falls back to {@link #DEFAULT}, neither value being set */
    static boolean neitherSet(String outputTimestamp, String sourceDateEpoch) {
        return !isSet(outputTimestamp) && (sourceDateEpoch == null || sourceDateEpoch.isBlank());
    }

    static Instant resolve(String outputTimestamp, String sourceDateEpoch) throws InvalidConfigurationException {
        if (isSet(outputTimestamp)) {
            return check(OUTPUT_TIMESTAMP, outputTimestamp, parse(outputTimestamp));
        }
        if (sourceDateEpoch != null && !sourceDateEpoch.isBlank()) {
            String trimmed = sourceDateEpoch.trim();
            if (!trimmed.chars().allMatch(Character::isDigit) || trimmed.length() > 12) {
                throw new InvalidConfigurationException(SOURCE_DATE_EPOCH, sourceDateEpoch,
                        "is not a number of seconds since 1970-01-01T00:00:00Z",
                        "set it to whole seconds, such as $(git log -1 --format=%ct), or unset it");
            }
            return check(SOURCE_DATE_EPOCH, sourceDateEpoch,
                    Instant.ofEpochSecond(Long.parseLong(trimmed)));
        }
        return DEFAULT;
    }

    /** Like Maven, an empty value or a single non-digit character (often "a") means "not set". */
    private static boolean isSet(String value) {
        return value != null && !value.isBlank() && !(value.length() == 1 && !Character.isDigit(value.charAt(0)));
    }

    private static Instant parse(String value) throws InvalidConfigurationException {
        String trimmed = value.trim();
        if (trimmed.chars().allMatch(Character::isDigit)) {
            if (trimmed.length() <= 12) {
                return Instant.ofEpochSecond(Long.parseLong(trimmed));
            }
        } else {
            try {
                return OffsetDateTime.parse(trimmed, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                        .toInstant()
                        .truncatedTo(ChronoUnit.SECONDS);
            } catch (DateTimeParseException e) {
                // reported below, with the forms that are accepted
            }
        }
        throw new InvalidConfigurationException(OUTPUT_TIMESTAMP, value,
                "is not a timestamp",
                "write seconds since the epoch, such as 1700000000, or ISO-8601 with an offset, such as 2023-11-14T22:13:20Z");
    }

    private static Instant check(String element, String value, Instant instant) throws InvalidConfigurationException {
        if (instant.isBefore(Instant.EPOCH) || instant.isAfter(LATEST)) {
            throw new InvalidConfigurationException(element, value, "is outside 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z",
                    "use a timestamp in that range, such as the time of the last commit");
        }
        return instant;
    }
}
