package org.scratchimage.maven;

import org.apache.maven.plugin.logging.Log;
import org.scratchimage.core.BuildListener;

/** Routes the core's reports to Maven's log levels. */
final class MavenLogListener implements BuildListener {
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
}
