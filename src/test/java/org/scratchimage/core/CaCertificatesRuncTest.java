package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.PlanningFixtures.binary;
import static org.scratchimage.core.PlanningFixtures.requestIn;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.elf.ElfFile;
import org.scratchimage.core.tar.ExternalTools;

/**
 * A TLS client in a scratch image trusts what {@code <caCertificates>} copied: a CA made here signs the certificate of
 * an HTTPS server this test runs on loopback, the test sysroot's bundle holds only that CA, and the host's curl
 * (with its libraries, copied into the sysroot) fetches the page under runc in the host's network namespace. Without
 * {@code <caCertificates>} the same image fails the handshake.
 */
class CaCertificatesRuncTest {
    private static final String PASSWORD = "changeit";
    private static final String PAGE = "hello over tls\n";

    @TempDir
    Path dir;

    private HttpsServer server;

    @BeforeEach
    void tools() {
        ExternalTools.require("curl");
        RuncContainers.require();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void curlInTheImageTrustsTheSysrootsCaWithCaCertificatesAndFailsWithout() throws Exception {
        Path ca = certificates();
        int port = serve(dir.resolve("server.p12"));
        Path sysroot = sysrootWithCurl();
        Path bundle = sysroot.resolve("etc/ssl/certs/ca-certificates.crt");
        Files.createDirectories(bundle.getParent());
        Files.copy(ca, bundle);

        ExternalTools.Result trusted = build(sysroot, port, true);
        assertThat(trusted.exitCode()).as("curl with <caCertificates>: %s %s", trusted.out(), trusted.stderr())
                .isZero();
        assertThat(trusted.out()).isEqualTo(PAGE);

        ExternalTools.Result untrusted = build(sysroot, port, false);
        // curl: 77 when it has no bundle to read (its default is Debian's path), 60 when the server is not trusted.
        assertThat(untrusted.exitCode()).as("curl without <caCertificates>: %s", untrusted.stderr()).isIn(60, 77);
        assertThat(untrusted.out()).isEmpty();
    }

    private ExternalTools.Result build(Path sysroot, int port, boolean caCertificates) throws Exception {
        Path layout = dir.resolve("oci-" + caCertificates);
        new ImageBuilder(line -> { }).build(requestIn(dir).outputDirectory(layout).tags(List.of("t"))
                .sysroot(sysroot.toString()).caCertificates(caCertificates)
                .addBinary(binary("/usr/bin/curl", "/bin/curl"))
                .container(ContainerSpec.builder().entrypoint(List.of("/bin/curl", "-sS", "--max-time", "20",
                        "https://127.0.0.1:" + port + "/")).build())
                .build());
        return RuncContainers.run(layout, "t", dir.resolve("bundle"), true);
    }

    /** A CA and a server certificate for 127.0.0.1 that it signs, made with the JDK's keytool; returns the CA's PEM. */
    private Path certificates() throws Exception {
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=Scratch Test CA", "-ext", "bc:c", "-validity", "2", "-keystore", "ca.p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=127.0.0.1", "-validity", "2", "-keystore", "server.p12");
        keytool("-certreq", "-alias", "server", "-keystore", "server.p12", "-file", "server.csr");
        keytool("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile", "server.csr", "-outfile", "server.pem",
                "-rfc", "-validity", "2", "-ext", "san=ip:127.0.0.1", "-ext", "ku:c=digitalSignature", "-ext",
                "eku=serverAuth");
        keytool("-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-rfc", "-file", "ca.pem");
        keytool("-importcert", "-alias", "ca", "-file", "ca.pem", "-keystore", "server.p12", "-noprompt");
        keytool("-importcert", "-alias", "server", "-file", "server.pem", "-keystore", "server.p12", "-noprompt");
        return dir.resolve("ca.pem");
    }

    private void keytool(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as("keytool %s: %s", command, new String(output, StandardCharsets.UTF_8))
                .isZero();
    }

    /** Serves {@link #PAGE} over HTTPS on 127.0.0.1, on a free port, which it returns. */
    private int serve(Path keyStore) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(managers.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server.getAddress().getPort();
    }

    /**
     * A sysroot holding copies of the host's loader and of curl's libraries at the paths the host's loader reports
     * ({@code ld.so --list}), so that the build resolves them there, as for a cross build; libc's link to the loader
     * beside it, as on Debian.
     */
    private Path sysrootWithCurl() throws Exception {
        String interpreter = ElfFile.read(Path.of("/usr/bin/curl")).orElseThrow().interpreter();
        Path root = Files.createDirectories(dir.resolve("sysroot"));
        copyIn(root, interpreter);
        String list = ExternalTools.run(List.of("env", interpreter, "--list", "/usr/bin/curl")).assertSuccess().out();
        for (String line : list.lines().toList()) {
            int arrow = line.indexOf("=> /");
            if (arrow >= 0) {
                String path = line.substring(arrow + 3, line.lastIndexOf(" ("));
                copyIn(root, path);
                Path beside = root.resolve(path.substring(1)).resolveSibling(Path.of(interpreter).getFileName());
                if (!Files.exists(beside)) {
                    Files.createSymbolicLink(beside,
                            beside.getParent().relativize(root.resolve(interpreter.substring(1))));
                }
            }
        }
        return root;
    }

    private static void copyIn(Path root, String path) throws Exception {
        Path target = root.resolve(path.substring(1));
        Files.createDirectories(target.getParent());
        Files.copy(Path.of(path).toRealPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
