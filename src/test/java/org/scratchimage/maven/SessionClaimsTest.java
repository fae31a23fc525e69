package org.scratchimage.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.DefaultMavenExecutionResult;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.descriptor.MojoDescriptor;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.BuildRequest;
import org.scratchimage.core.InvalidConfigurationException;

/**
 * The claims live in the Maven session, with real sessions: a -T reactor builds each module in a copy of the
 * session, and those copies must see one another's claims; the next Maven run starts afresh.
 */
class SessionClaimsTest {
    @TempDir
    Path temp;

    @SuppressWarnings("deprecation")
    private static MavenSession session() {
        return new MavenSession(null, new DefaultRepositorySystemSession(), new DefaultMavenExecutionRequest(),
                new DefaultMavenExecutionResult());
    }

    /** The copy of the session that a module of a -T reactor is built in. */
    private static MavenSession module(MavenSession session, String artifactId) {
        MavenSession copy = session.clone();
        MavenProject project = new MavenProject();
        project.setGroupId("org.example");
        project.setArtifactId(artifactId);
        copy.setCurrentProject(project);
        return copy;
    }

    private static MojoExecution execution(String id) {
        return new MojoExecution(new MojoDescriptor(), id);
    }

    private BuildRequest request(String image) {
        return BuildRequest.builder().baseDirectory(temp).outputDirectory(Path.of("target/oci")).image(image).build();
    }

    @Test
    void twoModulesOfOneSessionWritingTwoImagesIntoOneFolderFailNamingBoth() throws Exception {
        MavenSession session = session();
        SessionClaims.claim(module(session, "app"), execution("default"), request("app"));

        InvalidConfigurationException e = catchThrowableOfType(InvalidConfigurationException.class,
                () -> SessionClaims.claim(module(session, "tools"), execution("debug"), request("tools")));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith("<outputDirectory> \"" + temp.toRealPath().resolve("target/oci") + "\"")
                .contains("image \"app\" from org.example:app execution \"default\"")
                .contains("org.example:tools execution \"debug\" would replace it with image \"tools\"");
    }

    @Test
    void theNextSessionMayRenameTheImage() throws Exception {
        SessionClaims.claim(module(session(), "app"), execution("default"), request("app"));
        SessionClaims.claim(module(session(), "app"), execution("default"), request("renamed"));
    }
}
