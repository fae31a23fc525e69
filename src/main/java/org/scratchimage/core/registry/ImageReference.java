package org.scratchimage.core.registry;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reference to a tagged image in a registry, normalised as Docker does: a name without a registry host means
 * Docker Hub ({@code docker.io}), with {@code library/} before a single path component.
 *
 * @param registry the registry as written, normalised: {@code docker.io} for Docker Hub and its aliases, else the
 *     host in lower case, with {@code :port} if the reference has one (a {@code <server>} id and a credential key)
 * @param repository the repository path, such as {@code team/app} or {@code library/busybox}
 * @param tag the tag
 */
public record ImageReference(String registry, String repository, String tag) {
    /** Docker Hub's name in references and credential keys. */
    public static final String DOCKER_HUB = "docker.io";
    /** The host Docker Hub's API answers at: {@code docker.io} itself does not serve {@code /v2/}. */
    public static final String DOCKER_HUB_API = "registry-1.docker.io";
    /** Names of Docker Hub that Docker and containers/image treat as one registry. */
    private static final Set<String> DOCKER_HUB_ALIASES = Set.of(DOCKER_HUB, "index.docker.io", DOCKER_HUB_API);

    /** distribution/reference's limit on the normalised name, registry and repository together. */
    static final int MAX_NAME = 255;
    /** Checked before any regex runs: they recurse per component, and a huge value would overflow the stack. */
    private static final int MAX_REFERENCE = 1024;
    private static final String EXAMPLE = "registry.example.org/team/app:1.0";

    private static final String LABEL = "(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])";
    private static final Pattern DOMAIN = Pattern.compile(
            "(" + LABEL + "(?:\\." + LABEL + ")*|\\[[A-Fa-f0-9:]+\\])(?::([0-9]+))?");
    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final Pattern PATH = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
    // Go's \w is ASCII; Java's is too without UNICODE_CHARACTER_CLASS, but spell it out.
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    /**
     * @param reference such as {@code registry.example.org:5000/team/app:1.0} or {@code busybox:1.36}; spaces around
     *     it are ignored, as in a comma-separated user property
     * @param element the pom element or source it came from, for the error, such as {@code <to>}
     * @return the parsed reference
     * @throws RegistryException naming the element, the value and the fix when it is malformed, has no tag or names
     *     a digest (the push sets tags)
     */
    public static ImageReference parse(String reference, String element) throws RegistryException {
        String value = reference == null ? "" : reference.strip();
        if (value.isEmpty()) {
            throw invalid(element, reference == null ? "" : reference, "is empty",
                    "write a full reference with a tag, such as " + EXAMPLE);
        }
        if (value.length() > MAX_REFERENCE) {
            throw invalid(element, value.substring(0, 40) + "...", "is " + value.length() + " characters long",
                    "use a name of at most " + MAX_NAME + " characters and a tag of at most 128, such as " + EXAMPLE);
        }
        int at = value.indexOf('@');
        if (at >= 0) {
            String withoutDigest = value.substring(0, at);
            throw invalid(element, value, "names a digest, but a push sets tags",
                    "write a tag instead of the digest, such as "
                            + (hasTag(withoutDigest) ? withoutDigest : withoutDigest + ":1.0"));
        }
        int lastSlash = value.lastIndexOf('/');
        int lastColon = value.lastIndexOf(':');
        // As in Docker: the last ':' after the last '/' starts the tag, so host:5000/app has none.
        String name = lastColon > lastSlash ? value.substring(0, lastColon) : value;
        String tag = lastColon > lastSlash ? value.substring(lastColon + 1) : null;

        String domain = DOCKER_HUB;
        String path = name;
        int firstSlash = name.indexOf('/');
        if (firstSlash >= 0 && isDomain(name.substring(0, firstSlash))) {
            domain = name.substring(0, firstSlash);
            path = name.substring(firstSlash + 1);
            Matcher host = DOMAIN.matcher(domain);
            if (!host.matches() || (host.group(2) != null && !isPort(host.group(2)))) {
                throw invalid(element, value, "has a registry host \"" + domain + "\" that is not valid",
                        "write a host name, an IPv4 address or an IPv6 address in brackets, with an optional :port"
                                + " from 1 to 65535, such as " + EXAMPLE);
            }
        }
        String registry = normalizeRegistry(domain);
        if (registry.equals(DOCKER_HUB) && path.indexOf('/') < 0) {
            path = "library/" + path;
        }
        if (!path.equals(path.toLowerCase(Locale.ROOT))) {
            String lower = name.toLowerCase(Locale.ROOT) + ':' + (tag == null ? "1.0" : tag);
            throw invalid(element, value, "has upper-case letters in its repository path \"" + path + "\"",
                    "write the repository in lower case, such as " + (parses(lower) ? lower : EXAMPLE));
        }
        if (!PATH.matcher(path).matches()) {
            throw invalid(element, value, "has a repository path \"" + path + "\" that is not valid",
                    "use lowercase letters and digits, joined by '.', '_', '__' or '-' within a component and by '/'"
                            + " between components, such as " + EXAMPLE);
        }
        String normalised = registry + '/' + path;
        if (normalised.length() > MAX_NAME) {
            throw invalid(element, value, "has a name of " + normalised.length() + " characters ("
                    + normalised.substring(0, 40) + "...)",
                    "use a registry and repository of at most " + MAX_NAME + " characters together");
        }
        if (tag == null) {
            throw invalid(element, value, "has no tag", "add one, such as " + value + ":1.0");
        }
        if (!TAG.matcher(tag).matches()) {
            String shown = tag.length() > 40 ? tag.substring(0, 40) + "... (" + tag.length() + " characters)" : tag;
            throw invalid(element, value, "has a tag \"" + shown + "\" that is not valid",
                    "use 1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-', such as "
                            + name + ":1.0");
        }
        return new ImageReference(registry, path, tag);
    }

    /**
     * @param host a registry host, with its port if it has one, as a reference or a credential key names it
     * @return {@code docker.io} for Docker Hub and its aliases ({@code index.docker.io}, {@code registry-1.docker.io},
     *     in any case), else the host in lower case: host names are case-insensitive, and the port is kept
     */
    public static String normalizeRegistry(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return DOCKER_HUB_ALIASES.contains(lower) ? DOCKER_HUB : lower;
    }

    /** @return whether this image is on Docker Hub */
    public boolean isDockerHub() {
        return registry.equals(DOCKER_HUB);
    }

    /** @return the host (and port) the API is reached at: {@code registry-1.docker.io} for Docker Hub */
    public String apiHost() {
        return isDockerHub() ? DOCKER_HUB_API : registry;
    }

    /** @return {@code registry/repository}, without the tag: the key of a containers auth file's repository entry */
    public String name() {
        return registry + '/' + repository;
    }

    /** @return {@code registry/repository:tag}, as a user would write it back */
    @Override
    public String toString() {
        return registry + '/' + repository + ':' + tag;
    }

    /** Docker's rule: the first component names a registry if it cannot be a lowercase path component. */
    private static boolean isDomain(String first) {
        return first.indexOf('.') >= 0 || first.indexOf(':') >= 0 || first.equals("localhost")
                || !first.equals(first.toLowerCase(Locale.ROOT));
    }

    private static boolean isPort(String digits) {
        return digits.length() <= 5 && Integer.parseInt(digits) >= 1 && Integer.parseInt(digits) <= 65535;
    }

    private static boolean hasTag(String value) {
        return value.lastIndexOf(':') > value.lastIndexOf('/');
    }

    private static boolean parses(String value) {
        try {
            parse(value, "");
            return true;
        } catch (RegistryException e) {
            return false;
        }
    }

    private static RegistryException invalid(String element, String value, String problem, String fix) {
        return new RegistryException(element + " \"" + value + "\" " + problem, fix);
    }
}
