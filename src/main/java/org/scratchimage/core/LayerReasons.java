package org.scratchimage.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.scratchimage.core.image.ImageLayer;
import org.scratchimage.core.image.ImagePlan;
import org.scratchimage.core.image.LayerEntry;
import org.scratchimage.core.image.GeneratedFileEntry;
import org.scratchimage.core.image.RegularFileEntry;

/**
 * Why a layer is written rather than taken from the last build, for its info line: one reason, the first found, from
 * what the last build recorded ({@link BuildState#previous}) and the plan. Computed only for a build that writes, never
 * for one that is up to date. The reasons, in the order they are looked for:
 * <ol>
 *   <li>there was no previous build, or it had no layer of that name;
 *   <li>the settings that reach every layer's bytes changed: the timestamp, the compression or the plugin;
 *   <li>the layer did not change, but its blob was missing from the layout;
 *   <li>a source changed since the last build: the first, in tar order, stamped at or after the last build's state;
 *   <li>its listing changed: an entry added, removed or moved, or another mode, owner or link target;
 *   <li>the last build could not trust a source's stamp (racy, see {@link Fingerprints});
 *   <li>a file the build makes changed: the package metadata, after a package upgrade;
 *   <li>else a source's stamp changed in a way the above does not tell, such as its inode.
 * </ol>
 */
final class LayerReasons {
    private final Optional<BuildState.Previous> previous;
    private final ImagePlan plan;
    private final Path baseDirectory;
    private final String settings;
    private final List<String> listings = new ArrayList<>();

    private LayerReasons(Optional<BuildState.Previous> previous, ImagePlan plan, Path baseDirectory, String settings) {
        this.previous = previous;
        this.plan = plan;
        this.baseDirectory = baseDirectory;
        this.settings = settings;
        for (ImageLayer layer : plan.layers()) {
            listings.add(Fingerprints.listingOf(layer));
        }
    }

    /**
     * @param layout the layout folder, beside which the last build left its state
     * @param baseDirectory the project folder, against which a changed source is named; {@code null} to name it whole
     */
    static LayerReasons of(Path layout, ImagePlan plan, String pluginVersion, Path baseDirectory) throws IOException {
        return of(layout, plan, pluginVersion, baseDirectory, 0, false);
    }

    /**
     * @param image which image of the build {@code plan} is, from 0, in the order of {@code <platforms>}
     * @param indexed whether the build has an image index ({@code <platforms>})
     */
    static LayerReasons of(Path layout, ImagePlan plan, String pluginVersion, Path baseDirectory, int image,
            boolean indexed) throws IOException {
        return new LayerReasons(BuildState.previous(layout, image, indexed), plan, baseDirectory,
                Fingerprints.settingsOf(plan, pluginVersion));
    }

    /** @return the fingerprint of the settings, which the state records for the next build */
    String settings() {
        return settings;
    }

    /** @return the fingerprint of each layer's listing, bottom first, which the state records for the next build */
    List<String> listings() {
        return listings;
    }

    /**
     * @param index the layer, bottom first
     * @param fingerprint the layer's fingerprint in this build
     * @return why the layer is written, such as {@code src/main/image/app.conf changed}
     */
    String why(int index, String fingerprint) {
        if (previous.isEmpty()) {
            return "no previous build";
        }
        BuildState.Previous last = previous.get();
        ImageLayer layer = plan.layers().get(index);
        BuildState.PreviousLayer before = last.layers().get(layer.name());
        if (before == null) {
            return "the previous build had no layer " + layer.name();
        }
        if (last.settings() != null && !last.settings().equals(settings)) {
            return "the timestamp, the compression or the plugin changed";
        }
        if (fingerprint.equals(before.fingerprint())) {
            return "its blob was missing from the layout";
        }
        for (LayerEntry entry : layer.entries()) {
            if (entry instanceof RegularFileEntry file && file.stamp() != null
                    && !file.stamp().newest().isBefore(last.written())) {
                return name(file.source()) + " changed";
            }
        }
        if (before.listing() != null && !before.listing().equals(listings.get(index))) {
            return "its entries changed: one added, removed or moved, or another mode, owner or link target";
        }
        if (before.fingerprint() == null) {
            return "a source changed just before the previous build, too close to it for its time stamps to be"
                    + " trusted";
        }
        for (LayerEntry entry : layer.entries()) {
            if (entry instanceof GeneratedFileEntry) {
                // Same entries, same sources: what changed is a file the build makes, such as a package's status.
                return "the package metadata changed: a package of the image's files was upgraded";
            }
        }
        return "a source's size, times or inode changed";
    }

    /** @return the source as the pom most likely names it: relative to the project folder when inside it */
    private String name(Path source) {
        Path absolute = source.toAbsolutePath().normalize();
        if (baseDirectory != null) {
            Path base = baseDirectory.toAbsolutePath().normalize();
            if (absolute.startsWith(base) && !absolute.equals(base)) {
                return base.relativize(absolute).toString();
            }
        }
        return absolute.toString();
    }
}
