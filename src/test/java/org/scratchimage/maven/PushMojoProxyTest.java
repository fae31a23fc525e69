package org.scratchimage.maven;

import static org.apache.maven.api.plugin.testing.MojoExtension.setVariableValueToObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.scratchimage.maven.PushMojoFixture.layout;
import static org.scratchimage.maven.PushMojoFixture.proxy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.settings.Settings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.BuildResult;
import org.scratchimage.testing.registry.ForwardProxy;
import org.scratchimage.testing.registry.NonLoopbackAddress;
import org.scratchimage.testing.registry.RegistryServer;
import org.scratchimage.testing.registry.TestPki;

/**
 * settings.xml's {@code <proxy>} end to end: the client sends loopback registries past any proxy, so the registry
 * here listens on a non-loopback address of this machine, reached over plain HTTP as an insecure registry, and the
 * proxy is a {@link ForwardProxy} written in the tests that records what it is sent.
 */
@MojoTest
class PushMojoProxyTest {
    private static final String PROXY_USER = "proxy-user";
    private static final String PROXY_PASSWORD = "proxy-Pw-0815";
    private static final String PROXY_AUTHORIZATION = "Basic " + Base64.getEncoder().encodeToString(
            (PROXY_USER + ':' + PROXY_PASSWORD).getBytes(StandardCharsets.UTF_8));

    private static NonLoopbackAddress address;

    @TempDir
    Path temp;

    @BeforeAll
    static void findAddress() throws Exception {
        address = NonLoopbackAddress.find();
    }

    @AfterAll
    static void releaseAddress() {
        if (address != null) {
            address.close();
        }
    }

    @Test
    @Basedir("/unit/push")
    @InjectMojo(goal = "push")
    void aRemoteRegistryIsReachedThroughTheProxyWhichAloneGetsTheProxyCredentials(PushMojo mojo) throws Exception {
        try (RegistryServer registry = RegistryServer.builder().bind(address.text()).start();
                ForwardProxy proxy = ForwardProxy.builder().requireBasic(PROXY_USER, PROXY_PASSWORD).start()) {
            BuildResult built = configure(mojo, registry.host(), proxy(proxy, null));
            RecordingLog log = new RecordingLog();
            mojo.setLog(log);

            mojo.execute();

            assertThat(registry.tagDigest("team/app", "1.0")).contains(built.manifestDigest());
            List<ForwardProxy.Seen> seen = proxy.requests();
            // First the probe for HTTPS: a CONNECT, from which the JDK leaves Basic proxy credentials off by default
            // (jdk.http.auth.tunneling.disabledSchemes), so the proxy refuses it and the client goes plain HTTP.
            assertThat(seen.get(0)).isEqualTo(new ForwardProxy.Seen("CONNECT", registry.host(), null, null, 407));
            // Then every request as an absolute-form request for the registry's address, with the proxy's
            // credentials and no registry credentials (none go to a remote registry over plain HTTP).
            List<ForwardProxy.Seen> plain = seen.subList(1, seen.size());
            assertThat(plain).as("requests through the proxy").isNotEmpty()
                    .allSatisfy(r -> assertThat(r.proxyAuthorization()).isEqualTo(PROXY_AUTHORIZATION))
                    .allSatisfy(r -> assertThat(r.status()).isZero())
                    .allSatisfy(r -> assertThat(r.target()).startsWith("http://" + registry.host() + "/v2/"))
                    .allSatisfy(r -> assertThat(r.authorization()).isNull())
                    .anySatisfy(r -> assertThat(r.method() + ' ' + r.target()).isEqualTo(
                            "PUT http://" + registry.host() + "/v2/team/app/manifests/1.0"));
            assertThat(log.all()).doesNotContain(PROXY_PASSWORD)
                    .doesNotContain(PROXY_AUTHORIZATION.substring("Basic ".length()))
                    .contains("[warn] Registry " + registry.host() + " is in <insecureRegistries>: talking plain"
                            + " HTTP to it, without credentials");
        }
    }

    @Test
    @Basedir("/unit/push")
    @InjectMojo(goal = "push")
    void anHttpsRegistryIsReachedThroughATunnelThatTheProxyOpens(PushMojo mojo) throws Exception {
        // The certificate names 127.0.0.1, not this address: <insecureRegistries> accepts it anyway.
        try (RegistryServer registry = RegistryServer.builder().bind(address.text()).tls(TestPki.shared()).start();
                ForwardProxy proxy = ForwardProxy.builder().start()) {
            BuildResult built = configure(mojo, registry.host(),
                    PushMojoFixture.proxy("corp-proxy", proxy.address(), proxy.port(), null, null, null));
            RecordingLog log = new RecordingLog();
            mojo.setLog(log);

            mojo.execute();

            assertThat(registry.tagDigest("team/app", "1.0")).contains(built.manifestDigest());
            assertThat(proxy.requests()).isNotEmpty()
                    .allSatisfy(r -> assertThat(r).isEqualTo(new ForwardProxy.Seen("CONNECT", registry.host(), null,
                            null, 0)));
            assertThat(log.all()).contains("[warn] Registry " + registry.host() + " is in <insecureRegistries>:"
                    + " accepting any certificate from it");
        }
    }

    @Test
    @Basedir("/unit/push")
    @InjectMojo(goal = "push")
    void nonProxyHostsSendsTheRegistryPastTheProxyAndNoProxyCredentialsReachIt(PushMojo mojo) throws Exception {
        // The registry's side is a relay on the non-loopback address that records what reaches it.
        try (RegistryServer registry = RegistryServer.anonymous();
                ForwardProxy front = ForwardProxy.builder().bind(address.address()).origin(registry.host()).start();
                ForwardProxy proxy = ForwardProxy.builder().requireBasic(PROXY_USER, PROXY_PASSWORD).start()) {
            String pattern = "*" + address.text().substring(address.text().indexOf('.')) + "|other.example";
            BuildResult built = configure(mojo, front.host(), proxy(proxy, pattern));
            mojo.setLog(new RecordingLog());

            mojo.execute();

            assertThat(registry.tagDigest("team/app", "1.0")).contains(built.manifestDigest());
            assertThat(proxy.requests()).isEmpty();
            assertThat(front.requests()).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.target()).startsWith("/v2/"))
                    .allSatisfy(r -> assertThat(r.proxyAuthorization()).isNull())
                    .allSatisfy(r -> assertThat(r.authorization()).isNull());
        }
    }

    @Test
    @Basedir("/unit/push")
    @InjectMojo(goal = "push")
    void wrongProxyCredentialsFailNamingTheProxyNotThePassword(PushMojo mojo) throws Exception {
        try (RegistryServer registry = RegistryServer.builder().bind(address.text()).start();
                ForwardProxy proxy = ForwardProxy.builder().requireBasic(PROXY_USER, "another-password").start()) {
            configure(mojo, registry.host(), proxy(proxy, null));
            RecordingLog log = new RecordingLog();
            mojo.setLog(log);

            Throwable thrown = catchThrowable(mojo::execute);

            assertThat(thrown).isExactlyInstanceOf(MojoFailureException.class).hasMessage("The HTTP proxy to registry "
                    + registry.host() + " answered 407 to GET /v2/: it wants credentials, or refused those of the"
                    + " settings.xml <proxy>. Fix: give the active settings.xml <proxy> the right <username> and"
                    + " <password>; for an HTTPS registry the JDK sends Basic proxy credentials only when Maven runs"
                    + " with -Djdk.http.auth.tunneling.disabledSchemes= (empty), for example in .mvn/jvm.config");
            // The tunnel for the HTTPS probe, then the plain GET: both refused (the JDK may try the CONNECT twice).
            assertThat(proxy.requests()).allSatisfy(r -> assertThat(r.status()).isEqualTo(407))
                    .anySatisfy(r -> assertThat(r.method()).isEqualTo("CONNECT"))
                    .anySatisfy(r -> assertThat(r.method() + ' ' + r.target()).isEqualTo(
                            "GET http://" + registry.host() + "/v2/"));
            assertThat(log.throwables).isEmpty();
            assertThat(PushMojoFixture.messages(thrown) + log.all()).doesNotContain(PROXY_PASSWORD)
                    .doesNotContain(PROXY_AUTHORIZATION.substring("Basic ".length()));
            assertThat(registry.tags("team/app")).isEmpty();
        }
    }

    @Test
    @Basedir("/unit/push")
    @InjectMojo(goal = "push")
    void credentialsAreNeverSentOverPlainHttpToARemoteRegistry(PushMojo mojo) throws Exception {
        // No proxy: the remote address alone makes plain HTTP unfit for credentials, <insecureRegistries> or not.
        try (RegistryServer registry = RegistryServer.builder().bind(address.text()).htpasswd("alice", "pw-4711")
                .start()) {
            layout(mojo, temp);
            setVariableValueToObject(mojo, "to", List.of(registry.host() + "/team/app:1.0"));
            setVariableValueToObject(mojo, "insecureRegistries", List.of(registry.host()));
            setVariableValueToObject(mojo, "username", "alice");
            setVariableValueToObject(mojo, "password", PushMojoFixture.password("pw-4711"));
            mojo.setLog(new RecordingLog());

            Throwable thrown = catchThrowable(mojo::execute);

            assertThat(thrown).isExactlyInstanceOf(MojoFailureException.class).hasMessage("Registry "
                    + registry.host() + " would get the credentials from <username> and <password> (scratch.username)"
                    + " over plain HTTP (http://" + address.text() + "), which Scratch never sends to a host that is"
                    + " not loopback. Fix: serve " + address.text() + " over HTTPS (<insecureRegistries> accepts an"
                    + " untrusted certificate), or push anonymously");
            assertThat(registry.tags("team/app")).isEmpty();
        }
    }

    @Test
    @Basedir("/unit/push")
    @InjectMojo(goal = "push")
    void aRemotePlainHttpRegistryNotListedAsInsecureIsRefused(PushMojo mojo) throws Exception {
        try (RegistryServer registry = RegistryServer.builder().bind(address.text()).start()) {
            layout(mojo, temp);
            setVariableValueToObject(mojo, "to", List.of(registry.host() + "/team/app:1.0"));
            mojo.setLog(new RecordingLog());

            Throwable thrown = catchThrowable(mojo::execute);

            assertThat(thrown).isExactlyInstanceOf(MojoFailureException.class);
            assertThat(thrown.getMessage()).startsWith("Registry " + registry.host() + " does not speak TLS at "
                    + registry.host() + " (").endsWith(". Fix: serve it over HTTPS, or, if it serves plain HTTP on"
                    + " purpose, list " + registry.host() + " in <insecureRegistries> (no credentials are sent to it"
                    + " then)");
            assertThat(registry.tags("team/app")).isEmpty();
        }
    }

    private org.apache.maven.settings.Proxy proxy(ForwardProxy proxy, String nonProxyHosts) {
        return PushMojoFixture.proxy("corp-proxy", proxy.address(), proxy.port(), PROXY_USER, PROXY_PASSWORD,
                nonProxyHosts);
    }

    private BuildResult configure(PushMojo mojo, String registryHost, org.apache.maven.settings.Proxy proxy)
            throws Exception {
        BuildResult built = layout(mojo, temp);
        Settings settings = new Settings();
        settings.addProxy(proxy);
        setVariableValueToObject(mojo, "settings", settings);
        setVariableValueToObject(mojo, "to", List.of(registryHost + "/team/app:1.0"));
        setVariableValueToObject(mojo, "insecureRegistries", List.of(registryHost));
        return built;
    }
}
