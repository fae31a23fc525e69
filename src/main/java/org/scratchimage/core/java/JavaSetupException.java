package org.scratchimage.core.java;

/**
 * A {@code <java>} setting the build cannot use: a JDK that cannot link, a module it does not have, a jar with no
 * main class. The package knows no XML; the core maps {@link #setting()} to its element.
 */
public final class JavaSetupException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String setting;
    private final String value;
    private final String problem;
    private final String fix;

    /**
     * @param setting the setting at fault: {@code jdk}, {@code modules} or {@code mainClass}
     * @param value the value as given, or {@code null}
     * @param problem what is wrong, a sentence fragment that follows the value
     * @param fix how to correct it
     */
    public JavaSetupException(String setting, String value, String problem, String fix) {
        super(setting + (value == null ? "" : " \"" + value + '"') + ' ' + problem + ". Fix: " + fix);
        this.setting = setting;
        this.value = value;
        this.problem = problem;
        this.fix = fix;
    }

    /** @return the setting at fault: {@code jdk}, {@code modules} or {@code mainClass} */
    public String setting() {
        return setting;
    }

    /** @return the value as given, or {@code null} */
    public String value() {
        return value;
    }

    /** @return what is wrong */
    public String problem() {
        return problem;
    }

    /** @return how to correct it */
    public String fix() {
        return fix;
    }
}
