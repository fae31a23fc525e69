package org.scratchimage.core;

import java.nio.file.Path;

/**
 * Builds {@link SbomTest#request} of the project in {@code args[0]}, in a JVM of its own, so that a tracer can watch
 * which files the build opens; prints one line per layer, {@code NAME reused} or {@code NAME written}.
 */
public final class SbomBuildMain {
    private SbomBuildMain() {}

    public static void main(String[] args) throws Exception {
        BuildResult result = new ImageBuilder(BuildListener.of(line -> { })).build(
                SbomTest.request(Path.of(args[0])).build());
        for (BuildResult.Layer layer : result.layers()) {
            System.out.println(layer.name() + (layer.reused() ? " reused" : " written"));
        }
    }
}
