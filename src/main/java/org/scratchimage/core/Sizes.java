package org.scratchimage.core;

import java.util.Locale;

/** Sizes as the log shows them. */
public final class Sizes {
    private Sizes() {}

    /** @return {@code bytes} in binary units with one decimal, such as {@code 3.4 MiB}; below 1 KiB in bytes */
    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
