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
    private final String subject;
    private final String problem;

    /**
     * @param element the configuration element, written as XML, e.g. {@code <binaries>/<binary>[2]/<path>}
     * @param value the offending value as the user wrote it, or {@code null} when there is none
     * @param problem what is wrong, as a sentence fragment that follows the value
     * @param fix how to correct it
     */
    public InvalidConfigurationException(String element, String value, String problem, String fix) {
        this(element, value, value == null ? element : element + " \"" + value + '"', problem, fix);
    }

    private InvalidConfigurationException(String element, String value, String subject, String problem, String fix) {
        super(subject + ' ' + problem + ". Fix: " + fix);
        this.element = element;
        this.value = value;
        this.fix = fix;
        this.subject = subject;
        this.problem = problem;
    }

    /**
     * A mistake in a value the build chose because {@code element} is not set, not in one the user wrote: the message
     * starts with {@code subject}, which says where the value came from, since there is no ELEMENT "VALUE" to quote.
     *
     * @param element the element that is not set, whose default {@code value} is
     * @param value the default value
     * @param subject what the message says instead of ELEMENT "VALUE", quoting {@code value}
     * @param problem what is wrong, as a sentence fragment that follows the subject
     * @param fix how to correct it
     * @return the exception
     */
    static InvalidConfigurationException inDefault(String element, String value, String subject, String problem,
            String fix) {
        return new InvalidConfigurationException(element, value, subject, problem, fix);
    }

    /**
     * @param platform the platform of {@code <platforms>} whose planning found this mistake, such as
     *     {@code linux/arm64 (<platforms>/<platform>[2])}
     * @return this mistake, its message saying after the element and value in which platform it was found:
     *     {@code ELEMENT "VALUE" of PLATFORM problem. Fix: fix}
     */
    InvalidConfigurationException inPlatform(String platform) {
        InvalidConfigurationException e = new InvalidConfigurationException(element, value,
                subject + " of " + platform, problem, fix);
        e.setStackTrace(getStackTrace());
        return e;
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
