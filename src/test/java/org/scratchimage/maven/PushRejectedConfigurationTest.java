package org.scratchimage.maven;

import static org.apache.maven.api.plugin.testing.MojoExtension.setVariableValueToObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.scratchimage.maven.PushMojoFixture.password;
import static org.scratchimage.maven.PushMojoFixture.proxy;
import static org.scratchimage.maven.PushMojoFixture.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.scratchimage.core.BuildResult;
import org.scratchimage.core.oci.OciJson;
import org.scratchimage.testing.registry.RegistryServer;
import org.scratchimage.testing.registry.TinyImage;

/**
 * The push goal's configuration mistakes, one row each, against a real registry with Basic authentication: the goal
 * must fail with a MojoFailureException whose first line names the element, quotes the value (never a secret) and
 * gives a fix, log no stack trace, and push nothing: no blob upload, no manifest, no tag.
 */
@ExtendWith(PushRejectedConfigurationTest.MojoOnly.class)
class PushRejectedConfigurationTest {
    private static final String USER = "alice";
    private static final String PASSWORD = "pw-Secr3t-4711";
    /** An encrypted password with no settings-security.xml to decrypt it: the value must not be quoted. */
    private static final String ENCRYPTED = "{COQLCE6DU6GtcS5P=}";

    private static RegistryServer registry;

    @TempDir
    Path temp;

    private String previousSecurity;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = RegistryServer.builder().htpasswd(USER, PASSWORD).start();
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void noSettingsSecurity() {
        previousSecurity = System.getProperty("settings.security");
        System.setProperty("settings.security", temp.resolve("no-settings-security.xml").toString());
    }

    @AfterEach
    void restoreSettingsSecurity() {
        if (previousSecurity == null) {
            System.clearProperty("settings.security");
        } else {
            System.setProperty("settings.security", previousSecurity);
        }
    }

    static Stream<Rejection> rejections() {
        return Stream.of(
                reject("username-without-password", (m, l) -> set(m, "username", USER),
                        "<username> (scratch.username)", USER, "is set without <password>",
                        "Fix: set <password> (scratch.password) too"),
                reject("password-without-username", (m, l) -> set(m, "password", password(PASSWORD)),
                        "<password> (scratch.password)", null, "is set without <username>",
                        "Fix: set <username> (scratch.username) too"),
                reject("server-id-names-no-server", (m, l) -> {
                    // The registry's own server is there, and complete: <serverId> overrides it all the same.
                    settings(m, server(registry.host(), USER, PASSWORD));
                    set(m, "serverId", "corp-registry");
                }, "<serverId> (scratch.serverId)", "corp-registry", "names no <server> in settings.xml",
                        "Fix: add <server><id>corp-registry</id>"),
                reject("server-id-names-a-server-without-credentials", (m, l) -> {
                    settings(m, server("corp-registry", null, null));
                    set(m, "serverId", "corp-registry");
                }, "settings.xml server", "corp-registry", "which <serverId> names, has no <username> and <password>",
                        "Fix: give the server a <username> and a <password>"),
                reject("settings-server-without-password",
                        (m, l) -> settings(m, server(registry.host(), USER, null)),
                        "settings.xml server", registry.host(), "has a <username> but no <password>",
                        "Fix: give it both"),
                reject("settings-server-without-username",
                        (m, l) -> settings(m, server(registry.host(), null, PASSWORD)),
                        "settings.xml server", registry.host(), "has a <password> but no <username>",
                        "Fix: give it both"),
                reject("settings-server-password-not-decryptable",
                        (m, l) -> settings(m, server(registry.host(), USER, ENCRYPTED)),
                        "settings.xml server", registry.host(), "cannot be decrypted",
                        "Fix: check that settings-security.xml"),
                reject("settings-proxy-password-not-decryptable", (m, l) -> {
                    Settings settings = settings(m);
                    settings.addProxy(proxy("corp-proxy", "proxy.example", 3128, "bob", ENCRYPTED, null));
                }, "settings.xml proxy", "corp-proxy", "cannot be decrypted",
                        "-Dsettings.security", "mvn --encrypt-password"),
                reject("insecure-registry-as-url",
                        (m, l) -> set(m, "insecureRegistries", List.of("https://registry.example:5000")),
                        "<insecureRegistries>/<registry>[1]", "https://registry.example:5000",
                        "is not a registry host", "without a scheme or a path"),
                reject("insecure-registry-with-path",
                        (m, l) -> set(m, "insecureRegistries", List.of(registry.host(), "registry.example/v2")),
                        "<insecureRegistries>/<registry>[2]", "registry.example/v2", "is not a registry host"),
                reject("insecure-registry-empty",
                        (m, l) -> set(m, "insecureRegistries", Arrays.asList(registry.host(), "")),
                        "<insecureRegistries>/<registry>[2]", "", "is not a registry host"),
                reject("to-empty-entry", (m, l) -> to(m, registry.host() + "/team/app:1.0", ""),
                        "<to>/<reference>[2]", "", "is empty", "or remove the empty entry"),
                reject("to-listed-twice", (m, l) -> to(m, registry.host() + "/team/app:1.0",
                        registry.host() + "/team/app:2.0", registry.host() + "/team/app:1.0"),
                        "<to>/<reference>[3]", registry.host() + "/team/app:1.0", "is listed twice",
                        "Fix: list each reference once"),
                // Docker Hub's short names normalise: these two are one reference.
                reject("to-listed-twice-after-normalisation", (m, l) -> to(m, "team/app:1.0", "docker.io/team/app:1.0"),
                        "<to>/<reference>[2]", "docker.io/team/app:1.0", "is listed twice (as docker.io/team/app:1.0)"),
                reject("to-upper-case", (m, l) -> to(m, registry.host() + "/Team/app:1.0"),
                        "<to>/<reference>[1]", registry.host() + "/Team/app:1.0",
                        "has upper-case letters in its repository path \"Team/app\""),
                reject("to-without-tag", (m, l) -> to(m, registry.host() + "/team/app"),
                        "<to>/<reference>[1]", registry.host() + "/team/app", "has no tag",
                        "Fix: add one, such as " + registry.host() + "/team/app:1.0"),
                reject("to-with-digest", (m, l) -> to(m, registry.host() + "/team/app@sha256:" + "a".repeat(64)),
                        "<to>/<reference>[1]", registry.host() + "/team/app@sha256:" + "a".repeat(64),
                        "names a digest, but a push sets tags"),
                reject("to-with-a-layout-of-several-images", (m, l) -> {
                    twoImages(l);
                    to(m, registry.host() + "/team/app:1.0");
                }, "<to> (scratch.to)", null, "is set, but the layout", "holds 2 images",
                        "Fix: remove <to> to push each image under the name in its index.json"),
                reject("no-to-and-an-image-without-name", (m, l) -> {
                    unnamed(l);
                    set(m, "to", null);
                }, OciJson.CONTAINERD_NAME, null, "so it has no name to push it under", "Fix: set <to>"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    @Basedir("/unit/push")
    @InjectMojo(goal = "push")
    void aMistakeFailsNamingElementValueAndFixAndPushesNothing(Rejection rejection, PushMojo mojo) throws Exception {
        BuildResult built = PushMojoFixture.layout(mojo, temp);
        to(mojo, registry.host() + "/team/app:1.0");
        setVariableValueToObject(mojo, "settings", new Settings());
        rejection.setup().apply(mojo, built.layout());
        RecordingLog log = new RecordingLog();
        mojo.setLog(log);
        int mark = registry.mark();

        Throwable thrown = catchThrowable(mojo::execute);

        RecordingLog.assertUserMistake(thrown, rejection.element(), rejection.value(), rejection.says());
        String everything = PushMojoFixture.messages(thrown) + log.all();
        assertThat(everything).doesNotContain(PASSWORD).doesNotContain(ENCRYPTED).doesNotContain("COQLCE6DU6GtcS5P");
        assertThat(log.throwables).isEmpty();
        // Nothing pushed: no request at all reached the registry, and it holds no tag.
        assertThat(registry.requestsSince(mark)).isEmpty();
        assertThat(registry.tags("team/app")).isEmpty();
    }

    private static void set(PushMojo mojo, String field, Object value) throws Exception {
        setVariableValueToObject(mojo, field, value);
    }

    private static void to(PushMojo mojo, String... references) throws Exception {
        set(mojo, "to", new ArrayList<>(Arrays.asList(references)));
    }

    private static Settings settings(PushMojo mojo, Server... servers) throws Exception {
        Settings settings = new Settings();
        for (Server server : servers) {
            settings.addServer(server);
        }
        set(mojo, "settings", settings);
        return settings;
    }

    /** Adds a second image, built from other content, to the layout's index and blobs. */
    private static void twoImages(Path layout) throws Exception {
        Path other = layout.getParent().getParent().resolve("other");
        BuildResult second = TinyImage.build(other, "port=9090\n");
        try (Stream<Path> blobs = Files.list(second.layout().resolve("blobs/sha256"))) {
            for (Path blob : blobs.toList()) {
                Path target = layout.resolve("blobs/sha256").resolve(blob.getFileName());
                if (!Files.exists(target)) {
                    Files.copy(blob, target);
                }
            }
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode index = (ObjectNode) json.readTree(layout.resolve("index.json").toFile());
        ObjectNode otherIndex = (ObjectNode) json.readTree(second.layout().resolve("index.json").toFile());
        ObjectNode added = (ObjectNode) otherIndex.withArray("manifests").get(0);
        ((ObjectNode) added.withObject("/annotations")).put(OciJson.CONTAINERD_NAME, "other:1.0");
        ((ArrayNode) index.withArray("manifests")).add(added);
        json.writeValue(layout.resolve("index.json").toFile(), index);
    }

    /** Removes the name annotations from the layout's index, as a layout another tool wrote may lack them. */
    private static void unnamed(Path layout) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode index = (ObjectNode) json.readTree(layout.resolve("index.json").toFile());
        index.withArray("manifests").forEach(entry -> ((ObjectNode) entry).remove("annotations"));
        json.writeValue(layout.resolve("index.json").toFile(), index);
    }

    /** The harness, injecting the mojo only: JUnit's parameterized test provides the row. */
    static final class MojoOnly extends MojoExtension {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == PushMojo.class && super.supportsParameter(parameter, context);
        }
    }

    /** Changes the mojo, or the layout of the tiny image built for the row. */
    @FunctionalInterface
    interface Setup {
        void apply(PushMojo mojo, Path layout) throws Exception;
    }

    private static Rejection reject(String name, Setup setup, String element, String value, String... says) {
        return new Rejection(name, setup, element, value, List.of(says));
    }

    /**
     * One case: {@code setup} breaks one thing; the error's first line must name {@code element}, quote
     * {@code value} (unless it is null) and hold each of {@code says}.
     */
    record Rejection(String name, Setup setup, String element, String value, List<String> says) {
        @Override
        public String toString() {
            return name;
        }
    }
}
