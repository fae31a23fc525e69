package org.scratchimage.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.scratchimage.core.oci.LayoutContents;
import org.scratchimage.core.oci.LayoutEntry;
import org.scratchimage.core.oci.LayoutIndex;
import org.scratchimage.core.oci.OciJson;
import org.scratchimage.core.registry.ImageReference;
import org.scratchimage.core.registry.RegistryException;

/**
 * Decides what goes where: the references of a push, each with its image, and the checks of the push's own
 * parameters. Nothing here touches the network.
 */
final class PushTargets {
    /** A host name or an IP literal, with an optional port: what a reference's registry part is. */
    private static final Pattern REGISTRY = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
                    + "|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?");
    static final int MAX_PARALLEL_UPLOADS = 32;

    private PushTargets() {}

    /**
     * One image of the layout, or the image index of a multi-platform image, pushed to one repository, under one or
     * more tags.
     *
     * @param image the image or image index
     * @param references the references of one repository, in the order they are pushed
     */
    record Target(LayoutEntry image, List<ImageReference> references) {
        ImageReference first() {
            return references.get(0);
        }
    }

    /**
     * Checks {@code <to>} before the layout is read: a mistake there is reported whatever the layout holds.
     *
     * @param to the references the user listed, or empty for the layout's own names
     * @return them parsed, in order
     * @throws RegistryException for an empty, malformed or duplicate reference, or one without a tag
     */
    static List<ImageReference> to(List<String> to) throws RegistryException {
        List<ImageReference> references = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < to.size(); i++) {
            String element = "<to>/<reference>[" + (i + 1) + "]";
            String value = to.get(i) == null ? "" : to.get(i).strip();
            if (value.isEmpty()) {
                throw new RegistryException(element + " \"\" is empty", "write a reference with a tag, such as"
                        + " registry.example.org/team/app:1.0, or remove the empty entry");
            }
            ImageReference reference = ImageReference.parse(value, element);
            if (!seen.add(reference.toString())) {
                throw new RegistryException(element + " \"" + value + "\" is listed twice (as " + reference + ")",
                        "list each reference once");
            }
            references.add(reference);
        }
        return references;
    }

    /**
     * @param to the references of {@link #to(List)}, or empty for the layout's own names
     * @return the targets, grouped by image and repository in the order the references were first named
     * @throws RegistryException for an image without a name, or {@code <to>} with a layout of several images
     */
    static List<Target> of(LayoutContents layout, List<ImageReference> to) throws RegistryException {
        List<Named> named = new ArrayList<>();
        if (!to.isEmpty()) {
            if (layout.entries().size() > 1) {
                throw new RegistryException("<to> (scratch.to) is set, but the layout " + layout.directory()
                        + " holds " + layout.entries().size() + " images, and <to> names one image",
                        "remove <to> to push each image under the name in its index.json, or push a layout of one"
                                + " image");
            }
            for (ImageReference reference : to) {
                named.add(new Named(layout.entries().get(0), reference));
            }
        } else {
            for (LayoutEntry image : layout.entries()) {
                if (image.names().isEmpty()) {
                    throw new RegistryException((image instanceof LayoutIndex ? "The image index "
                            : "The image ") + image.manifest().digest() + " in "
                            + layout.directory().resolve("index.json") + " has no " + OciJson.CONTAINERD_NAME
                            + " annotation, so it has no name to push it under",
                            "set <to> to the references to push it to, such as registry.example.org/team/app:1.0");
                }
                for (String name : image.names()) {
                    named.add(new Named(image, ImageReference.parse(name,
                            OciJson.CONTAINERD_NAME + " of " + layout.directory().resolve("index.json"))));
                }
            }
        }
        Map<String, Target> targets = new LinkedHashMap<>();
        for (Named n : named) {
            String key = n.image().manifest().digest() + ' ' + n.reference().registry() + '/'
                    + n.reference().repository();
            Target target = targets.get(key);
            if (target == null) {
                targets.put(key, new Target(n.image(), new ArrayList<>(List.of(n.reference()))));
            } else if (!target.references().contains(n.reference())) {
                target.references().add(n.reference());
            }
        }
        return targets.values().stream().map(t -> new Target(t.image(), List.copyOf(t.references()))).toList();
    }

    private record Named(LayoutEntry image, ImageReference reference) {}

    /**
     * @return the registries as the client compares them with a reference's registry: stripped, the host in lower
     *     case
     * @throws RegistryException for an empty entry or one that is not {@code host[:port]}, such as a URL
     */
    static Set<String> insecureRegistries(List<String> registries) throws RegistryException {
        Set<String> hosts = new LinkedHashSet<>();
        for (int i = 0; i < registries.size(); i++) {
            String element = "<insecureRegistries>/<registry>[" + (i + 1) + "]";
            String value = registries.get(i) == null ? "" : registries.get(i).strip();
            if (!REGISTRY.matcher(value).matches()) {
                throw new RegistryException(element + " \"" + value + "\" is not a registry host", "write the host,"
                        + " with :port where the references give one, such as registry.example.org or 10.0.0.5:5000,"
                        + " without a scheme or a path");
            }
            hosts.add(value.toLowerCase(Locale.ROOT));
        }
        return hosts;
    }

    /** @return the number of blobs uploaded at once */
    static int parallelUploads(Integer value, int defaultValue) throws RegistryException {
        if (value == null) {
            return defaultValue;
        }
        if (value < 1 || value > MAX_PARALLEL_UPLOADS) {
            throw new RegistryException("parallelUploads \"" + value + "\" is out of range",
                    "use 1 to " + MAX_PARALLEL_UPLOADS);
        }
        return value;
    }

    /** @return the image's name without its tag, from {@code image:tag} */
    static String imageName(String name) {
        int colon = name.lastIndexOf(':');
        return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
    }

    /** @return the tag of {@code image:tag}, or {@code null} if it has none */
    static String tag(String name) {
        int colon = name.lastIndexOf(':');
        return colon > name.lastIndexOf('/') ? name.substring(colon + 1) : null;
    }
}
