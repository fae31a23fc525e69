package org.scratchimage.core.registry;

/**
 * A reference to a tagged image in a registry, normalised as Docker does: a name without a registry host means
 * Docker Hub ({@code docker.io}), with {@code library/} before a single path component.
 *
 * @param registry the registry as written, normalised: {@code docker.io} for Docker Hub and its aliases, else the
 *     host, with {@code :port} if the reference has one (a {@code <server>} id and a credential key)
 * @param repository the repository path, such as {@code team/app} or {@code library/busybox}
 * @param tag the tag
 */
public record ImageReference(String registry, String repository, String tag) {

    /**
     * @param reference such as {@code registry.example.org:5000/team/app:1.0} or {@code busybox:1.36}
     * @param element the pom element or source it came from, for the error, such as {@code <to>}
     * @return the parsed reference
     * @throws RegistryException naming the element, the value and the fix when it is malformed or has no tag
     */
    public static ImageReference parse(String reference, String element) throws RegistryException {
        throw new UnsupportedOperationException("TODO(refs helper)");
    }

    /** @return the host (and port) the API is reached at: {@code registry-1.docker.io} for Docker Hub */
    public String apiHost() {
        throw new UnsupportedOperationException("TODO(refs helper)");
    }

    /** @return {@code registry/repository:tag}, as a user would write it back */
    @Override
    public String toString() {
        return registry + '/' + repository + ':' + tag;
    }
}
