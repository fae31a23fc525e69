package org.scratchimage.core.packages;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Every path the {@code .list} files of a dpkg database name, each with the first package, in the status file's
 * order, that lists it: the answer to "who owns this file" for any file, built once from the lists' bytes.
 *
 * <p>An open-addressing table of {@code int}s keyed by {@link String#hashCode}, which for an ASCII line is computed
 * on its bytes: a host's 150,000 lines cost no {@code String} each, and a path listed by 700 packages (such as
 * {@code /usr}) is kept once. Written by hand because the JDK's maps would box every key and hold a {@code String}
 * per line: about 120,000 objects for a lookup of a few thousand image files.
 */
final class ListedPaths {
    private static final int NONE = -1;

    /** Per slot, the index of its path in the arrays below plus one; 0 for an empty slot. */
    private int[] slots = new int[1 << 16];
    private int[] hashes = new int[1 << 15];
    private int[] owners = new int[1 << 15];
    private int[] starts = new int[1 << 15];
    private int[] lengths = new int[1 << 15];
    private byte[][] lists = new byte[1 << 15][];
    private int count;

    /**
     * Adds the paths of one package's {@code .list} not listed by an earlier package.
     *
     * @param owner the package's index in the status file's order; every call passes a larger one
     */
    void add(int owner, byte[] list) {
        int start = 0;
        int hash = 0;
        boolean ascii = true;
        for (int i = 0; i <= list.length; i++) {
            if (i == list.length || list[i] == '\n') {
                if (i > start && list[start] == '/') {
                    int h = ascii ? hash : new String(list, start, i - start, StandardCharsets.UTF_8).hashCode();
                    put(h, owner, list, start, i - start);
                }
                start = i + 1;
                hash = 0;
                ascii = true;
            } else {
                hash = 31 * hash + list[i];
                ascii &= list[i] >= 0;
            }
        }
    }

    /** @return the index of the first package listing {@code path}, or -1 if none does */
    int owner(String path) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        int hash = path.hashCode();
        int mask = slots.length - 1;
        for (int slot = mix(hash) & mask; slots[slot] != 0; slot = (slot + 1) & mask) {
            int entry = slots[slot] - 1;
            if (hashes[entry] == hash && Arrays.equals(lists[entry], starts[entry], starts[entry] + lengths[entry],
                    bytes, 0, bytes.length)) {
                return owners[entry];
            }
        }
        return NONE;
    }

    private void put(int hash, int owner, byte[] list, int start, int length) {
        int mask = slots.length - 1;
        int slot = mix(hash) & mask;
        for (; slots[slot] != 0; slot = (slot + 1) & mask) {
            int entry = slots[slot] - 1;
            if (hashes[entry] == hash && Arrays.equals(lists[entry], starts[entry], starts[entry] + lengths[entry],
                    list, start, start + length)) {
                // Listed by an earlier package, which owns it.
                return;
            }
        }
        if (count == hashes.length) {
            hashes = Arrays.copyOf(hashes, count * 2);
            owners = Arrays.copyOf(owners, count * 2);
            starts = Arrays.copyOf(starts, count * 2);
            lengths = Arrays.copyOf(lengths, count * 2);
            lists = Arrays.copyOf(lists, count * 2);
        }
        hashes[count] = hash;
        owners[count] = owner;
        starts[count] = start;
        lengths[count] = length;
        lists[count] = list;
        count++;
        slots[slot] = count;
        if (count * 2 > slots.length) {
            grow();
        }
    }

    /** Doubles the table, so that at most half its slots are taken. */
    private void grow() {
        slots = new int[slots.length * 2];
        int mask = slots.length - 1;
        for (int entry = 0; entry < count; entry++) {
            int slot = mix(hashes[entry]) & mask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = entry + 1;
        }
    }

    /** Spreads the hash's high bits into the low ones the mask keeps: paths differ mostly at their ends. */
    private static int mix(int hash) {
        int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
