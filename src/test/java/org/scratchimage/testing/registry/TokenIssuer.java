package org.scratchimage.testing.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * The Bearer token realm for a {@link RegistryServer} in token mode: a JDK {@code HttpServer} on
 * {@code http://127.0.0.1:PORT/token} that checks Basic credentials against the one user it was given and answers
 * an RS256 JWT signed with a {@link TestPki} key (header {@code x5c}, claims as docker-registry 2.8 wants them:
 * {@code aud} a plain string, {@code access} for the requested scopes).
 *
 * <p>Both forms of the protocol: {@code GET ?service=&scope=...} with Basic credentials (missing or wrong ones get a
 * token that grants nothing, or 401 with {@link Builder#rejectBadCredentials()}), and the OAuth2 {@code POST} form
 * ({@code grant_type=password}, or {@code grant_type=refresh_token} with the identity token it was given, as Docker
 * identity tokens are used). It records every token it issued, so a leak test can search outputs for them.
 */
public final class TokenIssuer implements AutoCloseable {
    private final TestPki pki;
    private final String user;
    private final String password;
    private final String identityToken;
    private final String service;
    private final String issuer;
    private final boolean rejectBadCredentials;
    private final Map<Pattern, Set<String>> permits;
    private volatile Duration tokenLifetime;
    private final AtomicInteger staleTokens;
    private final HttpServer server;
    private final ExecutorService executor;
    private final List<String> issued = new CopyOnWriteArrayList<>();
    private final List<Seen> requests = new CopyOnWriteArrayList<>();

    private TokenIssuer(Builder builder) throws IOException {
        this.pki = builder.pki;
        this.user = builder.user;
        this.password = builder.password;
        this.identityToken = builder.identityToken;
        this.service = builder.service;
        this.issuer = builder.issuer;
        this.rejectBadCredentials = builder.rejectBadCredentials;
        this.permits = Map.copyOf(builder.permits);
        this.tokenLifetime = builder.tokenLifetime;
        this.staleTokens = new AtomicInteger(builder.staleTokens);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "token-issuer");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/token", this::handle);
        server.start();
    }

    /** @return a builder of an issuer signing with the PKI's key; its certificate is the registry's root bundle */
    public static Builder builder(TestPki pki) {
        return new Builder(pki);
    }

    /** @return the realm URL, {@code http://127.0.0.1:PORT/token} */
    public String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    /** @return the service name, which is the tokens' {@code aud} */
    public String service() {
        return service;
    }

    /** @return the issuer name, which is the tokens' {@code iss} */
    public String issuer() {
        return issuer;
    }

    /** @return the certificate the registry must trust ({@code rootcertbundle}) */
    public Path certificatePem() {
        return pki.certificatePem();
    }

    /** @return every token issued so far, oldest first */
    public List<String> issuedTokens() {
        return List.copyOf(issued);
    }

    /** @return how many requests the realm answered, whatever the outcome */
    public int requestCount() {
        return requests.size();
    }

    /** @return every request the realm answered, oldest first (no secrets in them) */
    public List<Seen> requests() {
        return List.copyOf(requests);
    }

    /**
     * Sets the lifetime of the tokens issued from now on; a negative one beyond the registry's 60 s of leeway (say
     * minus two minutes) makes tokens the registry rejects, to test that a client asks again after a 401.
     */
    public void tokenLifetime(Duration lifetime) {
        this.tokenLifetime = lifetime;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, List<String>> parameters = new LinkedHashMap<>();
            addParameters(parameters, exchange.getRequestURI().getRawQuery());
            String method = exchange.getRequestMethod();
            String grantType = null;
            String presentedUser;
            boolean authenticated;
            if ("POST".equals(method)) {
                addParameters(parameters, new String(exchange.getRequestBody().readAllBytes(),
                        StandardCharsets.UTF_8));
                grantType = first(parameters, "grant_type");
                if ("refresh_token".equals(grantType)) {
                    presentedUser = user;
                    authenticated = identityToken != null && identityToken.equals(first(parameters,
                            "refresh_token"));
                } else if ("password".equals(grantType)) {
                    presentedUser = first(parameters, "username");
                    authenticated = user != null && user.equals(presentedUser)
                            && password.equals(first(parameters, "password"));
                } else {
                    presentedUser = null;
                    authenticated = false;
                }
            } else {
                String[] basic = basicCredentials(exchange.getRequestHeaders().getFirst("Authorization"));
                presentedUser = basic == null ? null : basic[0];
                authenticated = basic != null && user != null && user.equals(basic[0]) && password.equals(basic[1]);
            }
            List<String> scopes = new ArrayList<>();
            for (String scope : parameters.getOrDefault("scope", List.of())) {
                for (String one : scope.split(" ")) {
                    if (!one.isEmpty()) {
                        scopes.add(one);
                    }
                }
            }
            String requestedService = first(parameters, "service");
            boolean post = "POST".equals(method);
            // The OAuth2 form has no anonymous access: a wrong grant is always refused, as Docker's servers do.
            if (!authenticated && (post || rejectBadCredentials)) {
                requests.add(new Seen(method, grantType, requestedService, scopes, presentedUser, false, 401));
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"token\"");
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                send(exchange, 401, "{\"error\":\"invalid_grant\",\"details\":\"wrong credentials\"}");
                return;
            }
            Map<String, Map<String, Set<String>>> access = authenticated ? grant(scopes) : Map.of();
            Instant now = Instant.now();
            Duration lifetime = tokenLifetime;
            // A stale token says it lives as long as the others, but the registry refuses it (expired beyond its
            // 60 s of leeway), as it would refuse a revoked one.
            Duration signed = staleTokens.getAndDecrement() > 0 ? Duration.ofMinutes(-2) : lifetime;
            String token = sign(authenticated ? presentedUser : "", access, now, signed);
            issued.add(token);
            requests.add(new Seen(method, grantType, requestedService, scopes, presentedUser, authenticated, 200));
            StringBuilder json = new StringBuilder("{");
            if (!post) {
                json.append("\"token\":").append(quote(token)).append(',');
            }
            json.append("\"access_token\":").append(quote(token))
                    .append(",\"expires_in\":").append(Math.max(0, lifetime.toSeconds()))
                    .append(",\"issued_at\":").append(quote(now.toString()));
            if (post) {
                json.append(",\"scope\":").append(quote(String.join(" ", scopes)));
                if (identityToken != null && "offline".equals(first(parameters, "access_type"))) {
                    json.append(",\"refresh_token\":").append(quote(identityToken));
                }
            }
            json.append('}');
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            send(exchange, 200, json.toString());
        }
    }

    /** @return type:name to granted actions, each the requested ones the permits allow */
    private Map<String, Map<String, Set<String>>> grant(List<String> scopes) {
        Map<String, Map<String, Set<String>>> access = new LinkedHashMap<>();
        for (String scope : scopes) {
            int firstColon = scope.indexOf(':');
            int lastColon = scope.lastIndexOf(':');
            if (firstColon < 0 || lastColon == firstColon) {
                continue;
            }
            String type = scope.substring(0, firstColon);
            String name = scope.substring(firstColon + 1, lastColon);
            Set<String> actions = new LinkedHashSet<>();
            for (String action : scope.substring(lastColon + 1).split(",")) {
                if (permitted(name, action)) {
                    actions.add(action);
                }
            }
            access.computeIfAbsent(type, t -> new LinkedHashMap<>())
                    .computeIfAbsent(name, n -> new LinkedHashSet<>()).addAll(actions);
        }
        return access;
    }

    private boolean permitted(String repository, String action) {
        if (permits.isEmpty()) {
            return true;
        }
        return permits.entrySet().stream().anyMatch(e -> e.getKey().matcher(repository).matches()
                && (e.getValue().contains(action) || e.getValue().contains("*")));
    }

    private String sign(String subject, Map<String, Map<String, Set<String>>> access, Instant now,
            Duration lifetime) {
        try {
            String header = "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"x5c\":["
                    + quote(Base64.getEncoder().encodeToString(pki.certificate().getEncoded())) + "]}";
            StringBuilder claims = new StringBuilder("{");
            claims.append("\"iss\":").append(quote(issuer))
                    .append(",\"sub\":").append(quote(subject))
                    .append(",\"aud\":").append(quote(service))
                    .append(",\"exp\":").append(now.plus(lifetime).getEpochSecond())
                    .append(",\"nbf\":").append(now.getEpochSecond() - 10)
                    .append(",\"iat\":").append(now.getEpochSecond())
                    .append(",\"jti\":").append(quote(UUID.randomUUID().toString()))
                    .append(",\"access\":[");
            String separator = "";
            for (Map.Entry<String, Map<String, Set<String>>> type : access.entrySet()) {
                for (Map.Entry<String, Set<String>> name : type.getValue().entrySet()) {
                    claims.append(separator).append("{\"type\":").append(quote(type.getKey()))
                            .append(",\"name\":").append(quote(name.getKey())).append(",\"actions\":[");
                    claims.append(String.join(",", name.getValue().stream().map(TokenIssuer::quote).toList()));
                    claims.append("]}");
                    separator = ",";
                }
            }
            claims.append("]}");
            Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
            String input = url.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                    + url.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(pki.privateKey());
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + url.encodeToString(signature.sign());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode the test certificate", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token with the test key", e);
        }
    }

    private static String[] basicCredentials(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    private static void addParameters(Map<String, List<String>> parameters, String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return;
        }
        for (String pair : encoded.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
    }

    private static String first(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /**
     * One request to the realm.
     *
     * @param method GET or POST
     * @param grantType the OAuth2 {@code grant_type} of a POST, else null
     * @param service the {@code service} parameter
     * @param scopes every requested scope, one per entry
     * @param user the user name presented, or null
     * @param authenticated whether the credentials or the identity token were right
     * @param status the answer's status
     */
    public record Seen(String method, String grantType, String service, List<String> scopes, String user,
            boolean authenticated, int status) {}

    /** What the issuer accepts and grants. */
    public static final class Builder {
        private final TestPki pki;
        private String user;
        private String password;
        private String identityToken;
        private String service = "test-registry";
        private String issuer = "test-issuer";
        private boolean rejectBadCredentials;
        private final Map<Pattern, Set<String>> permits = new LinkedHashMap<>();
        private Duration tokenLifetime = Duration.ofMinutes(5);
        private int staleTokens;

        private Builder(TestPki pki) {
            this.pki = pki;
        }

        /** The one user whose Basic credentials (or {@code grant_type=password}) get tokens that grant access. */
        public Builder user(String user, String password) {
            this.user = user;
            this.password = password;
            return this;
        }

        /** The identity (refresh) token accepted by {@code grant_type=refresh_token}, standing for the user. */
        public Builder identityToken(String identityToken) {
            this.identityToken = identityToken;
            return this;
        }

        public Builder service(String service) {
            this.service = service;
            return this;
        }

        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        /** Answers 401 to missing or wrong Basic credentials, instead of a token that grants nothing. */
        public Builder rejectBadCredentials() {
            this.rejectBadCredentials = true;
            return this;
        }

        /**
         * Limits what the user gets: once any permit is given, an action on a repository is granted only if a
         * permit's regex matches the whole repository name and lists the action (or {@code *}). Without permits,
         * the user gets every action asked for.
         */
        public Builder permit(String repositoryRegex, String... actions) {
            permits.put(Pattern.compile(repositoryRegex), Set.of(actions));
            return this;
        }

        /**
         * The first {@code count} tokens are refused by the registry although their {@code expires_in} is the usual
         * one: a token that stops working in the middle of a push, which the client must fetch again.
         */
        public Builder staleTokens(int count) {
            this.staleTokens = count;
            return this;
        }

        /** The lifetime of the tokens (five minutes unless set); see {@link TokenIssuer#tokenLifetime}. */
        public Builder tokenLifetime(Duration tokenLifetime) {
            this.tokenLifetime = tokenLifetime;
            return this;
        }

        public TokenIssuer start() throws IOException {
            return new TokenIssuer(this);
        }
    }
}
