package org.scratchimage.core;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.scratchimage.core.UnchangedBuildFormat.Input;
import org.scratchimage.core.image.FileStamp;

/**
 * The inputs of {@link UnchangedBuildFormat}'s record, most of it, as written: by folder, a {@code D} line names a
 * folder, then an {@code L} ({@code lstat}) or {@code S} ({@code stat}) line each name in it, with its stamp or
 * {@code -}. Kept as the bytes they were read as and parsed one input at a time by {@link #first}, so that the check
 * stats each input as it reads it, with no list of 20,000 inputs, and stops at the first that changed; a record
 * written again keeps these bytes as they are.
 */
final class RecordedInputs {
    private final byte[] bytes;
    private final int start;
    private final int end;

    private RecordedInputs(byte[] bytes, int start, int end) {
        this.bytes = bytes;
        this.start = start;
        this.end = end;
    }

    /** @return the inputs as written: sorted by path, so that each folder is one {@code D} line */
    static RecordedInputs of(List<Input> inputs) {
        StringBuilder text = new StringBuilder(96 * inputs.size());
        Path folder = null;
        for (Input input : inputs) {
            Path parent = input.path().getParent();
            if (parent == null) {
                parent = input.path();
            }
            if (!parent.equals(folder)) {
                Escapes.line(text, "D", parent.toString());
                folder = parent;
            }
            text.append(input.follow() ? "S\t" : "L\t").append(Escapes.escape(parent.equals(input.path()) ? "."
                    : input.path().getFileName().toString()));
            UnchangedBuildFormat.appendStamp(text, input.stamp());
            text.append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        return new RecordedInputs(bytes, 0, bytes.length);
    }

    /** @return the inputs written in {@code bytes} from {@code start}, its first {@code D} line, to its end */
    static RecordedInputs read(byte[] bytes, int start) {
        return new RecordedInputs(bytes, start, bytes.length);
    }

    /**
     * @return these inputs in two parts of about the same size, the second beginning at a {@code D} line, to be read
     *     on two threads; one part, and an empty one, when there is no {@code D} line past the middle
     */
    RecordedInputs[] halves() {
        int middle = start + (end - start) / 2;
        int at = middle;
        while (at + 2 < end && !(bytes[at - 1] == '\n' && bytes[at] == 'D' && bytes[at + 1] == '\t')) {
            at++;
        }
        if (at + 2 >= end) {
            at = end;
        }
        return new RecordedInputs[] {new RecordedInputs(bytes, start, at), new RecordedInputs(bytes, at, end)};
    }

    /** @return the inputs' lines, as written and as read */
    byte[] bytes() {
        return start == 0 && end == bytes.length ? bytes : java.util.Arrays.copyOfRange(bytes, start, end);
    }

    /**
     * Reads the inputs in their order until {@code test} accepts one.
     *
     * @return the first input {@code test} accepts, or {@code null} when it accepts none
     * @throws IllegalArgumentException or {@link IndexOutOfBoundsException} at a line this code did not write
     */
    Input first(Predicate<Input> test) {
        Path folder = null;
        for (int at = start, end; at < this.end; at = end + 1) {
            end = indexOf(bytes, (byte) '\n', at);
            byte kind = bytes[at];
            if (bytes[at + 1] != '\t') {
                throw new IllegalArgumentException("a line of no kind");
            }
            if (kind == 'D') {
                folder = Path.of(Escapes.unescape(new String(bytes, at + 2, end - at - 2, StandardCharsets.UTF_8)));
                continue;
            }
            if (kind != 'L' && kind != 'S') {
                throw new IllegalArgumentException("an input of kind " + (char) kind);
            }
            if (folder == null) {
                throw new IllegalArgumentException("a name before its folder");
            }
            // Parsed from the bytes, without a string per field.
            int tab = indexOf(bytes, (byte) '\t', at + 2);
            String name = Escapes.unescape(new String(bytes, at + 2, tab - at - 2, StandardCharsets.UTF_8));
            Input input = new Input(name.equals(".") ? folder : folder.resolve(name), kind == 'S',
                    stamp(bytes, tab + 1, end));
            if (test.test(input)) {
                return input;
            }
        }
        return null;
    }

    static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new IllegalArgumentException("cut off");
    }

    /** @return the stamp written from {@code at} to {@code end}: eight numbers, or {@code -} for none */
    private static FileStamp stamp(byte[] bytes, int at, int end) {
        if (bytes[at] == '-' && at + 1 == end) {
            return null;
        }
        long[] n = new long[8];
        int field = 0;
        long value = 0;
        boolean digits = false;
        boolean negative = false;
        for (int i = at; i <= end; i++) {
            byte b = i < end ? bytes[i] : (byte) '\t';
            if (b == '\t') {
                if (!digits || field == 8 || (!negative && value == Long.MIN_VALUE)) {
                    throw new IllegalArgumentException("stamp");
                }
                n[field++] = negative ? value : -value;
                value = 0;
                digits = false;
                negative = false;
            } else if (b == '-' && !digits && !negative) {
                // A time before 1970, or an inode number past 2^63 as Java's long reads it.
                negative = true;
            } else if (b >= '0' && b <= '9' && value >= (Long.MIN_VALUE + (b - '0')) / 10) {
                // Summed below zero, as Long.parseLong does, so that Long.MIN_VALUE is read too.
                value = value * 10 - (b - '0');
                digits = true;
            } else {
                throw new IllegalArgumentException("stamp");
            }
        }
        if (field != 8) {
            throw new IllegalArgumentException("stamp");
        }
        return new FileStamp(n[0], n[1], Math.toIntExact(n[2]), n[3], Math.toIntExact(n[4]), n[5], n[6],
                Math.toIntExact(n[7]));
    }
}
