package org.scratchimage.core.registry;

import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The JDK {@link HttpClient}s of one registry: one for plain HTTP and one for TLS, each built when a request first
 * needs it, and what it takes to let them go.
 *
 * <p>Two clients, because a client cannot be built without an {@link SSLContext}, and the JDK's default one loads
 * the JSSE provider and parses the trust store: about 150 ms of a push to a loopback registry that speaks plain
 * HTTP (measured on 2026-11-30 with a bare program, 320 ms against 170 ms to build a client and send one request).
 * The plain client gets a context that can make no TLS connection; it never needs one, for {@link Transport} picks
 * the client by the URI's scheme and no client follows redirects by itself.
 *
 * <p>Letting go: Java 21's client closes. Java 17's has no {@code close()}, and its selector thread waits in
 * {@code epoll_wait} until the client is collected; the JVM's exit waits up to 300 ms for threads in native code
 * ({@code VM_Exit::wait_for_threads_in_native_to_block}), which Maven's build pays after "Finished at". So on
 * Java 17 to 20 closing a client interrupts its selector thread, which then leaves its loop and shuts the client
 * down: the thread is the one named {@code HttpClient-<id>-SelectorManager}, the id the one the client's
 * {@code toString()} ends with, as Java 11 to 20 name them (a bare program's exit: 620 ms untouched, 370 ms
 * interrupted). Should that name not be found, the first such client registers a shutdown hook that runs one garbage
 * collection instead, after which the unreferenced clients' selector threads stop too (410 ms; in Maven after a
 * push, a full collection of about 20 ms).
 */
final class HttpClients implements AutoCloseable {
    private static final AtomicBoolean COLLECT_AT_EXIT = new AtomicBoolean();

    private final HttpClient.Builder plainBuilder;
    private final HttpClient.Builder tlsBuilder;
    private HttpClient plain;
    private HttpClient tls;

    /**
     * @param builder a configured builder, without an {@link SSLContext}
     * @param tlsContext the context of TLS connections, or null for the JDK's default
     */
    HttpClients(Supplier<HttpClient.Builder> builder, SSLContext tlsContext) {
        this.plainBuilder = builder.get().sslContext(new PlainOnly());
        this.tlsBuilder = builder.get();
        if (tlsContext != null) {
            tlsBuilder.sslContext(tlsContext);
        }
    }

    /** @return the client for URIs of this scheme ({@code http} or {@code https}) */
    synchronized HttpClient forScheme(String scheme) {
        if ("http".equalsIgnoreCase(scheme)) {
            if (plain == null) {
                plain = plainBuilder.build();
            }
            return plain;
        }
        if (tls == null) {
            tls = tlsBuilder.build();
        }
        return tls;
    }

    @Override
    public synchronized void close() {
        close(plain);
        close(tls);
        plain = null;
        tls = null;
    }

    private static void close(HttpClient client) {
        if (client == null) {
            return;
        }
        if (client instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // Java 21's HttpClient.close() declares no exception: AutoCloseable's signature does.
                throw new IllegalStateException("closing the JDK's HttpClient failed", e);
            }
        } else if (!interruptSelector(client) && COLLECT_AT_EXIT.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(System::gc, "scratch: stop HttpClient threads"));
        }
    }

    /** @return whether the selector thread of a Java 17 to 20 client was found, and interrupted */
    private static boolean interruptSelector(HttpClient client) {
        String text = client.toString();
        int open = text.lastIndexOf('(');
        if (open < 0 || !text.endsWith(")")) {
            return false;
        }
        String name = "HttpClient-" + text.substring(open + 1, text.length() - 1) + "-SelectorManager";
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int count = root.enumerate(threads, true);
        for (int i = 0; i < count; i++) {
            if (threads[i].getName().equals(name)) {
                threads[i].interrupt();
                return true;
            }
        }
        return false;
    }

    /** An {@link SSLContext} that makes no connection: the plain HTTP client's, which never speaks TLS. */
    private static final class PlainOnly extends SSLContext {
        PlainOnly() {
            super(new Refusing(), null, "none");
        }
    }

    private static final class Refusing extends SSLContextSpi {
        @Override
        protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random) {}

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            throw refused();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return new SSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return new SSLParameters();
        }

        private static IllegalStateException refused() {
            return new IllegalStateException("the plain HTTP client of a registry was asked for TLS");
        }
    }
}
