package org.scratchimage.core;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parsers for the scalar values of the configuration; each names the element in its error. Only {@link #flag} is
 * public: the goals read their own switches, such as {@code <skip>}, with it.
 */
public final class Values {
    /** Largest id accepted: Linux ids are 32-bit and (uid_t) -1 means "no change". */
    static final long MAX_ID = 4_294_967_294L;
    /** Largest id a runtime accepts in {@code <user>}: runc parses them as signed 32-bit numbers. */
    static final long MAX_USER_ID = 2_147_483_647L;

    private static final Pattern MODE = Pattern.compile("[0-7]{1,4}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final Pattern IMAGE = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]+)?/)?"
                    + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");
    private static final Pattern LAYER = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");
    private static final Pattern PORT = Pattern.compile("([0-9]{1,5})(?:/(tcp|udp|sctp))?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern USER = Pattern.compile("[^:\\s]+(?::[^:\\s]+)?");
    /**
     * The real-time signal names that Docker, containerd and podman know (moby/sys signal's map): SIGRTMIN is 34 and
     * SIGRTMAX 64, so RTMIN+1 to RTMIN+15 and RTMAX-14 to RTMAX-1 name 35 to 63 once each. Any other name, even one
     * within 64 such as RTMIN+20, is an unknown signal to them: write the number instead.
     */
    private static final Pattern REALTIME_SIGNAL =
            Pattern.compile("RTMIN(?:\\+(?:[1-9]|1[0-5]))?|RTMAX(?:-(?:[1-9]|1[0-4]))?");
    private static final Set<String> SIGNALS = Set.of(
            "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "IOT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
            "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ",
            "VTALRM", "PROF", "WINCH", "IO", "POLL", "PWR", "SYS");

    private Values() {}

    static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /** Maven passes an empty element as {@code null}; quote it as the empty string, not as "null". */
    private static String asWritten(String value) {
        return value == null ? "" : value;
    }

    /** Parses octal permission bits such as {@code 755}, {@code 0755}, {@code 1777} or {@code 4755}. */
    static int mode(String element, String value, int defaultMode) throws InvalidConfigurationException {
        if (isBlank(value)) {
            return defaultMode;
        }
        String trimmed = value.trim();
        if (!MODE.matcher(trimmed).matches()) {
            throw new InvalidConfigurationException(element, value, "is not an octal mode",
                    "write up to four octal digits, such as 755, 0644, 1777 or 4755");
        }
        return Integer.parseInt(trimmed, 8);
    }

    /** Parses a numeric user or group id. */
    static long id(String element, String value) throws InvalidConfigurationException {
        if (isBlank(value)) {
            return 0;
        }
        String trimmed = value.trim();
        if (!DIGITS.matcher(trimmed).matches() || trimmed.length() > 10 || Long.parseLong(trimmed) > MAX_ID) {
            throw new InvalidConfigurationException(element, value, "is not a numeric id",
                    "write a whole number from 0 to " + MAX_ID + "; names are not resolved because the image has no /etc/passwd of the host");
        }
        return Long.parseLong(trimmed);
    }

    /** A layer name, or {@code defaultName} when not set: lowercase words joined by '.', '_' or '-'. */
    static String layer(String element, String value, String defaultName) throws InvalidConfigurationException {
        if (value == null) {
            return defaultName;
        }
        String trimmed = value.trim();
        if (trimmed.length() > 64 || !LAYER.matcher(trimmed).matches()) {
            throw new InvalidConfigurationException(element, value, "is not a layer name",
                    "use 1 to 64 lowercase letters and digits, joined by single '.', '_' or '-', such as app,"
                            + " libraries or runtime");
        }
        return trimmed;
    }

    /** @return whether {@code value} is a tag by the OCI reference grammar */
    static boolean isTag(String value) {
        return value != null && TAG.matcher(value).matches();
    }

    /** Checks a tag against the OCI reference grammar. */
    static String tag(String element, String value) throws InvalidConfigurationException {
        if (!isTag(value)) {
            throw new InvalidConfigurationException(element, asWritten(value), "is not a valid tag",
                    "use 1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-', such as 1.0 or latest");
        }
        return value;
    }

    /** Checks an image name against the OCI reference grammar (lowercase path components, optional registry). */
    static String image(String element, String value) throws InvalidConfigurationException {
        if (isBlank(value)) {
            throw new InvalidConfigurationException(element, asWritten(value), "is empty",
                    "name the image, such as myapp or registry.example.org/team/myapp");
        }
        // Length first: the regex recurses per path component, and thousands of them overflow the stack.
        if (value.length() > 255 || !IMAGE.matcher(value).matches()) {
            String fix = value.contains(":") && !value.contains("/")
                    ? "put the tag in <tags> and keep only the name here, such as myapp"
                    : "use lowercase letters, digits and the separators '.', '_', '__', '-' and '/', such as team/myapp";
            throw new InvalidConfigurationException(element, value, "is not a valid image name", fix);
        }
        return value;
    }

    /** Normalises {@code 8080} to {@code 8080/tcp} and checks the number and protocol. */
    static String port(String element, String value) throws InvalidConfigurationException {
        var matcher = value == null ? null : PORT.matcher(value.trim());
        if (matcher == null || !matcher.matches()
                || Integer.parseInt(matcher.group(1)) < 1 || Integer.parseInt(matcher.group(1)) > 65535) {
            throw new InvalidConfigurationException(element, asWritten(value), "is not a port",
                    "write a number from 1 to 65535 with an optional protocol, such as 8080, 8080/tcp or 53/udp");
        }
        return Integer.parseInt(matcher.group(1)) + "/" + (matcher.group(2) == null ? "tcp" : matcher.group(2));
    }

    static String environmentName(String element, String name) throws InvalidConfigurationException {
        if (name == null || !ENV_NAME.matcher(name).matches()) {
            throw new InvalidConfigurationException(element, asWritten(name), "is not a valid environment variable name",
                    "use letters, digits and '_', not starting with a digit, such as JAVA_OPTS");
        }
        return name;
    }

    static String user(String element, String value) throws InvalidConfigurationException {
        if (value == null) {
            return null;
        }
        if (!USER.matcher(value).matches()) {
            throw new InvalidConfigurationException(element, value, "is not a user",
                    "write a numeric user id, optionally followed by ':' and a group id, such as 65532:65532");
        }
        for (String part : value.split(":")) {
            // runc reads "+5" as id 5 and "-1" as an id out of range; a user name cannot start with '-', and a passwd
            // line that starts with '+' is a NIS marker, not a user.
            if (part.startsWith("-") || part.startsWith("+")) {
                throw new InvalidConfigurationException(element, value, "has a part that starts with '-' or '+'",
                        "write ids as plain numbers from 0 to " + MAX_USER_ID + ", such as 65532:65532");
            }
            // runc, and so Docker, podman and umoci, parse numeric ids as signed 32-bit numbers.
            if (DIGITS.matcher(part).matches() && (part.length() > 10 || Long.parseLong(part) > MAX_USER_ID)) {
                throw new InvalidConfigurationException(element, value, "has an id above " + MAX_USER_ID,
                        "use a user and group id from 0 to " + MAX_USER_ID + ": runtimes refuse larger ones");
            }
        }
        return value;
    }

    /**
     * A name in {@code <user>} is looked up by the runtime in the image's own {@code /etc/passwd} (a group name in
     * {@code /etc/group}); without that file it refuses to start the container ({@code unable to find user nobody}).
     *
     * @param user the {@code <user>} as {@link #user} accepted it, or {@code null}
     * @param hasPasswd whether the image holds {@code /etc/passwd}
     * @param hasGroup whether the image holds {@code /etc/group}
     */
    static void userResolvable(String element, String user, boolean hasPasswd, boolean hasGroup)
            throws InvalidConfigurationException {
        if (user == null) {
            return;
        }
        int colon = user.indexOf(':');
        String name = colon < 0 ? user : user.substring(0, colon);
        String group = colon < 0 ? null : user.substring(colon + 1);
        String missing = null;
        String refusal = null;
        if (!DIGITS.matcher(name).matches() && !hasPasswd) {
            missing = "/etc/passwd";
            refusal = "unable to find user " + name;
        } else if (group != null && !DIGITS.matcher(group).matches() && !hasGroup) {
            missing = "/etc/group";
            refusal = "unable to find group " + group;
        }
        if (missing != null) {
            throw new InvalidConfigurationException(element, user, "holds a name, but the image has no " + missing
                    + " to look it up in, so runtimes refuse to start it (" + refusal + ")",
                    "write the numeric user id and group id the process runs as, such as 65532:65532, or declare the"
                            + " name in <accounts>, which generates " + missing + ", or in an " + missing + " of your own");
        }
    }

    /**
     * Accepts {@code SIGTERM}, {@code TERM}, {@code SIGRTMIN+3} (real-time names as {@link #REALTIME_SIGNAL} says) or a
     * number from 1 to 64.
     */
    static String signal(String element, String value) throws InvalidConfigurationException {
        if (value == null) {
            return null;
        }
        String name = value.startsWith("SIG") ? value.substring(3) : value;
        boolean numeric = DIGITS.matcher(value).matches() && value.length() <= 2
                && Integer.parseInt(value) >= 1 && Integer.parseInt(value) <= 64;
        if (!numeric && !SIGNALS.contains(name) && !REALTIME_SIGNAL.matcher(name).matches()) {
            throw new InvalidConfigurationException(element, value, "is not a signal",
                    "write a Linux signal name or number, such as SIGTERM, SIGINT or 15; real-time signals are"
                            + " SIGRTMIN, SIGRTMIN+1 to SIGRTMIN+15, SIGRTMAX-14 to SIGRTMAX-1, SIGRTMAX, or a number"
                            + " from 1 to 64");
        }
        return value;
    }

    /**
     * Reads a switch: {@code true} or {@code false} in any case, around spaces. Maven itself reads any value but
     * {@code true} as false for a {@code boolean} parameter, so a typo such as {@code yes} would silently turn the
     * switch off: every switch of every goal is a {@code String} parameter read here instead.
     *
     * @param element the element, written as XML, with its user property if it has one, e.g.
     *     {@code <skip> (scratch.skip)}
     * @param value the value as Maven passed it
     * @return the switch, or {@code null} when the value is {@code null} or blank: not set, so the default applies
     * @throws InvalidConfigurationException for any other value, naming the element and quoting the value
     */
    public static Boolean flag(String element, String value) throws InvalidConfigurationException {
        if (isBlank(value)) {
            return null;
        }
        String word = value.trim().toLowerCase(Locale.ROOT);
        if (word.equals("true") || word.equals("false")) {
            return word.equals("true");
        }
        throw new InvalidConfigurationException(element, value, "is not true or false", "write true or false");
    }
}
