package org.scratchimage.maven;

import java.io.File;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * What every goal of the plugin shares: the OCI image layout it works on, and the switch that skips it.
 */
public abstract class AbstractScratchMojo extends AbstractMojo {

    /**
     * Where the OCI image layout is written. The folder must be new, empty, or hold a layout this plugin wrote:
     * anything else is refused, never deleted.
     *
     * @since 0.1.0
     */
    @Parameter(property = "scratch.outputDirectory", defaultValue = "${project.build.directory}/oci", required = true)
    private File outputDirectory;

    /**
     * Skips the goal.
     *
     * @since 0.1.0
     */
    @Parameter(property = "scratch.skip", defaultValue = "false")
    private boolean skip;

    private final String goal;

    /** @param goal the goal's name, for the log */
    protected AbstractScratchMojo(String goal) {
        this.goal = goal;
    }

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (isSkipped()) {
            getLog().info("Skipping scratch:" + goal + " per configuration.");
            return;
        }
        run();
    }

    /** Runs the goal, unless it is skipped. */
    protected abstract void run() throws MojoExecutionException, MojoFailureException;

    /** @return whether {@code <skip>} is set; a goal may add a switch of its own */
    protected boolean isSkipped() {
        return skip;
    }

    /** @return the folder of the OCI image layout */
    protected File outputDirectory() {
        return outputDirectory;
    }
}
