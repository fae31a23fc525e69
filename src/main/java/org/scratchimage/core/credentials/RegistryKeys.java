package org.scratchimage.core.credentials;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.scratchimage.core.registry.ImageReference;

/**
 * How the registry keys of an auth file are matched to a registry, as the docker CLI does and a little more
 * leniently: the exact key first, then the same host written otherwise, Docker Hub's aliases counting as one host.
 */
final class RegistryKeys {
    /** The key {@code docker login} writes for Docker Hub, and what a credential helper is asked for it. */
    static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";

    private RegistryKeys() {}

    /**
     * @param registry as {@link ImageReference#registry()} names it
     * @return the key the docker CLI stores it under and sends a helper: {@code https://index.docker.io/v1/} for
     *     Docker Hub, else {@code host[:port]}
     */
    static String dockerKey(String registry) {
        return ImageReference.DOCKER_HUB.equals(registry) ? DOCKER_HUB_KEY : registry;
    }

    /**
     * @param keys an auth file's keys, in document order
     * @param registry normalised, as {@link ImageReference#normalizeRegistry} gives it
     * @return the keys that name the registry, best first: the exact key; the host alone, in another case or as
     *     another name of Docker Hub; {@code https://host} or {@code http://host}; the host with a path after it,
     *     such as {@code https://host/v1/} or {@code host/v2/}. Equally good keys keep the document's order.
     */
    static List<String> matching(Collection<String> keys, String registry) {
        List<String> matches = new ArrayList<>();
        for (String key : keys) {
            if (rank(key, registry) >= 0) {
                matches.add(key);
            }
        }
        matches.sort(Comparator.comparingInt(key -> rank(key, registry)));
        return matches;
    }

    /** @return the key's host, normalised: the scheme and any path removed, Docker Hub's aliases as docker.io */
    static String host(String key) {
        String rest = withoutScheme(key);
        int slash = rest.indexOf('/');
        return ImageReference.normalizeRegistry(slash < 0 ? rest : rest.substring(0, slash));
    }

    /** @return 0 for the exact key, 1 to 3 as {@link #matching} orders them, -1 for a key of another registry */
    private static int rank(String key, String registry) {
        if (key.equals(dockerKey(registry))) {
            return 0;
        }
        if (!host(key).equals(registry)) {
            return -1;
        }
        String rest = withoutScheme(key);
        int slash = rest.indexOf('/');
        boolean path = slash >= 0 && slash < rest.length() - 1;
        if (path) {
            return 3;
        }
        return rest.length() == key.length() ? 1 : 2;
    }

    private static String withoutScheme(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://")) {
            return key.substring("https://".length());
        }
        if (lower.startsWith("http://")) {
            return key.substring("http://".length());
        }
        return key;
    }
}
