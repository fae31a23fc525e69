package org.scratchimage.core;

import java.util.HashSet;
import java.util.Set;

/** Listeners made from others. */
final class BuildListeners {
    private BuildListeners() {}

    /**
     * @return a listener that passes each distinct info and warning line to {@code listener} once, and every debug
     *     line: the planning of several platforms reports alike what they share
     */
    static BuildListener once(BuildListener listener) {
        Set<String> said = new HashSet<>();
        return new BuildListener() {
            @Override
            public void debug(String message) {
                listener.debug(message);
            }

            @Override
            public void info(String message) {
                if (said.add(message)) {
                    listener.info(message);
                }
            }

            @Override
            public void warn(String message) {
                if (said.add(message)) {
                    listener.warn(message);
                }
            }
        };
    }
}
