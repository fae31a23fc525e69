package org.scratchimage.core.registry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Tries an idempotent step at most {@code maxTries} times, with exponential backoff, for the faults a later try may
 * not meet: 500, 502, 503, 504 and 429 answers, and connections reset, dropped or ended early. A refused
 * connection, an unknown host, an untrusted certificate and every {@link RegistryException} fail at once: trying
 * again only makes the user wait.
 */
final class Retries {
    /** The longest {@code Retry-After} we wait: a registry asking for more gets its answer sooner. */
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);

    /** One try of a step. */
    interface Attempt<T> {
        T run() throws IOException, RegistryException;
    }

    /** An answer that a later try may not get: a 5xx, 429, or a 401 in the middle of an upload. */
    static final class RetryableStatus extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient Duration retryAfter;

        /** @param retryAfter the registry's {@code Retry-After}, or null */
        RetryableStatus(String message, Duration retryAfter) {
            super(message);
            this.retryAfter = retryAfter;
        }

        Duration retryAfter() {
            return retryAfter;
        }
    }

    /**
     * A fault another try would meet again: the registry broke the protocol (a manifest stored under another digest,
     * a redirect loop, an upload session without a {@code Location}) or answered with a status no retry changes.
     */
    static final class Final extends IOException {
        private static final long serialVersionUID = 1L;

        Final(String message) {
            super(message);
        }
    }

    private final int maxTries;
    private final Duration backoff;
    private final RegistryListener listener;

    Retries(int maxTries, Duration backoff, RegistryListener listener) {
        this.maxTries = Math.max(1, maxTries);
        this.backoff = backoff;
        this.listener = listener;
    }

    /**
     * @param what the step, for the log and the final error, such as {@code upload of blob sha256:… to team/app}
     * @throws IOException the last fault, its message saying how often the step was tried
     */
    <T> T run(String what, Attempt<T> attempt) throws IOException, RegistryException {
        for (int tries = 1; ; tries++) {
            try {
                return attempt.run();
            } catch (IOException e) {
                if (!transientFault(e)) {
                    throw e;
                }
                if (tries >= maxTries) {
                    throw new IOException(what + " failed " + tries + (tries == 1 ? " time: " : " times: ")
                            + e.getMessage(), e);
                }
                Duration wait = backoff.multipliedBy(1L << Math.min(tries - 1, 20));
                if (e instanceof RetryableStatus status && status.retryAfter() != null) {
                    wait = status.retryAfter();
                    listener.warn("The registry asked to wait " + wait.toMillis() + " ms (" + e.getMessage()
                            + "); trying " + what + " again then");
                } else {
                    listener.debug("Try " + tries + " of " + maxTries + " of " + what + " failed (" + e.getMessage()
                            + "); trying again in " + wait.toMillis() + " ms");
                }
                sleep(wait);
            }
        }
    }

    /** @return whether another try may succeed */
    static boolean transientFault(IOException e) {
        if (e instanceof RetryableStatus) {
            return true;
        }
        if (e instanceof Final || e instanceof ConnectException || e instanceof HttpConnectTimeoutException) {
            return false;
        }
        if (e instanceof InterruptedIOException) {
            return false;
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateException || cause instanceof UnresolvedAddressException
                    || cause instanceof java.net.UnknownHostException) {
                return false;
            }
        }
        // What is left are the faults of a connection that was made: reset, closed, ended early, timed out.
        return true;
    }

    /**
     * @param value a {@code Retry-After} value: seconds, or an HTTP-date
     * @return how long to wait, at most {@link #MAX_RETRY_AFTER}; null if the value is missing or unreadable
     */
    static Duration parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        Duration wait;
        if (text.chars().allMatch(Character::isDigit)) {
            wait = text.length() > 9 ? MAX_RETRY_AFTER : Duration.ofSeconds(Long.parseLong(text));
        } else {
            try {
                Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                wait = Duration.between(now, at);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        if (wait.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait;
    }

    private static void sleep(Duration wait) throws InterruptedIOException {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("interrupted while waiting to retry");
            interrupted.initCause(e);
            throw interrupted;
        }
    }
}
