package org.scratchimage.it.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import javax.net.ssl.HttpsURLConnection;

/** GETs the URL given and prints the status, the protocol, the server's key algorithm and the body on one line. */
public final class Fetch {
    private Fetch() {
    }

    public static void main(String[] args) {
        try {
            HttpsURLConnection connection = (HttpsURLConnection) new URL(args[0]).openConnection();
            connection.setConnectTimeout(10_000);
            connection.setReadTimeout(10_000);
            int status = connection.getResponseCode();
            String cipherSuite = connection.getCipherSuite();
            Certificate[] chain = connection.getServerCertificates();
            String body;
            try (InputStream in = connection.getInputStream()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            System.out.println("fetched " + status + " " + cipherSuite + " "
                    + chain[0].getPublicKey().getAlgorithm() + " " + body);
        } catch (IOException e) {
            System.out.println("failed " + e);
            System.exit(1);
        }
    }
}
