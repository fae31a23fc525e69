package org.scratchimage.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class RetriesTest {
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    @Test
    void retryAfterInSecondsOrAsAnHttpDateIsCapped() {
        assertThat(Retries.parseRetryAfter("3", NOW)).isEqualTo(Duration.ofSeconds(3));
        assertThat(Retries.parseRetryAfter(" 0 ", NOW)).isEqualTo(Duration.ZERO);
        assertThat(Retries.parseRetryAfter("Wed, 01 May 2024 12:00:07 GMT", NOW)).isEqualTo(Duration.ofSeconds(7));
        assertThat(Retries.parseRetryAfter("Wed, 01 May 2024 11:00:00 GMT", NOW)).isEqualTo(Duration.ZERO);
        assertThat(Retries.parseRetryAfter("3600", NOW)).isEqualTo(Retries.MAX_RETRY_AFTER);
        assertThat(Retries.parseRetryAfter("99999999999999999999", NOW)).isEqualTo(Retries.MAX_RETRY_AFTER);
        assertThat(Retries.parseRetryAfter("soon", NOW)).isNull();
        assertThat(Retries.parseRetryAfter("-5", NOW)).isNull();
        assertThat(Retries.parseRetryAfter(null, NOW)).isNull();
    }

    @Test
    void dropsAndServerErrorsAreRetriedButRefusedConnectionsAndBadCertificatesAreNot() {
        assertThat(Retries.transientFault(new SocketException("Connection reset"))).isTrue();
        assertThat(Retries.transientFault(new EOFException("EOF reached while reading"))).isTrue();
        assertThat(Retries.transientFault(new IOException("HTTP/1.1 header parser received no bytes"))).isTrue();
        assertThat(Retries.transientFault(new Retries.RetryableStatus("503", null))).isTrue();
        assertThat(Retries.transientFault(new ConnectException())).isFalse();
        SSLHandshakeException untrusted = new SSLHandshakeException("PKIX path building failed");
        untrusted.initCause(new CertificateException("unable to find valid certification path"));
        assertThat(Retries.transientFault(untrusted)).isFalse();
    }

    @Test
    void triesAtMostMaxTriesWithDoublingWaitsAndSaysHowOften() {
        List<String> log = new ArrayList<>();
        Retries retries = new Retries(3, Duration.ofMillis(5), listener(log));
        AtomicInteger tries = new AtomicInteger();

        assertThatThrownBy(() -> retries.run("upload of blob x to team/app", () -> {
            tries.incrementAndGet();
            throw new SocketException("Connection reset");
        })).isInstanceOf(IOException.class)
                .hasMessage("upload of blob x to team/app failed 3 times: Connection reset");
        assertThat(tries).hasValue(3);
        assertThat(log).containsExactly(
                "debug: Try 1 of 3 of upload of blob x to team/app failed (Connection reset); trying again in 5 ms",
                "debug: Try 2 of 3 of upload of blob x to team/app failed (Connection reset); trying again in 10 ms");
    }

    @Test
    void aRegistryExceptionOrRefusedConnectionIsNotTriedAgain() {
        Retries retries = new Retries(3, Duration.ofMillis(1), listener(new ArrayList<>()));
        AtomicInteger tries = new AtomicInteger();

        assertThatThrownBy(() -> retries.run("x", () -> {
            tries.incrementAndGet();
            throw new RegistryException("no", "fix");
        })).isInstanceOf(RegistryException.class);
        assertThatThrownBy(() -> retries.run("x", () -> {
            tries.incrementAndGet();
            throw new ConnectException("cannot reach registry h:1: connection refused");
        })).isInstanceOf(ConnectException.class).hasMessage("cannot reach registry h:1: connection refused");
        assertThat(tries).hasValue(2);
    }

    @Test
    void retryAfterReplacesTheBackoffAndIsAWarning() throws Exception {
        List<String> log = new ArrayList<>();
        Retries retries = new Retries(2, Duration.ofSeconds(30), listener(log));
        AtomicInteger tries = new AtomicInteger();

        String result = retries.run("PUT of manifest team/app:1", () -> {
            if (tries.incrementAndGet() == 1) {
                throw new Retries.RetryableStatus("answered 429", Duration.ofMillis(20));
            }
            return "done";
        });

        assertThat(result).isEqualTo("done");
        assertThat(log).containsExactly("warn: The registry asked to wait 20 ms (answered 429); trying PUT of "
                + "manifest team/app:1 again then");
    }

    static RegistryListener listener(List<String> log) {
        return new RegistryListener() {
            @Override
            public void debug(String message) {
                log.add("debug: " + message);
            }

            @Override
            public void warn(String message) {
                log.add("warn: " + message);
            }
        };
    }
}
