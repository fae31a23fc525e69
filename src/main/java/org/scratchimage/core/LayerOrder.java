package org.scratchimage.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order of the image's layers: the layer names in order of first use, and the order they take, either as
 * {@code <layers>} lists them or, without it, the libraries first, the named layers in order of first use, and the
 * default layer {@code app} last. The package metadata goes just above the libraries unless {@code <layers>} places it.
 */
final class LayerOrder {
    /** The layer of every declaration without a {@code <layer>}. */
    static final String DEFAULT_LAYER = "app";
    /** The layer of the resolved shared libraries. */
    static final String LIBRARIES_LAYER = "libraries";
    /** The layer of the package metadata, just above the libraries by default. */
    static final String METADATA_LAYER = "metadata";

    /**
     * The first use of a layer name.
     *
     * @param origin the declaration, such as {@code <files>/<file>[2]}, or a description for the libraries
     * @param declared whether the declaration names the layer in its {@code <layer>}, rather than getting the default
     */
    private record LayerUse(String origin, boolean declared) {}

    /** Every layer name in use, in order of first use, each with its first use. */
    private final Map<String, LayerUse> layerUses = new LinkedHashMap<>();

    private LayerOrder() {
    }

    /**
     * Checks every {@code <layer>} and records the names in order of first use in {@code <binaries>}, {@code <files>},
     * {@code <directories>} and {@code <symlinks>}.
     */
    static LayerOrder of(BuildRequest request) throws InvalidConfigurationException {
        LayerOrder order = new LayerOrder();
        if (request.java() != null) {
            // Jib's order: what changes least (the runtime) below what changes more, the user's layers above.
            order.useSetting(JavaApplication.JRE_LAYER, "the Java runtime of <java>");
            order.useSetting(JavaApplication.DEPENDENCIES_LAYER, "the release dependencies of <java>");
            order.useSetting(JavaApplication.SNAPSHOTS_LAYER, "the -SNAPSHOT dependencies of <java>");
        }
        for (int i = 0; i < request.binaries().size(); i++) {
            BinarySpec spec = request.binaries().get(i);
            order.useLayer("<binaries>/<binary>[" + (i + 1) + "]", spec == null ? null : spec.layer());
        }
        for (int i = 0; i < request.files().size(); i++) {
            FileSpec spec = request.files().get(i);
            order.useLayer("<files>/<file>[" + (i + 1) + "]", spec == null ? null : spec.layer());
        }
        for (int i = 0; i < request.directories().size(); i++) {
            DirectorySpec spec = request.directories().get(i);
            order.useLayer("<directories>/<directory>[" + (i + 1) + "]", spec == null ? null : spec.layer());
        }
        for (int i = 0; i < request.symlinks().size(); i++) {
            SymlinkSpec spec = request.symlinks().get(i);
            order.useLayer("<symlinks>/<symlink>[" + (i + 1) + "]", spec == null ? null : spec.layer());
        }
        return order;
    }

    private void useLayer(String origin, String value) throws InvalidConfigurationException {
        layerUses.putIfAbsent(layer(origin, value), new LayerUse(origin, value != null));
    }

    /** @return the layer of a declaration: its {@code <layer>}, checked, or the default layer */
    static String layer(String origin, String value) throws InvalidConfigurationException {
        return Values.layer(origin + "/<layer>", value, DEFAULT_LAYER);
    }

    /**
     * Records the use of the libraries layer, by the shared libraries the build resolved.
     *
     * @param what what the layer holds, for the error that names it, such as
     *     {@code the 7 shared libraries of /usr/sbin/nginx}
     */
    void useLibraries(String what) {
        layerUses.putIfAbsent(LIBRARIES_LAYER, new LayerUse(what, false));
    }

    /**
     * Records the use of the metadata layer, by the package metadata the build adds.
     *
     * @param what what the layer holds, for the error that names it, such as
     *     {@code the package metadata of 9 Debian packages}
     */
    void useMetadata(String what) {
        layerUses.putIfAbsent(METADATA_LAYER, new LayerUse(what, false));
    }

    /**
     * Records the use of a layer by what a setting adds, such as the {@code /etc/passwd} of {@code <accounts>}.
     *
     * @param what what the layer holds, for the error that names it, such as {@code the accounts of <accounts>}
     */
    void useSetting(String layer, String what) {
        layerUses.putIfAbsent(layer, new LayerUse(what, false));
    }

    /**
     * @param order the {@code <layers>} as written, bottom first, or empty for the default order
     * @param used the layers that hold entries
     * @return the layer names, bottom first: those {@code <layers>} lists, or without it every name in use
     */
    List<String> names(List<String> order, Set<String> used) throws InvalidConfigurationException {
        if (order.isEmpty()) {
            // The libraries first, as the part that changes least, then the named layers in order of first use, and
            // the application on top: a runtime unpacks again every layer above a changed one (layers are stored by
            // chain ID), so the layer that changes on every deploy goes last. The package metadata describes the
            // libraries and changes with them.
            List<String> names = new ArrayList<>();
            for (String name : List.of(LIBRARIES_LAYER, METADATA_LAYER)) {
                if (layerUses.containsKey(name)) {
                    names.add(name);
                }
            }
            for (String name : layerUses.keySet()) {
                if (!name.equals(LIBRARIES_LAYER) && !name.equals(METADATA_LAYER) && !name.equals(DEFAULT_LAYER)) {
                    names.add(name);
                }
            }
            if (layerUses.containsKey(DEFAULT_LAYER)) {
                names.add(DEFAULT_LAYER);
            }
            return names;
        }
        Set<String> listed = new LinkedHashSet<>();
        for (int i = 0; i < order.size(); i++) {
            String element = "<layers>/<layer>[" + (i + 1) + "]";
            String value = order.get(i);
            if (value == null) {
                throw new InvalidConfigurationException(element, "", "is empty", "name a layer, or remove the element");
            }
            if (!listed.add(Values.layer(element, value, null))) {
                throw new InvalidConfigurationException(element, value, "is listed twice", "list each layer once");
            }
        }
        for (Map.Entry<String, LayerUse> use : layerUses.entrySet()) {
            String name = use.getKey();
            if (!used.contains(name) || listed.contains(name) || name.equals(METADATA_LAYER)) {
                continue;
            }
            LayerUse first = use.getValue();
            String fix = "add <layer>" + name + "</layer> to <layers> where it belongs in the order, bottom first";
            if (first.declared()) {
                throw new InvalidConfigurationException(first.origin() + "/<layer>", name,
                        "is a layer that <layers> does not list", fix);
            }
            if (name.equals(DEFAULT_LAYER) && first.origin().startsWith("<")) {
                throw new InvalidConfigurationException(first.origin(), name,
                        "has no <layer>, so it goes to the default layer app, which <layers> does not list",
                        fix + ", or give the declaration a <layer> that <layers> lists");
            }
            throw new InvalidConfigurationException("<layers>", name,
                    "is a layer that <layers> does not list (it holds " + first.origin() + ")", fix);
        }
        List<String> names = new ArrayList<>(listed);
        if (used.contains(METADATA_LAYER) && !listed.contains(METADATA_LAYER)) {
            // The metadata is on by default: a pom whose <layers> predates it keeps building, with the metadata
            // where it goes by default, just above the libraries it describes (at the bottom without them).
            names.add(names.indexOf(LIBRARIES_LAYER) + 1, METADATA_LAYER);
        }
        return names;
    }
}
