package org.scratchimage.maven;

import java.io.IOException;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.SessionData;
import org.scratchimage.core.BuildRequest;
import org.scratchimage.core.InvalidConfigurationException;
import org.scratchimage.core.OutputClaims;

/**
 * Keeps the {@link OutputClaims} of a Maven session in its repository session's data: a store that lives as long as
 * the session, that every module of a {@code -T} reactor shares (their sessions are copies of one), and that is
 * safe for them to use at once.
 */
final class SessionClaims {
    /** This plugin's class as the key: another version of the plugin in the same build keeps its own claims. */
    private static final Object KEY = OutputClaims.class;

    private SessionClaims() {}

    /**
     * Claims the request's output folder for its image, in the name of this project and execution.
     *
     * @throws InvalidConfigurationException if another execution or project of this session writes another image
     *     into the same folder
     */
    static void claim(MavenSession session, MojoExecution execution, BuildRequest request)
            throws InvalidConfigurationException, IOException {
        RepositorySystemSession repository = session == null ? null : session.getRepositorySession();
        if (repository == null) {
            // The plugin testing harness runs a mojo with a stand-in session that has none: nothing to share.
            return;
        }
        SessionData data = repository.getData();
        if (data.get(KEY) == null) {
            // Only sets it if still unset: the first module of a parallel reactor to get here makes the claims.
            data.set(KEY, null, new OutputClaims());
        }
        MavenProject project = session.getCurrentProject();
        ((OutputClaims) data.get(KEY)).claim(request, project.getGroupId() + ":" + project.getArtifactId()
                + " execution \"" + execution.getExecutionId() + "\"");
    }
}
