package org.scratchimage.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.lang.ref.Reference;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpClientsTest {
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void plainHttpGoesThroughAClientThatCanMakeNoTlsConnection() throws Exception {
        HttpClients clients = new HttpClients(HttpClient::newBuilder, null);
        try {
            HttpClient plain = clients.forScheme("http");
            assertThat(plain.send(HttpRequest.newBuilder(uri()).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> plain.sslContext().createSSLEngine())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("asked for TLS");
            assertThat(clients.forScheme("http")).isSameAs(plain);
            HttpClient tls = clients.forScheme("https");
            assertThat(tls).isNotSameAs(plain);
            assertThat(tls.sslContext().createSSLEngine()).isNotNull();
        } finally {
            clients.close();
        }
    }

    @Test
    void closingTheClientsStopsTheirSelectorThreadWithoutACollection() throws Exception {
        Set<Thread> before = selectorThreads();
        HttpClients clients = new HttpClients(HttpClient::newBuilder, null);
        HttpClient held = clients.forScheme("http");
        held.send(HttpRequest.newBuilder(uri()).build(), HttpResponse.BodyHandlers.discarding());
        Set<Thread> started = selectorThreads();
        started.removeAll(before);
        assertThat(started).as("the client's selector thread").hasSize(1);

        clients.close();

        // Still referenced, so no collection could stop it: a thread alive at the JVM's exit holds it for 300 ms.
        for (Thread thread : started) {
            thread.join(10_000);
        }
        assertThat(started).noneMatch(Thread::isAlive);
        Reference.reachabilityFence(held);
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v2/");
    }

    private static Set<Thread> selectorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().contains("SelectorManager")).collect(Collectors.toSet());
    }
}
