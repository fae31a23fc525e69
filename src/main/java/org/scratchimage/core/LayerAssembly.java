package org.scratchimage.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.scratchimage.core.LayerEntries.Declared;
import org.scratchimage.core.LayerEntries.Kind;
import org.scratchimage.core.image.DirectoryEntry;
import org.scratchimage.core.image.ImageLayer;
import org.scratchimage.core.image.LayerEntry;
import org.scratchimage.core.image.LayerEntryOrder;
import org.scratchimage.core.image.SymlinkEntry;

/**
 * The last steps of {@link LayerEntries}, once every entry is declared: the missing parents and the root added, every
 * entry in tar order, and the entries split into their layers.
 *
 * <p>The entries are sorted once: the parents the build adds are few, and are merged in; each layer is the sorted
 * whole filtered, not sorted again (a tree of 20,000 files was sorted three times).
 */
final class LayerAssembly {
    private LayerAssembly() {}

    /**
     * Adds the missing parents (0755 0:0) and the root to {@code entries}.
     *
     * @return every entry in tar order
     * @throws InvalidConfigurationException for an entry below a file or a symbolic link
     */
    static List<LayerEntry> complete(Map<String, Declared> entries) throws InvalidConfigurationException {
        List<LayerEntry> declared = new ArrayList<>(entries.size());
        for (Declared d : entries.values()) {
            declared.add(d.entry());
        }
        LayerEntryOrder.sortInTarOrder(declared);
        List<LayerEntry> added = new ArrayList<>();
        for (LayerEntry entry : declared) {
            String path = entry.path();
            for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
                String parent = path.substring(0, slash);
                Declared ancestor = entries.get(parent);
                if (ancestor == null) {
                    DirectoryEntry directory = new DirectoryEntry(parent, LayerEntries.DIRECTORY_MODE, 0, 0,
                            "the parent of " + ImagePaths.absolute(path));
                    entries.put(parent, new Declared(directory, Kind.DECLARED, null));
                    added.add(directory);
                } else if (!(ancestor.entry() instanceof DirectoryEntry)) {
                    String kind = ancestor.entry() instanceof SymlinkEntry ? "a symbolic link" : "a file";
                    throw new InvalidConfigurationException(LayerEntries.pathElement(entry), ImagePaths.absolute(path),
                            "is below " + ImagePaths.absolute(parent) + ", which " + ancestor.entry().origin()
                                    + " declares as " + kind,
                            "place it in a real directory: a runtime would follow or replace " + kind
                                    + ", so this path cannot exist in the image as declared");
                }
            }
        }
        if (!entries.containsKey("")) {
            DirectoryEntry root = new DirectoryEntry("", LayerEntries.DIRECTORY_MODE, 0, 0, "the image root");
            entries.put("", new Declared(root, Kind.DECLARED, null));
            added.add(root);
        }
        LayerEntryOrder.sortInTarOrder(added);
        return merge(declared, added);
    }

    /**
     * Splits the entries into their layers. Each layer also holds the root and the parents of its entries, with the
     * attributes they have in the image, so that it unpacks on its own and changes nothing a lower layer set.
     *
     * @param all every entry in tar order, as {@link #complete} returned them
     * @param order the {@code <layers>} as written, bottom first, or empty for the default order
     * @return the layers that hold entries, in order
     */
    static List<ImageLayer> layers(Map<String, Declared> entries, List<LayerEntry> all, LayerOrder layerOrder,
            List<String> order, Consumer<String> debug) throws InvalidConfigurationException {
        Map<String, List<LayerEntry>> assigned = new HashMap<>();
        for (Declared d : entries.values()) {
            if (d.layer() != null) {
                assigned.computeIfAbsent(d.layer(), name -> new ArrayList<>()).add(d.entry());
            }
        }
        List<ImageLayer> layers = new ArrayList<>();
        List<String> names = layerOrder.names(order, assigned.keySet());
        if (assigned.isEmpty()) {
            // Nothing declared: the image is its root alone, which still makes one layer, as an image needs one.
            String name = order.isEmpty() ? LayerOrder.DEFAULT_LAYER : names.get(0);
            return List.of(new ImageLayer(name, List.of(entries.get("").entry())));
        }
        for (String name : names) {
            List<LayerEntry> own = assigned.get(name);
            if (own == null) {
                debug.accept("Layer " + name + " is left out: nothing goes to it");
                continue;
            }
            Set<String> paths = new HashSet<>(own.size() * 2);
            for (LayerEntry entry : own) {
                paths.add(entry.path());
                String path = entry.path();
                for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
                    if (!paths.add(path.substring(0, slash))) {
                        break;
                    }
                }
            }
            paths.add("");
            List<LayerEntry> sorted = new ArrayList<>(paths.size());
            for (LayerEntry entry : all) {
                if (paths.contains(entry.path())) {
                    sorted.add(entry);
                }
            }
            layers.add(new ImageLayer(name, sorted));
        }
        return layers;
    }

    /** @return the two lists, each in tar order and with no path in common, as one in tar order */
    private static List<LayerEntry> merge(List<LayerEntry> a, List<LayerEntry> b) {
        if (b.isEmpty()) {
            return a;
        }
        List<LayerEntry> merged = new ArrayList<>(a.size() + b.size());
        int i = 0;
        int j = 0;
        while (i < a.size() && j < b.size()) {
            merged.add(LayerEntryOrder.TAR_ORDER.compare(a.get(i), b.get(j)) < 0 ? a.get(i++) : b.get(j++));
        }
        merged.addAll(a.subList(i, a.size()));
        merged.addAll(b.subList(j, b.size()));
        return merged;
    }
}
