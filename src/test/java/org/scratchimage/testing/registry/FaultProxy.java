package org.scratchimage.testing.registry;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A reverse proxy on {@code http://127.0.0.1:PORT} in front of a registry, which injects the faults a test asks for:
 * a dropped connection (before any answer, or part-way through the request or response body), an error status
 * (500, 503, 429 with {@code Retry-After}), a delay, or a 307 redirect to a second listener on another port, which
 * forwards too and records whether the client sent it {@code Authorization}.
 *
 * <p>Requests and answers pass through as streams (bodies are never held in memory), headers included except the
 * hop-by-hop ones. The registry builds upload {@code Location}s from {@code X-Forwarded-Host} when present (else from
 * {@code Host}), and the proxy sets it to the listener the client talked to, so uploads come back through the proxy.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.to(registry)) {
 *     FaultProxy.Rule rule = proxy.inject("PUT", "/blobs/uploads/", 2, FaultProxy.Fault.status(500));
 *     ... push to proxy.host() + "/team/app:1.0" ...
 *     assertThat(rule.hits()).isEqualTo(2);
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {
    /** The listener names in {@link Seen#listener()}. */
    public static final String MAIN = "main";
    public static final String REDIRECT = "redirect";

    /** Not forwarded either way: hop-by-hop headers, and those the JDK client sets itself and refuses. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
            "http2-settings", "host", "content-length", "expect", "date", "x-forwarded-host", "x-forwarded-proto");

    private final String target;
    private final HttpClient client;
    private final HttpServer main;
    private final HttpServer redirect;
    private final ExecutorService executor;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    /** Guarded by itself, as is {@link #inFlight}. */
    private final List<Seen> seen = new ArrayList<>();
    private int inFlight;

    private FaultProxy(String target, SSLContext sslContext) throws IOException {
        this.target = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10));
        if (sslContext != null) {
            builder.sslContext(sslContext);
        }
        this.client = builder.build();
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fault-proxy");
            thread.setDaemon(true);
            return thread;
        });
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        this.main = HttpServer.create(loopback, 0);
        this.redirect = HttpServer.create(loopback, 0);
        main.setExecutor(executor);
        redirect.setExecutor(executor);
        main.createContext("/", exchange -> handle(exchange, MAIN));
        redirect.createContext("/", exchange -> handle(exchange, REDIRECT));
        main.start();
        redirect.start();
    }

    /** @return a proxy in front of the registry, trusting its TLS certificate if it has one */
    public static FaultProxy to(RegistryServer registry) throws IOException {
        return new FaultProxy(registry.url(), registry.tlsContext());
    }

    /**
     * @param targetUrl the registry's {@code http(s)://host:port}
     * @param sslContext for an https target, the trust to use; null for the JDK's default
     */
    public static FaultProxy to(String targetUrl, SSLContext sslContext) throws IOException {
        return new FaultProxy(targetUrl, sslContext);
    }

    /** @return {@code 127.0.0.1:PORT} of the main listener, the registry part of an image reference */
    public String host() {
        return "127.0.0.1:" + main.getAddress().getPort();
    }

    /** @return {@code http://127.0.0.1:PORT} of the main listener */
    public String url() {
        return "http://" + host();
    }

    /** @return {@code 127.0.0.1:PORT} of the second listener, where {@link Fault#redirect()} sends clients */
    public String redirectHost() {
        return "127.0.0.1:" + redirect.getAddress().getPort();
    }

    /**
     * Injects {@code fault} into the first {@code times} requests to the main listener that match.
     *
     * @param methods a regex the whole method must match, e.g. {@code PUT} or {@code PATCH|PUT} or {@code .*}
     * @param path a regex found in the raw path and query, e.g. {@code /blobs/uploads/}
     * @return the rule, to count its hits or {@link Rule#stop()} it
     */
    public Rule inject(String methods, String path, int times, Fault fault) {
        Rule rule = new Rule(Pattern.compile(methods), Pattern.compile(path), times, fault);
        rules.add(rule);
        return rule;
    }

    /** Injects {@code fault} into every matching request, to make a fault outlast a client's retries. */
    public Rule injectAlways(String methods, String path, Fault fault) {
        return inject(methods, path, Integer.MAX_VALUE, fault);
    }

    /** Removes every rule: from now on every request is forwarded. */
    public void clearFaults() {
        rules.clear();
    }

    /**
     * @return every request either listener has finished with, in order of completion; waits (at most five
     *     seconds) for the requests in progress, since a client may have its answer before the proxy is done
     */
    public List<Seen> requests() {
        synchronized (seen) {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (inFlight > 0 && System.nanoTime() < deadline) {
                try {
                    seen.wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return List.copyOf(seen);
        }
    }

    /** @return the position to pass to {@link #requestsSince(int)} */
    public int mark() {
        return requests().size();
    }

    /** @return the requests finished since {@code mark} */
    public List<Seen> requestsSince(int mark) {
        List<Seen> all = requests();
        return all.subList(Math.min(mark, all.size()), all.size());
    }

    @Override
    public void close() {
        main.stop(0);
        redirect.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange, String listener) throws IOException {
        String method = exchange.getRequestMethod();
        URI uri = exchange.getRequestURI();
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        boolean authorization = exchange.getRequestHeaders().containsKey("Authorization");
        Fault fault = MAIN.equals(listener) ? take(method, path) : null;
        int[] status = {-1};
        synchronized (seen) {
            inFlight++;
        }
        try {
            if (fault == null) {
                status[0] = forward(exchange, listener, path, Tweaks.NONE);
            } else {
                status[0] = fault.apply(this, exchange, listener, path);
            }
        } finally {
            exchange.close();
            synchronized (seen) {
                seen.add(new Seen(listener, method, path, authorization, fault == null ? null : fault.toString(),
                        status[0]));
                inFlight--;
                seen.notifyAll();
            }
        }
    }

    private Fault take(String method, String path) {
        for (Rule rule : rules) {
            if (rule.methods.matcher(method).matches() && rule.path.matcher(path).find() && rule.take()) {
                return rule.fault;
            }
        }
        return null;
    }

    /**
     * What a fault changes while forwarding.
     *
     * @param cutRequestAfter after this many body bytes, break both connections; -1 for never
     * @param cutResponseAfter after this many answer body bytes, break the client's connection; -1 for never
     * @param bytesPerSecond how fast the request body is read from the client; -1 for as fast as it comes
     * @param replacedHeaders answer headers set to other values than the registry's
     */
    private record Tweaks(long cutRequestAfter, long cutResponseAfter, long bytesPerSecond,
            Map<String, String> replacedHeaders) {
        static final Tweaks NONE = new Tweaks(-1, -1, -1, Map.of());
    }

    /**
     * Sends the request on to the registry and its answer back.
     *
     * @return the registry's status
     */
    private int forward(HttpExchange exchange, String listener, String path, Tweaks tweaks) throws IOException {
        long cutRequestAfter = tweaks.cutRequestAfter();
        long cutResponseAfter = tweaks.cutResponseAfter();
        String method = exchange.getRequestMethod();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + path));
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            if (!NOT_FORWARDED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                for (String value : header.getValue()) {
                    request.header(header.getKey(), value);
                }
            }
        }
        String clientHost = exchange.getRequestHeaders().getFirst("Host");
        request.header("X-Forwarded-Host", clientHost != null ? clientHost
                : "127.0.0.1:" + (MAIN.equals(listener) ? main : redirect).getAddress().getPort());
        request.header("X-Forwarded-Proto", "http");
        request.method(method, body(exchange, cutRequestAfter, tweaks.bytesPerSecond()));
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            return answer(exchange, 502, "the proxy cannot reach " + target, Map.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding " + method + " " + path, e);
        }
        if (cutRequestAfter >= 0) {
            // the body was cut short, yet the registry answered: still break the client's connection as promised
            response.body().close();
            throw new IOException("fault: request body cut after " + cutRequestAfter + " bytes");
        }
        Headers headers = exchange.getResponseHeaders();
        response.headers().map().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                headers.put(name, values);
            }
        });
        tweaks.replacedHeaders().forEach(headers::set);
        int status = response.statusCode();
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        try (InputStream body = response.body()) {
            if ("HEAD".equals(method) || status == 204 || status == 304) {
                if (length >= 0 && "HEAD".equals(method)) {
                    headers.set("Content-Length", Long.toString(length));
                }
                exchange.sendResponseHeaders(status, -1);
                return status;
            }
            // for the JDK server, 0 means chunked and -1 means no body
            exchange.sendResponseHeaders(status, length == 0 ? -1 : length < 0 ? 0 : length);
            OutputStream out = exchange.getResponseBody();
            if (cutResponseAfter >= 0) {
                out.write(body.readNBytes((int) Math.min(cutResponseAfter, Integer.MAX_VALUE)));
                out.flush();
                // an exception before the answer is complete makes the JDK server close the connection
                throw new IOException("fault: answer cut after " + cutResponseAfter + " bytes");
            }
            body.transferTo(out);
            out.close();
        }
        return status;
    }

    private static HttpRequest.BodyPublisher body(HttpExchange exchange, long cutAfter, long bytesPerSecond) {
        Headers headers = exchange.getRequestHeaders();
        String contentLength = headers.getFirst("Content-Length");
        boolean chunked = headers.containsKey("Transfer-Encoding");
        long length = contentLength == null ? -1 : Long.parseLong(contentLength.trim());
        if (length == 0 || (length < 0 && !chunked)) {
            return HttpRequest.BodyPublishers.noBody();
        }
        InputStream in = cutAfter < 0 ? exchange.getRequestBody() : new CutInputStream(exchange.getRequestBody(),
                cutAfter);
        if (bytesPerSecond > 0) {
            in = new SlowInputStream(in, bytesPerSecond);
        }
        InputStream body = in;
        HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> body);
        return length < 0 ? stream : HttpRequest.BodyPublishers.fromPublisher(stream, length);
    }

    /** Answers without the registry, after reading the whole request so that the client sees the answer. */
    private static int answer(HttpExchange exchange, int status, String message, Map<String, String> extra)
            throws IOException {
        exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
        extra.forEach(exchange.getResponseHeaders()::set);
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(status, -1);
            return status;
        }
        String code = status == 429 ? "TOOMANYREQUESTS" : status == 503 ? "UNAVAILABLE" : "UNKNOWN";
        byte[] body = ("{\"errors\":[{\"code\":\"" + code + "\",\"message\":" + TokenIssuer.quote(message)
                + "}]}\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
        return status;
    }

    /**
     * What the proxy did with one request.
     *
     * @param listener {@link #MAIN} or {@link #REDIRECT}
     * @param method the request's method
     * @param path the raw path and query
     * @param authorization whether the request carried an {@code Authorization} header
     * @param fault the fault injected, or null when the request was only forwarded
     * @param status the status answered, or -1 when the connection was dropped without one
     */
    public record Seen(String listener, String method, String path, boolean authorization, String fault,
            int status) {}

    /** A fault injected into the requests that match it, at most a number of times. */
    public static final class Rule {
        private final Pattern methods;
        private final Pattern path;
        private final Fault fault;
        private final AtomicInteger left;
        private final AtomicInteger hits = new AtomicInteger();

        private Rule(Pattern methods, Pattern path, int times, Fault fault) {
            this.methods = methods;
            this.path = path;
            this.fault = fault;
            this.left = new AtomicInteger(times);
        }

        private boolean take() {
            if (left.getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(0, n - 1)) > 0) {
                hits.incrementAndGet();
                return true;
            }
            return false;
        }

        /** @return how many requests got the fault */
        public int hits() {
            return hits.get();
        }

        /** Stops injecting: matching requests are forwarded from now on. */
        public void stop() {
            left.set(0);
        }
    }

    /** What the proxy does to a request instead of (or while) forwarding it. */
    public abstract static class Fault {
        private final String description;

        private Fault(String description) {
            this.description = description;
        }

        abstract int apply(FaultProxy proxy, HttpExchange exchange, String listener, String path)
                throws IOException;

        @Override
        public String toString() {
            return description;
        }

        /**
         * Closes the connection without an answer, the request not forwarded. The client sees EOF, or a reset
         * when its body was left unread. The JDK client sends a GET or HEAD once more by itself after this.
         */
        public static Fault drop() {
            return new Fault("drop") {
                @Override
                int apply(FaultProxy proxy, HttpExchange exchange, String listener, String path) {
                    // closing an exchange before its answer started closes the connection (ExchangeImpl.close)
                    exchange.close();
                    return -1;
                }
            };
        }

        /**
         * Reads the whole request body, then closes the connection without an answer, the request not forwarded:
         * the client, done writing, always sees EOF while it waits for the answer, never a write on a closed
         * connection, which some clients (skopeo) do not retry.
         */
        public static Fault dropAfterReadingBody() {
            return new Fault("drop after reading the body") {
                @Override
                int apply(FaultProxy proxy, HttpExchange exchange, String listener, String path) throws IOException {
                    exchange.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
                    exchange.close();
                    return -1;
                }
            };
        }

        /**
         * Forwards the first {@code bytes} of the request body, then breaks the connections to the registry and
         * to the client: the registry holds a partial upload, the client gets no answer.
         */
        public static Fault dropAfterRequestBytes(long bytes) {
            return new Fault("drop after " + bytes + " request bytes") {
                @Override
                int apply(FaultProxy proxy, HttpExchange exchange, String listener, String path)
                        throws IOException {
                    return proxy.forward(exchange, listener, path, new Tweaks(bytes, -1, -1, Map.of()));
                }
            };
        }

        /** Forwards the request, then breaks the client's connection after {@code bytes} of the answer's body. */
        public static Fault dropAfterResponseBytes(long bytes) {
            return new Fault("drop after " + bytes + " response bytes") {
                @Override
                int apply(FaultProxy proxy, HttpExchange exchange, String listener, String path)
                        throws IOException {
                    return proxy.forward(exchange, listener, path, new Tweaks(-1, bytes, -1, Map.of()));
                }
            };
        }

        /** Forwards the request, reading its body at most this fast: the client's upload takes that long. */
        public static Fault slowUpload(long bytesPerSecond) {
            return new Fault("upload at " + bytesPerSecond + " bytes/s") {
                @Override
                int apply(FaultProxy proxy, HttpExchange exchange, String listener, String path)
                        throws IOException {
                    return proxy.forward(exchange, listener, path, new Tweaks(-1, -1, bytesPerSecond, Map.of()));
                }
            };
        }

        /** Forwards the request, then answers with one header set to another value than the registry's. */
        public static Fault replaceAnswerHeader(String name, String value) {
            return new Fault("answer " + name + ": " + value) {
                @Override
                int apply(FaultProxy proxy, HttpExchange exchange, String listener, String path)
                        throws IOException {
                    return proxy.forward(exchange, listener, path, new Tweaks(-1, -1, -1, Map.of(name, value)));
                }
            };
        }

        /** Answers {@code status} with a registry-style JSON error, the request not forwarded. */
        public static Fault status(int status) {
            return status(status, Map.of());
        }

        /** Answers {@code status} with these extra headers, the request not forwarded. */
        public static Fault status(int status, Map<String, String> headers) {
            return new Fault("status " + status + (headers.isEmpty() ? "" : " " + headers)) {
                @Override
                int apply(FaultProxy proxy, HttpExchange exchange, String listener, String path)
                        throws IOException {
                    return answer(exchange, status, "injected fault: " + status, headers);
                }
            };
        }

        /** Answers 429 with {@code Retry-After: seconds}. */
        public static Fault tooManyRequests(int retryAfterSeconds) {
            return status(429, Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
        }

        /** Waits, then forwards the request (for timeout and stall tests). */
        public static Fault delay(Duration delay) {
            return new Fault("delay " + delay) {
                @Override
                int apply(FaultProxy proxy, HttpExchange exchange, String listener, String path)
                        throws IOException {
                    try {
                        Thread.sleep(delay.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted during an injected delay", e);
                    }
                    return proxy.forward(exchange, listener, path, Tweaks.NONE);
                }
            };
        }

        /**
         * Answers {@code 307} with {@code Location} = the same path and query on the second listener (another
         * origin), which forwards to the registry and records whether the client sent {@code Authorization}.
         */
        public static Fault redirect() {
            return new Fault("redirect 307") {
                @Override
                int apply(FaultProxy proxy, HttpExchange exchange, String listener, String path)
                        throws IOException {
                    return answer(exchange, 307, "moved for this request",
                            Map.of("Location", "http://" + proxy.redirectHost() + path));
                }
            };
        }
    }
}
