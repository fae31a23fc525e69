package org.scratchimage.maven;

import static org.apache.maven.api.plugin.testing.MojoExtension.setVariableValueToObject;

import java.nio.file.Path;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Server;
import org.codehaus.plexus.configuration.PlexusConfiguration;
import org.codehaus.plexus.configuration.xml.XmlPlexusConfiguration;
import org.scratchimage.core.BuildResult;
import org.scratchimage.testing.registry.TinyImage;

/** What the push mojo tests share: a built layout, settings entries, {@code <password>}, and a log that records. */
final class PushMojoFixture {
    private PushMojoFixture() {}

    /** Builds the tiny image into {@code directory/target/oci} and points the mojo at it. */
    static BuildResult layout(PushMojo mojo, Path directory) throws Exception {
        BuildResult built = TinyImage.build(directory, "port=8080\n");
        setVariableValueToObject(mojo, "outputDirectory", built.layout().toFile());
        setVariableValueToObject(mojo, "buildDirectory", directory.resolve("target").toFile());
        return built;
    }

    /** @return {@code <password>} as Maven hands it over: unevaluated configuration */
    static PlexusConfiguration password(String value) {
        XmlPlexusConfiguration password = new XmlPlexusConfiguration("password");
        password.setValue(value);
        return password;
    }

    static Server server(String id, String username, String password) {
        Server server = new Server();
        server.setId(id);
        server.setUsername(username);
        server.setPassword(password);
        return server;
    }

    static Proxy proxy(String id, String host, int port, String username, String password, String nonProxyHosts) {
        Proxy proxy = new Proxy();
        proxy.setId(id);
        proxy.setProtocol("http");
        proxy.setHost(host);
        proxy.setPort(port);
        proxy.setUsername(username);
        proxy.setPassword(password);
        proxy.setNonProxyHosts(nonProxyHosts);
        return proxy;
    }

    /** @return the messages of the throwable and all its causes and suppressed ones, to search for secrets */
    static String messages(Throwable thrown) {
        StringBuilder all = new StringBuilder();
        collect(thrown, all, 0);
        return all.toString();
    }

    private static void collect(Throwable thrown, StringBuilder all, int depth) {
        if (thrown == null || depth > 20) {
            return;
        }
        all.append(thrown).append('\n');
        for (Throwable suppressed : thrown.getSuppressed()) {
            collect(suppressed, all, depth + 1);
        }
        collect(thrown.getCause(), all, depth + 1);
    }
}
