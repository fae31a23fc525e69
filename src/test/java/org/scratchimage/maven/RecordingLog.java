package org.scratchimage.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;

/**
 * Maven's console log at debug level, which keeps every line (prefixed with its level) and every throwable it
 * is given: each throwable would print a stack trace.
 */
final class RecordingLog extends SystemStreamLog {
    final List<String> lines = new CopyOnWriteArrayList<>();
    final List<Throwable> throwables = new CopyOnWriteArrayList<>();

    @Override
    public boolean isDebugEnabled() {
        return true;
    }

    @Override
    public void debug(CharSequence content) {
        lines.add("[debug] " + content);
    }

    @Override
    public void debug(CharSequence content, Throwable error) {
        lines.add("[debug] " + content);
        throwables.add(error);
    }

    @Override
    public void debug(Throwable error) {
        throwables.add(error);
    }

    @Override
    public void info(CharSequence content) {
        lines.add("[info] " + content);
    }

    @Override
    public void info(CharSequence content, Throwable error) {
        lines.add("[info] " + content);
        throwables.add(error);
    }

    @Override
    public void info(Throwable error) {
        throwables.add(error);
    }

    @Override
    public void warn(CharSequence content) {
        lines.add("[warn] " + content);
    }

    @Override
    public void warn(CharSequence content, Throwable error) {
        lines.add("[warn] " + content);
        throwables.add(error);
    }

    @Override
    public void warn(Throwable error) {
        throwables.add(error);
    }

    @Override
    public void error(CharSequence content) {
        lines.add("[error] " + content);
    }

    @Override
    public void error(CharSequence content, Throwable error) {
        lines.add("[error] " + content);
        throwables.add(error);
    }

    @Override
    public void error(Throwable error) {
        throwables.add(error);
    }

    /** @return every line so far, one per line */
    String all() {
        return String.join("\n", new ArrayList<>(lines));
    }

    /**
     * What every mistake in a goal's configuration must give: a {@code MojoFailureException} (no stack trace) whose
     * first line, the one Maven prints on its error line, names the element, quotes the value and says the fix.
     *
     * @param value the value quoted, or {@code null} when there is none to quote
     * @return that first line, for further checks
     */
    static String assertUserMistake(Throwable thrown, String element, String value, List<String> says) {
        assertThat(thrown).isExactlyInstanceOf(MojoFailureException.class);
        String error = thrown.getMessage().lines().findFirst().orElse("");
        assertThat(error).contains(element);
        if (value != null) {
            assertThat(error).contains('"' + value + '"');
        }
        assertThat(error).contains(". Fix: ");
        for (String fragment : says) {
            assertThat(error).contains(fragment);
        }
        return error;
    }
}
