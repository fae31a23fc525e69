package org.scratchimage.maven;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.PluginParameterExpressionEvaluator;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.codehaus.plexus.component.configurator.expression.ExpressionEvaluationException;
import org.codehaus.plexus.configuration.PlexusConfiguration;
import org.scratchimage.core.ImagePusher;
import org.scratchimage.core.PushRequest;
import org.scratchimage.core.credentials.Credentials;
import org.scratchimage.core.credentials.UserEnvironment;
import org.scratchimage.core.oci.ImageMetadata;
import org.scratchimage.core.registry.CredentialSource;
import org.scratchimage.core.registry.RegistryException;

/**
 * Pushes the image that {@code scratch:build} wrote into the OCI layout to its registry, or to the references of
 * {@code <to>}: {@code mvn package scratch:push}. Blobs the registry holds are skipped; the manifest is put last, so
 * that no tag points at a partial image. Credentials come from {@code <username>}/{@code <password>}, then
 * settings.xml, then the Docker config and the containers auth file; none means anonymous.
 *
 * @since 0.1.0
 */
@Mojo(name = "push", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class PushMojo extends AbstractScratchMojo {

    /**
     * The references to push to, each with a tag, such as {@code registry.example.org/team/app:1.0}; a name without a
     * registry host means Docker Hub. It replaces the default: every image of the layout under the name it was built
     * with ({@code <image>:<tag>} of {@code scratch:build}). From the command line:
     * {@code -Dscratch.to=registry.example.org/team/app:1.0,registry.example.org/team/app:latest}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "scratch.to")
    private List<String> to;

    /**
     * The user name for every registry of the push, with {@code <password>}. Tried before settings.xml.
     *
     * @since 0.1.0
     */
    @Parameter(property = "scratch.username")
    private String username;

    /**
     * The password or token for {@code <username>}. Pass it with {@code -Dscratch.password}, not in the pom: Maven
     * resolves a value written in the pom, {@code ${env.REGISTRY_TOKEN}} included, before the goal runs, and prints
     * it at {@code -X}. In CI, a settings.xml {@code <server>} whose password is {@code ${env.REGISTRY_TOKEN}} keeps
     * it out of the command line and of the log.
     *
     * @since 0.1.0
     */
    // Not a String: Maven's -X prints every parameter's value as it sets it, and this one would be the secret. A
    // PlexusConfiguration set by -Dscratch.password reaches the mojo unevaluated (-X shows ${scratch.password}); it
    // is evaluated here. A value in the pom was resolved by Maven's model interpolation, and -X already printed it.
    @Parameter(property = "scratch.password")
    private PlexusConfiguration password;

    /**
     * The {@code <id>} of the {@code <server>} in settings.xml that holds the credentials. Default: the registry,
     * {@code host:port} when the reference has a port, else the host.
     *
     * @since 0.1.0
     */
    @Parameter(property = "scratch.serverId")
    private String serverId;

    /**
     * Registries, {@code host} or {@code host:port}, that may be reached over plain HTTP or with a certificate the
     * JVM does not trust. Each use is warned about. Loopback registries ({@code localhost}, {@code 127.0.0.0/8},
     * {@code [::1]}) may use plain HTTP without being listed. No credentials are sent over plain HTTP to a registry that
     * is not loopback.
     *
     * @since 0.1.0
     */
    @Parameter(property = "scratch.insecureRegistries")
    private List<String> insecureRegistries;

    /**
     * Skips this goal only: {@code true} or {@code false}, in any case. {@code <skip>} skips every goal.
     *
     * @since 0.1.0
     */
    @Parameter(property = "scratch.push.skip", defaultValue = "false")
    private String skipPush;

    /** Maven's settings: the {@code <server>} credentials and the active {@code <proxy>}. */
    @Parameter(defaultValue = "${settings}", readonly = true, required = true)
    private Settings settings;

    /** Where {@code scratch-image.json} is written. */
    @Parameter(defaultValue = "${project.build.directory}", readonly = true, required = true)
    private File buildDirectory;

    /** The session, to evaluate {@code <password>}. */
    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    /** This execution, to evaluate {@code <password>}. */
    @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
    private MojoExecution mojoExecution;

    @Inject
    private SettingsDecrypter decrypter;

    public PushMojo() {
        super("push");
    }

    @Override
    protected boolean isSkipped() throws MojoFailureException {
        // Both are checked, so that a typo in either fails instead of pushing.
        boolean skipAll = super.isSkipped();
        return flag("<skipPush> (scratch.push.skip)", skipPush, false) || skipAll;
    }

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        try {
            new ImagePusher(new MavenLogListener(getLog())).push(request());
        } catch (RegistryException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("Could not push the image in " + outputDirectory() + ": "
                    + IoMessages.describe(e) + ". No tag was put for an image whose blobs did not all arrive. Fix:"
                    + " check that the registry is reachable and working, then push again; blobs already sent are"
                    + " not sent again", e);
        }
    }

    PushRequest request() throws MojoFailureException, RegistryException {
        return PushRequest.builder()
                .outputDirectory(outputDirectory().toPath())
                .to(to)
                .credentials(credentialSources())
                .insecureRegistries(insecureRegistries)
                .proxies(SettingsProxies.of(settings, decrypter))
                .imageFile(buildDirectory.toPath().resolve(ImageMetadata.FILE_NAME))
                .build();
    }

    /** In the issue's order: the pom, settings.xml, the Docker config, the containers auth file; then anonymous. */
    private List<CredentialSource> credentialSources() throws MojoFailureException {
        List<CredentialSource> sources = new ArrayList<>();
        String user = username == null || username.isBlank() ? null : username.strip();
        String secret = password();
        if (user != null && secret != null) {
            sources.add(new ParameterCredentials(user, secret));
        } else if (user != null || secret != null) {
            throw new MojoFailureException(user != null
                    ? "<username> (scratch.username) \"" + user + "\" is set without <password>. Fix: set"
                            + " <password> (scratch.password) too, or remove <username> to use settings.xml or the"
                            + " Docker config"
                    : "<password> (scratch.password) is set without <username>. Fix: set <username>"
                            + " (scratch.username) too, or remove <password>");
        }
        sources.add(new SettingsCredentials(settings, decrypter, serverId));
        sources.addAll(Credentials.fromUserFiles(UserEnvironment.current()));
        return sources;
    }

    /** @return {@code <password>} evaluated, or {@code null} when it is not set or empty */
    private String password() throws MojoFailureException {
        if (password == null || password.getValue(null) == null) {
            return null;
        }
        String configured = password.getValue(null);
        if (!configured.contains("${")) {
            getLog().warn("<password> is set in the pom: Maven resolves a value written there, ${env.X} included,"
                    + " before the goal runs, and prints it at -X. Fix: pass it with -Dscratch.password, or put it in"
                    + " a settings.xml <server>");
        }
        Object value;
        try {
            value = new PluginParameterExpressionEvaluator(session, mojoExecution).evaluate(configured);
        } catch (ExpressionEvaluationException e) {
            // The message would quote the expression, not its value; still, say only which parameter.
            throw new MojoFailureException("<password> (scratch.password) cannot be evaluated. Fix: pass the value"
                    + " itself with -Dscratch.password");
        }
        return value == null || value.toString().isEmpty() ? null : value.toString();
    }
}
