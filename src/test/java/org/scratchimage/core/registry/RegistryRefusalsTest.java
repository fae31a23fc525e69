package org.scratchimage.core.registry;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.scratchimage.core.registry.PushFixture.blob;
import static org.scratchimage.core.registry.PushFixture.options;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.scratchimage.core.BuildResult;
import org.scratchimage.testing.registry.TinyImage;

/**
 * Refusals that Debian's registry does not make on its own (403 needs an authorisation layer in front of it;
 * {@code NAME_UNKNOWN} a registry that creates no repository on push; {@code NAME_INVALID} a name rule stricter than
 * the reference grammar), answered by a server written here: {@code GET /v2/} is 200, and every other request gets
 * the status and error code of the row. The message must name the registry, keep the registry's code and give the
 * fix, and the refusal must be final: one request, no retry.
 */
class RegistryRefusalsTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private int status;
    private String code;
    private int refused;
    private BuildResult image;
    private final PushFixture.Log log = new PushFixture.Log();

    @BeforeEach
    void start() throws IOException {
        image = TinyImage.build(dir.resolve("project"), "port=8080\n");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            if (exchange.getRequestURI().getPath().equals("/v2/")) {
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
                return;
            }
            synchronized (this) {
                refused++;
            }
            byte[] body = ("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"refused by the test\","
                    + "\"detail\":null}]}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "403 | DENIED | . The anonymous user may not push to {host}/team/app. Fix: grant that user push access to the"
                + " repository, or push to one it may write",
        "404 | NAME_UNKNOWN | . The registry does not know the repository team/app. Fix: create the repository"
                + " team/app in {host} first, or correct the name in <image> or <to>",
        "400 | NAME_INVALID | . The registry refuses the repository name team/app. Fix: name the image with"
                + " lower-case letters, digits and the separators . _ - /, as the registry requires",
        "400 | SIZE_INVALID | . Fix: correct what the registry names, or ask its administrator"})
    void aRefusalIsFinalAndNamesTheRegistryItsCodeAndTheFix(int status, String code, String end) throws Exception {
        this.status = status;
        this.code = code;
        String host = "127.0.0.1:" + server.getAddress().getPort();
        Path layer = blob(image, image.layerDigest());
        try (Registry registry = Registry.connect(host, "team/app", options(log))) {
            assertThatThrownBy(() -> registry.uploadBlob("team/app", layer, image.layerDigest(), Files.size(layer)))
                    .isInstanceOf(RegistryException.class)
                    .hasMessage("registry " + host + " answered " + status + " to POST blob upload: " + code
                            + ": refused by the test" + end.replace("{host}", host));
        }
        org.assertj.core.api.Assertions.assertThat(refused).as("requests refused: no retry").isEqualTo(1);
    }
}
