package org.scratchimage.maven;

import java.util.Locale;
import java.util.stream.Collectors;
import org.scratchimage.core.BuildResult;
import org.scratchimage.core.Sizes;

/** The one line {@code scratch:build} logs after a build: what was built, where, and its digest. */
final class BuildSummary {
    private BuildSummary() {}

    static String of(BuildResult result) {
        if (result.index() != null) {
            return indexSummary(result);
        }
        if (result.upToDate()) {
            return String.format(Locale.ROOT, "Image up to date: %s:%s for %s in %s: manifest %s",
                    result.plan().image(), String.join(",", result.plan().tags()), result.plan().platform(),
                    result.layout(), result.manifestDigest());
        }
        long reused = result.layers().stream().filter(BuildResult.Layer::reused).count();
        return String.format(Locale.ROOT,
                "Built image %s:%s for %s in %s: manifest %s, %d entries in %d %s (%s, %s), %d reused",
                result.plan().image(), String.join(",", result.plan().tags()), result.plan().platform(),
                result.layout(), result.manifestDigest(), result.entries(), result.layers().size(),
                result.layers().size() == 1 ? "layer" : "layers",
                Sizes.human(result.layersSize()), result.plan().compression().name().toLowerCase(Locale.ROOT),
                reused);
    }

    private static String indexSummary(BuildResult result) {
        String platforms = result.images().stream().map(i -> i.plan().platform().toString())
                .collect(Collectors.joining(", "));
        if (result.upToDate()) {
            return String.format(Locale.ROOT, "Image up to date: %s:%s for %s in %s: index %s", result.plan().image(),
                    String.join(",", result.plan().tags()), platforms, result.layout(), result.digest());
        }
        StringBuilder images = new StringBuilder();
        long reused = 0;
        for (BuildResult.Image image : result.images()) {
            images.append(String.format(Locale.ROOT, "; %s manifest %s, %d entries in %d %s (%s)",
                    image.plan().platform(), image.manifestDigest(), image.entries(), image.layers().size(),
                    image.layers().size() == 1 ? "layer" : "layers", Sizes.human(image.layersSize())));
            reused += image.layers().stream().filter(BuildResult.Layer::reused).count();
        }
        return String.format(Locale.ROOT, "Built image %s:%s for %s in %s: index %s%s; %s, %d %s reused",
                result.plan().image(), String.join(",", result.plan().tags()), platforms, result.layout(),
                result.digest(), images, result.plan().compression().name().toLowerCase(Locale.ROOT), reused,
                reused == 1 ? "layer" : "layers");
    }
}
