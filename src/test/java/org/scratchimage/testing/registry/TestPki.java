package org.scratchimage.testing.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.scratchimage.core.tar.ExternalTools;

/**
 * A key pair and a self-signed certificate made at test time (nothing in git) by {@code keytool}: RSA 2048, valid
 * two days, subject {@code CN=127.0.0.1} with the SANs {@code IP:127.0.0.1} and {@code DNS:localhost}. It serves as
 * the TLS certificate of a {@link RegistryServer}, and as the signing key and trusted root of a {@link TokenIssuer}.
 *
 * <p>Files in its folder: {@code cert.pem}, {@code key.pem} (PKCS#8), {@code truststore.p12} (PKCS12, password
 * {@value #PASSWORD}, for {@code -Djavax.net.ssl.trustStore}), and {@code ca/ca.crt} (for skopeo's
 * {@code --dest-cert-dir} / {@code --src-cert-dir}).
 */
public final class TestPki {
    /** The password of both PKCS12 files. */
    public static final String PASSWORD = "changeit";
    private static final String ALIAS = "test";

    private static TestPki shared;

    private final Path directory;
    private final PrivateKey privateKey;
    private final X509Certificate certificate;

    private TestPki(Path directory, PrivateKey privateKey, X509Certificate certificate) {
        this.directory = directory;
        this.privateKey = privateKey;
        this.certificate = certificate;
    }

    /**
     * @return one PKI for the whole test JVM, made on first use in a temporary folder deleted at exit (making one
     *     costs a keytool run, about a second)
     */
    public static synchronized TestPki shared() {
        if (shared == null) {
            try {
                Path directory = Files.createTempDirectory("test-pki-");
                shared = create(directory);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        RegistryServer.deleteRecursively(directory);
                    } catch (IOException e) {
                        // a temporary folder left behind
                    }
                }, "test-pki-delete"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** Makes a new key pair and certificate in {@code directory}, which must exist. */
    public static TestPki create(Path directory) throws IOException {
        Path keystore = directory.resolve("keystore.p12");
        ExternalTools.Result result = ExternalTools.run(List.of("keytool", "-genkeypair", "-alias", ALIAS,
                "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1", "-validity", "2",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD));
        if (result.exitCode() != 0) {
            throw new IOException("keytool -genkeypair failed: " + result.stderr() + result.out());
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                store.load(in, PASSWORD.toCharArray());
            }
            PrivateKey key = (PrivateKey) store.getKey(ALIAS, PASSWORD.toCharArray());
            X509Certificate cert = (X509Certificate) store.getCertificate(ALIAS);
            Files.writeString(directory.resolve("cert.pem"), pem("CERTIFICATE", cert.getEncoded()));
            Files.writeString(directory.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded()));
            Files.createDirectories(directory.resolve("ca"));
            Files.writeString(directory.resolve("ca/ca.crt"), pem("CERTIFICATE", cert.getEncoded()));
            // what keytool -importcert writes: one trusted-certificate entry
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry(ALIAS, cert);
            try (OutputStream out = Files.newOutputStream(directory.resolve("truststore.p12"))) {
                trust.store(out, PASSWORD.toCharArray());
            }
            return new TestPki(directory, key, cert);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the key pair keytool made in " + keystore, e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** @return the PEM certificate */
    public Path certificatePem() {
        return directory.resolve("cert.pem");
    }

    /** @return the PEM private key, PKCS#8 */
    public Path keyPem() {
        return directory.resolve("key.pem");
    }

    /** @return a PKCS12 truststore holding the certificate, password {@link #PASSWORD} */
    public Path trustStore() {
        return directory.resolve("truststore.p12");
    }

    /** @return a folder with only {@code ca.crt}, as skopeo's {@code --dest-cert-dir} wants */
    public Path certDirectory() {
        return directory.resolve("ca");
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** @return a TLS context that trusts this certificate and nothing else, for a JDK HttpClient in a test */
    public SSLContext sslContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry(ALIAS, certificate);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot make a TLS context from the test certificate", e);
        }
    }
}
