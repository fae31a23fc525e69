package org.scratchimage.testing.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A forward HTTP proxy, as settings.xml's {@code <proxy>} names one: absolute-form requests
 * ({@code GET http://host:port/path}) are forwarded to their origin, one connection each, and {@code CONNECT host:port}
 * opens a tunnel (for https). It records every request with its {@code Proxy-Authorization} and
 * {@code Authorization} headers, and can require Basic proxy credentials (407 otherwise). Like a real proxy it does
 * not pass {@code Proxy-Authorization} on.
 *
 * <p>With {@link Builder#origin(String)} it is also a plain relay: an origin-form request ({@code GET /path}) goes to
 * that fixed {@code host:port}. Put in front of a registry, it shows what reaches the registry directly.
 */
public final class ForwardProxy implements AutoCloseable {
    /** Hop-by-hop headers, not forwarded; {@code Connection: close} is set instead. */
    private static final Set<String> HOP_BY_HOP = Set.of("proxy-authorization", "proxy-connection", "connection",
            "keep-alive", "te", "trailer", "upgrade");

    /**
     * One request the proxy received.
     *
     * @param method {@code GET}, {@code CONNECT}, ...
     * @param target the request target as sent: an absolute URI, {@code host:port} for CONNECT, or a path
     * @param proxyAuthorization the {@code Proxy-Authorization} header, or null
     * @param authorization the {@code Authorization} header, or null
     * @param status what the proxy answered itself (407, 502), or 0 when it forwarded the request
     */
    public record Seen(String method, String target, String proxyAuthorization, String authorization, int status) {}

    private final ServerSocket server;
    private final ExecutorService executor;
    private final String expectedAuthorization;
    private final String origin;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    private ForwardProxy(Builder builder) throws IOException {
        this.expectedAuthorization = builder.user == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (builder.user + ':' + builder.password).getBytes(StandardCharsets.UTF_8));
        this.origin = builder.origin;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(builder.bind, 0));
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "forward-proxy");
            thread.setDaemon(true);
            return thread;
        });
        executor.execute(this::accept);
    }

    /** @return a builder of a proxy on loopback that requires no credentials */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the address the proxy listens on, such as {@code 127.0.0.1} */
    public String address() {
        return server.getInetAddress().getHostAddress();
    }

    /** @return the port the proxy listens on */
    public int port() {
        return server.getLocalPort();
    }

    /** @return {@code address:port} */
    public String host() {
        return address() + ':' + port();
    }

    /** @return every request so far, oldest first */
    public List<Seen> requests() {
        return List.copyOf(seen);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        executor.shutdownNow();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                executor.execute(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            List<String> head = readHead(in);
            if (head.isEmpty()) {
                return;
            }
            String[] line = head.get(0).split(" ");
            if (line.length != 3 || line[0].equals("?")) {
                answer(client, 400, "Bad Request");
                return;
            }
            String method = line[0];
            String target = line[1];
            String proxyAuthorization = header(head, "Proxy-Authorization");
            String authorization = header(head, "Authorization");
            if (expectedAuthorization != null && !expectedAuthorization.equals(proxyAuthorization)) {
                seen.add(new Seen(method, target, proxyAuthorization, authorization, 407));
                answer(client, 407, "Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"proxy\"");
                return;
            }
            String hostPort;
            String path;
            if (method.equals("CONNECT")) {
                hostPort = target;
                path = null;
            } else if (target.startsWith("http://")) {
                URI uri = URI.create(target);
                hostPort = uri.getHost() + ':' + (uri.getPort() < 0 ? 80 : uri.getPort());
                path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            } else if (origin != null && target.startsWith("/")) {
                hostPort = origin;
                path = target;
            } else {
                seen.add(new Seen(method, target, proxyAuthorization, authorization, 400));
                answer(client, 400, "Bad Request");
                return;
            }
            Socket upstream;
            try {
                int colon = hostPort.lastIndexOf(':');
                upstream = new Socket(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
            } catch (IOException | RuntimeException e) {
                seen.add(new Seen(method, target, proxyAuthorization, authorization, 502));
                answer(client, 502, "Bad Gateway");
                return;
            }
            seen.add(new Seen(method, target, proxyAuthorization, authorization, 0));
            open.add(upstream);
            try (upstream) {
                if (path == null) {
                    client.getOutputStream().write("HTTP/1.1 200 Connection Established\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1));
                    client.getOutputStream().flush();
                } else {
                    StringBuilder request = new StringBuilder(method + ' ' + path + " HTTP/1.1\r\n");
                    for (String header : head.subList(1, head.size())) {
                        String name = header.substring(0, Math.max(0, header.indexOf(':'))).trim();
                        if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                            request.append(header).append("\r\n");
                        }
                    }
                    // One request per connection: the answer ends when the origin closes, whatever its framing.
                    request.append("Connection: close\r\n\r\n");
                    upstream.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
                    upstream.getOutputStream().flush();
                }
                // The client's bytes (a request body, or a tunnel's) go up on another thread; the answer comes down
                // here until the origin closes.
                executor.execute(() -> pipe(client, upstream));
                pipe(upstream, client);
            } finally {
                open.remove(upstream);
            }
        } catch (IOException e) {
            // the client or the origin went away: the connection just ends
        } finally {
            open.remove(client);
        }
    }

    /** Copies until {@code from} ends, then half-closes {@code to}, as a tunnel passes an end of stream on. */
    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed; serve() closes both when the answer has ended
        }
    }

    /** @return the request line and header lines, without the empty line; empty if the client closed first */
    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        int first = in.read();
        if (first >= 0 && (first < 'A' || first > 'Z')) {
            // Not HTTP, such as a TLS handshake sent to this plain port: answered 400 as Go's server does.
            return List.of("? ? ?");
        }
        for (int b = first; b >= 0; b = in.read()) {
            if (b == '\n' && previous == '\r') {
                byte[] bytes = line.toByteArray();
                String text = new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
                if (text.isEmpty()) {
                    return lines;
                }
                lines.add(text);
                line.reset();
            } else {
                line.write(b);
            }
            previous = b;
        }
        return List.of();
    }

    private static String header(List<String> head, String name) {
        for (String line : head.subList(1, head.size())) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static void answer(Socket client, int status, String reasonAndHeaders) throws IOException {
        OutputStream out = client.getOutputStream();
        out.write(("HTTP/1.1 " + status + ' ' + reasonAndHeaders + "\r\nContent-Length: 0\r\nConnection: close"
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    /** What proxy to start. */
    public static final class Builder {
        private InetAddress bind = InetAddress.getLoopbackAddress();
        private String user;
        private String password;
        private String origin;

        private Builder() {}

        /** Listens on this address instead of loopback. */
        public Builder bind(InetAddress address) {
            this.bind = address;
            return this;
        }

        /** Requires {@code Proxy-Authorization: Basic} with these credentials, answering 407 otherwise. */
        public Builder requireBasic(String user, String password) {
            this.user = user;
            this.password = password;
            return this;
        }

        /** Relays origin-form requests to {@code host:port}, as a transparent front of that server. */
        public Builder origin(String hostPort) {
            this.origin = hostPort;
            return this;
        }

        public ForwardProxy start() throws IOException {
            return new ForwardProxy(this);
        }
    }
}
