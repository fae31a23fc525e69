package org.scratchimage.maven;

import static org.apache.maven.api.plugin.testing.MojoExtension.setVariableValueToObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.maven.plugin.logging.SystemStreamLog;
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

    /**
     * Maven's console log at debug level, which keeps every line (prefixed with its level) and every throwable it
     * is given: each throwable would print a stack trace.
     */
    static final class RecordingLog extends SystemStreamLog {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<Throwable> throwables = new CopyOnWriteArrayList<>();

        @Override
        public boolean isDebugEnabled() {
            return true;
        }

        @Override
        public void debug(CharSequence content) {
            lines.add("[debug] " + content);
        }

        @Override
        public void debug(CharSequence content, Throwable error) {
            lines.add("[debug] " + content);
            throwables.add(error);
        }

        @Override
        public void debug(Throwable error) {
            throwables.add(error);
        }

        @Override
        public void info(CharSequence content) {
            lines.add("[info] " + content);
        }

        @Override
        public void info(CharSequence content, Throwable error) {
            lines.add("[info] " + content);
            throwables.add(error);
        }

        @Override
        public void info(Throwable error) {
            throwables.add(error);
        }

        @Override
        public void warn(CharSequence content) {
            lines.add("[warn] " + content);
        }

        @Override
        public void warn(CharSequence content, Throwable error) {
            lines.add("[warn] " + content);
            throwables.add(error);
        }

        @Override
        public void warn(Throwable error) {
            throwables.add(error);
        }

        @Override
        public void error(CharSequence content) {
            lines.add("[error] " + content);
        }

        @Override
        public void error(CharSequence content, Throwable error) {
            lines.add("[error] " + content);
            throwables.add(error);
        }

        @Override
        public void error(Throwable error) {
            throwables.add(error);
        }

        /** @return every line so far, one per line */
        String all() {
            return String.join("\n", new ArrayList<>(lines));
        }
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
