package org.scratchimage.maven;

import java.util.Locale;
import org.apache.maven.plugin.logging.Log;
import org.scratchimage.core.BuildListener;
import org.scratchimage.core.PushListener;
import org.scratchimage.core.Sizes;

/** Routes the core's reports to Maven's log levels. */
final class MavenLogListener implements BuildListener, PushListener {
    private final Log log;

    MavenLogListener(Log log) {
        this.log = log;
    }

    @Override
    public void debug(String message) {
        log.debug(message);
    }

    @Override
    public void info(String message) {
        log.info(message);
    }

    @Override
    public void warn(String message) {
        log.warn(message);
    }

    /** One plain line each time: the client reports at most every few seconds, and -B wants no animation. */
    @Override
    public void progress(String repository, String digest, long sent, long total) {
        log.info(String.format(Locale.ROOT, "Uploading %s to %s: %s of %s", digest, repository, Sizes.human(sent),
                Sizes.human(total)));
    }
}
