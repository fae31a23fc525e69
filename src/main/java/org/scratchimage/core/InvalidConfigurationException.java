package org.scratchimage.core;

/**
 * A mistake in the image configuration that the user must fix.
 *
 * <p>The message names the configuration element, the offending value and the fix, in that order, so
 * that a build log alone is enough to correct the pom.
 */
public final class InvalidConfigurationException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String element;
    private final String value;
    private final String fix;

    /**
     * @param element the configuration element, written as XML, e.g. {@code <binaries>/<binary>[2]/<path>}
     * @param value the offending value as the user wrote it, or {@code null} when there is none
     * @param problem what is wrong, as a sentence fragment that follows the value
     * @param fix how to correct it
     */
    public InvalidConfigurationException(String element, String value, String problem, String fix) {
        super(format(element, value, problem, fix));
        this.element = element;
        this.value = value;
        this.fix = fix;
    }

    private static String format(String element, String value, String problem, String fix) {
        StringBuilder message = new StringBuilder(element);
        if (value != null) {
            message.append(" \"").append(value).append('"');
        }
        return message.append(' ').append(problem).append(". Fix: ").append(fix).toString();
    }

    /** @return the configuration element at fault, written as XML */
    public String element() {
        return element;
    }

    /** @return the offending value, or {@code null} */
    public String value() {
        return value;
    }

    /** @return how to correct the configuration */
    public String fix() {
        return fix;
    }
}
