package org.scratchimage.maven;

import java.io.File;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.scratchimage.core.InvalidConfigurationException;
import org.scratchimage.core.Values;

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
     * Skips the goal: {@code true} or {@code false}, in any case. Any other value fails the build rather than being
     * read as {@code false}.
     *
     * @since 0.1.0
     */
    // A String, not a boolean: Maven would read a typo such as "yes" as false and build.
    @Parameter(property = "scratch.skip", defaultValue = "false")
    private String skip;

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

    /**
     * @return whether {@code <skip>} is true; a goal may add a switch of its own, read with {@link #flag}
     * @throws MojoFailureException if it is neither true nor false: checked before anything is skipped or built
     */
    protected boolean isSkipped() throws MojoFailureException {
        return flag("<skip> (scratch.skip)", skip, false);
    }

    /**
     * Reads a switch of the goal, as {@link Values#flag} does.
     *
     * @param element the element and its user property, such as {@code <skip> (scratch.skip)}
     * @param value the parameter's value
     * @param unset the value when it is not set or blank
     * @return the switch
     * @throws MojoFailureException if the value is neither true nor false, in any case
     */
    protected static boolean flag(String element, String value, boolean unset) throws MojoFailureException {
        try {
            Boolean flag = Values.flag(element, value);
            return flag == null ? unset : flag;
        } catch (InvalidConfigurationException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
    }

    /** @return the folder of the OCI image layout */
    protected File outputDirectory() {
        return outputDirectory;
    }
}
