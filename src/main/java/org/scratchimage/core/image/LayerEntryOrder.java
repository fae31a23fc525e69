package org.scratchimage.core.image;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Tar order, the order of a layer's entries: by the UTF-8 bytes of their paths. */
public final class LayerEntryOrder {
    /** Sorts by the UTF-8 bytes of the path, so every parent precedes its children and the root comes first. */
    public static final Comparator<LayerEntry> TAR_ORDER = (a, b) -> compareUtf8(a.path(), b.path());

    private static final Comparator<LayerEntry> BY_PATH = (a, b) -> a.path().compareTo(b.path());

    private LayerEntryOrder() {
    }

    /**
     * Compares two strings as their UTF-8 bytes compare, without encoding them (a sort of 20,000 paths encoded
     * each twice per comparison). UTF-16 order is code point order, and so UTF-8 order, except where a surrogate
     * meets a char from U+E000: only then are the bytes compared.
     */
    public static int compareUtf8(String a, String b) {
        int length = Math.min(a.length(), b.length());
        for (int i = 0; i < length; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (Character.isSurrogate(x) || Character.isSurrogate(y)) {
                    return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
                            b.getBytes(StandardCharsets.UTF_8));
                }
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    /** Sorts in {@link #TAR_ORDER}; by String's own, intrinsic compareTo when no path holds a surrogate. */
    public static void sortInTarOrder(List<? extends LayerEntry> entries) {
        for (LayerEntry entry : entries) {
            if (mayHoldSurrogates(entry.path())) {
                entries.sort(TAR_ORDER);
                return;
            }
        }
        entries.sort(BY_PATH);
    }

    /** Only a string with a char from U+D800 can hold one; Latin-1 strings, most paths, are told at once. */
    private static boolean mayHoldSurrogates(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= Character.MIN_SURROGATE) {
                return true;
            }
        }
        return false;
    }
}
