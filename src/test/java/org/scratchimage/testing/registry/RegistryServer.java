package org.scratchimage.testing.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.scratchimage.core.tar.ExternalTools;

/**
 * Debian's real {@code docker-registry} (distribution 2.8), started on a free loopback port for one test, with a
 * config written into its own temporary folder: anonymous, htpasswd Basic, Bearer token (with a {@link TokenIssuer})
 * or TLS (with a {@link TestPki}). The access log (stdout) and application log (stderr) are kept apart, so a test can
 * assert which requests one step made ({@link #mark()} / {@link #requestsSince(int)}) and a failure can show why the
 * registry refused something ({@link #appLog()}). {@link #close()} stops the process (SIGTERM, then kill) and
 * deletes the folder.
 *
 * <pre>{@code
 * try (RegistryServer registry = RegistryServer.builder().htpasswd("alice", "s3cret").start()) {
 *     ... push to registry.host() + "/team/app:1.0" ...
 *     assertThat(registry.tags("team/app")).containsExactly("1.0");
 * }
 * }</pre>
 */
public final class RegistryServer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern LISTENING = Pattern.compile("listening on ([0-9.]+:\\d+)");
    /** The user agent of the requests {@link #mark()} sends to know the access log has caught up. */
    private static final String SYNC_AGENT = "registry-server-fixture-sync";

    private final Path directory;
    private final boolean deleteDirectory;
    private final Process process;
    private final Thread shutdownHook;
    private final LogLines accessLog;
    private final LogLines appLog;
    private final String host;
    private final TestPki tls;
    private final HttpClient client;

    private RegistryServer(Builder builder) throws IOException {
        Path executable = ExternalTools.require("docker-registry");
        this.deleteDirectory = builder.directory == null;
        this.directory = deleteDirectory ? Files.createTempDirectory("registry-") : builder.directory;
        this.tls = builder.tls;
        Path config = writeConfig(builder);
        ProcessBuilder command = new ProcessBuilder(executable.toString(), "serve", config.toString());
        command.directory(directory.toFile());
        this.process = command.start();
        process.getOutputStream().close();
        this.shutdownHook = new Thread(process::destroyForcibly, "registry-server-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        this.accessLog = LogLines.follow(process.getInputStream(), "registry-access-log");
        this.appLog = LogLines.follow(process.getErrorStream(), "registry-app-log");
        String listening;
        try {
            listening = appLog.await(LISTENING, START_TIMEOUT, process);
        } catch (IOException | RuntimeException e) {
            stop();
            if (deleteDirectory) {
                deleteRecursively(directory);
            }
            throw e;
        }
        Matcher matcher = LISTENING.matcher(listening);
        matcher.find();
        this.host = matcher.group(1);
        HttpClient.Builder clientBuilder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10));
        if (tls != null) {
            clientBuilder.sslContext(tls.sslContext());
        }
        this.client = clientBuilder.build();
    }

    /** @return a builder of an anonymous registry over plain HTTP; the builder's methods pick another mode */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a started anonymous registry over plain HTTP */
    public static RegistryServer anonymous() throws IOException {
        return builder().start();
    }

    /** @return {@code 127.0.0.1:PORT} (or the {@link Builder#bind} address), the registry part of a reference */
    public String host() {
        return host;
    }

    /** @return {@code http://127.0.0.1:PORT} or {@code https://127.0.0.1:PORT}, without a trailing slash */
    public String url() {
        return (tls == null ? "http://" : "https://") + host;
    }

    /** @return a TLS context trusting the registry's certificate, or null for a plain-HTTP registry */
    public javax.net.ssl.SSLContext tlsContext() {
        return tls == null ? null : tls.sslContext();
    }

    /** @return the port the registry listens on */
    public int port() {
        return Integer.parseInt(host.substring(host.lastIndexOf(':') + 1));
    }

    /** @return the registry's storage root (the {@code docker/registry/v2} tree is below it) */
    public Path storage() {
        return directory.resolve("storage");
    }

    /** @return the access log so far (stdout, Apache combined format), one entry per line */
    public List<String> accessLog() {
        return accessLog.snapshot();
    }

    /** @return the application log so far (stderr, logrus text), for failure messages */
    public String appLog() {
        return String.join("\n", appLog.snapshot());
    }

    /**
     * Waits until the access log holds every request answered so far (the registry writes a line only after the
     * response, so a client may see the answer first) and returns its position, for {@link #requestsSince(int)}.
     */
    public int mark() {
        return sync();
    }

    /**
     * @param mark a value of {@link #mark()}
     * @return the requests the registry answered since then, oldest first (the fixture's own sync requests left out)
     */
    public List<Request> requestsSince(int mark) {
        int end = sync();
        List<String> lines = accessLog.snapshot();
        List<Request> requests = new ArrayList<>();
        for (String line : lines.subList(Math.min(mark, end), end)) {
            Request request = Request.parse(line);
            if (request != null && !line.contains(SYNC_AGENT)) {
                requests.add(request);
            }
        }
        return requests;
    }

    /** @return every request the registry answered so far */
    public List<Request> requests() {
        return requestsSince(0);
    }

    /**
     * @param repository a repository name such as {@code team/app}
     * @return its tags, sorted, read from the storage folder (so independent of the registry's auth); empty when
     *     the repository does not exist
     */
    public List<String> tags(String repository) {
        Path tags = repositoryFolder(repository).resolve("_manifests/tags");
        if (!Files.isDirectory(tags)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(tags)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the manifest digest ({@code sha256:...}) the tag points at, from the storage folder */
    public Optional<String> tagDigest(String repository, String tag) {
        Path link = repositoryFolder(repository).resolve("_manifests/tags").resolve(tag).resolve("current/link");
        try {
            return Files.exists(link) ? Optional.of(Files.readString(link).trim()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return whether the registry stores the blob {@code sha256:HEX} (in any repository) */
    public boolean hasBlob(String digest) {
        String hex = digest.substring(digest.indexOf(':') + 1);
        return Files.exists(storage().resolve("docker/registry/v2/blobs/sha256")
                .resolve(hex.substring(0, 2)).resolve(hex).resolve("data"));
    }

    /** @return the upload sessions the registry holds for the repository (started and not finished) */
    public List<String> uploadsInProgress(String repository) {
        Path uploads = repositoryFolder(repository).resolve("_uploads");
        if (!Files.isDirectory(uploads)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(uploads)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path repositoryFolder(String repository) {
        return storage().resolve("docker/registry/v2/repositories").resolve(repository);
    }

    /** Sends a marked request and waits for its access-log line; every earlier answer is logged by then. */
    private int sync() {
        String id = SYNC_AGENT + "/" + UUID.randomUUID();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/v2/"))
                .header("User-Agent", id).timeout(Duration.ofSeconds(10)).GET().build();
        try {
            client.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new UncheckedIOException("the registry at " + host + " did not answer; its log:\n" + appLog(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return accessLog.awaitIndex(id, Duration.ofSeconds(10), process) + 1;
    }

    /** Stops the registry (SIGTERM, then kill) and deletes its folder unless the test gave it. */
    @Override
    public void close() throws IOException {
        stop();
        if (deleteDirectory) {
            deleteRecursively(directory);
        }
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down, and the hook is running or ran
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private Path writeConfig(Builder builder) throws IOException {
        StringBuilder yaml = new StringBuilder();
        yaml.append("version: 0.1\n");
        yaml.append("log:\n  level: info\n  formatter: text\n");
        yaml.append("storage:\n");
        yaml.append("  filesystem:\n    rootdirectory: ").append(quote(directory.resolve("storage"))).append('\n');
        yaml.append("  delete:\n    enabled: true\n");
        yaml.append("http:\n  addr: ").append(builder.bindAddress).append(":0\n");
        // fixed, so that the _state tokens of upload Locations stay valid whatever else a test changes
        yaml.append("  secret: scratch-test-registry-secret\n");
        if (builder.relativeUrls) {
            yaml.append("  relativeurls: true\n");
        }
        if (builder.tls != null) {
            yaml.append("  tls:\n    certificate: ").append(quote(builder.tls.certificatePem())).append('\n');
            yaml.append("    key: ").append(quote(builder.tls.keyPem())).append('\n');
            if (builder.http2Disabled) {
                yaml.append("  http2:\n    disabled: true\n");
            }
        }
        if (builder.htpasswdUser != null) {
            Path htpasswd = directory.resolve("htpasswd");
            Files.writeString(htpasswd, bcryptLine(builder.htpasswdUser, builder.htpasswdPassword));
            yaml.append("auth:\n  htpasswd:\n    realm: basic-realm\n    path: ").append(quote(htpasswd)).append('\n');
        } else if (builder.tokenIssuer != null) {
            TokenIssuer issuer = builder.tokenIssuer;
            yaml.append("auth:\n  token:\n");
            yaml.append("    realm: ").append(quote(issuer.realm())).append('\n');
            yaml.append("    service: ").append(quote(issuer.service())).append('\n');
            yaml.append("    issuer: ").append(quote(issuer.issuer())).append('\n');
            yaml.append("    rootcertbundle: ").append(quote(issuer.certificatePem())).append('\n');
        }
        Path config = directory.resolve("config.yml");
        Files.writeString(config, yaml);
        return config;
    }

    /** @return an htpasswd line with a bcrypt hash, the only kind the registry accepts (others are ignored) */
    private static String bcryptLine(String user, String password) {
        ExternalTools.Result result = ExternalTools.run(List.of("htpasswd", "-Bbn", user, password));
        if (result.exitCode() != 0) {
            throw new IllegalStateException("htpasswd -Bbn failed: " + result.stderr());
        }
        return result.out().trim() + "\n";
    }

    private static String quote(Object value) {
        return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** One line of the access log: {@code "METHOD PATH HTTP/1.1" STATUS}. */
    public record Request(String method, String path, int status, String line) {
        private static final Pattern LINE = Pattern.compile("\"([A-Z]+) (\\S+) HTTP/[0-9.]+\" (\\d{3}) ");
        private static final Pattern BLOB_UPLOAD = Pattern.compile("^/v2/.+/blobs/uploads/");

        static Request parse(String line) {
            Matcher matcher = LINE.matcher(line);
            return matcher.find()
                    ? new Request(matcher.group(1), matcher.group(2), Integer.parseInt(matcher.group(3)), line)
                    : null;
        }

        /** @return whether this request started or carried a blob upload (POST, PATCH or PUT on .../blobs/uploads/) */
        public boolean isBlobUpload() {
            return ("POST".equals(method) || "PATCH".equals(method) || "PUT".equals(method))
                    && BLOB_UPLOAD.matcher(path).find();
        }

        @Override
        public String toString() {
            return method + " " + path + " " + status;
        }
    }

    /** Which registry to start; anonymous over plain HTTP unless a method says otherwise. */
    public static final class Builder {
        private Path directory;
        private String htpasswdUser;
        private String htpasswdPassword;
        private TokenIssuer tokenIssuer;
        private TestPki tls;
        private boolean relativeUrls;
        private boolean http2Disabled;
        private String bindAddress = "127.0.0.1";

        private Builder() {}

        /** Listens on this IPv4 address instead of 127.0.0.1, such as a non-loopback one for proxy tests. */
        public Builder bind(String ipv4Address) {
            this.bindAddress = ipv4Address;
            return this;
        }

        /** Basic authentication: the one user, with a bcrypt hash made by {@code htpasswd -B}. */
        public Builder htpasswd(String user, String password) {
            this.htpasswdUser = user;
            this.htpasswdPassword = password;
            this.tokenIssuer = null;
            return this;
        }

        /** Bearer token authentication, with the issuer's realm, service, issuer name and certificate. */
        public Builder token(TokenIssuer issuer) {
            this.tokenIssuer = issuer;
            this.htpasswdUser = null;
            return this;
        }

        /** HTTPS with the PKI's certificate (for 127.0.0.1 and localhost); clients trust it through the PKI. */
        public Builder tls(TestPki pki) {
            this.tls = pki;
            return this;
        }

        /** Only with {@link #tls}: HTTP/1.1 only, no HTTP/2 through ALPN. */
        public Builder http2Disabled() {
            this.http2Disabled = true;
            return this;
        }

        /** Relative {@code Location} headers ({@code http.relativeurls}), to test that a client resolves them. */
        public Builder relativeUrls() {
            this.relativeUrls = true;
            return this;
        }

        /** The folder for the config, logs and storage (kept after close); a new temporary one otherwise. */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /** Starts the registry and waits until it listens; fails with its log when it does not. */
        public RegistryServer start() throws IOException {
            if (directory != null) {
                Files.createDirectories(directory);
            }
            return new RegistryServer(this);
        }
    }
}
