package org.scratchimage.core;

import java.util.function.Consumer;

/** Receives what a build reports; the Maven adapter routes each level to Maven's log. */
public interface BuildListener {
    /** A decision, for {@code -X}. */
    void debug(String message);

    /** A result the user reads on every build. */
    void info(String message);

    /** Something the user can act on that does not stop the build. */
    void warn(String message);

    /** @return a listener that sends every level to one consumer */
    static BuildListener of(Consumer<String> sink) {
        return new BuildListener() {
            @Override
            public void debug(String message) {
                sink.accept(message);
            }

            @Override
            public void info(String message) {
                sink.accept(message);
            }

            @Override
            public void warn(String message) {
                sink.accept(message);
            }
        };
    }
}
