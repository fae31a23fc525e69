package org.scratchimage.core.roundtrip;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import org.scratchimage.core.BuildRequest;

/**
 * One generated image: the request to build, and what the image must hold according to the generator's own
 * model of the declarations (never the plugin's plan).
 *
 * @param seed the seed that regenerates exactly this case
 * @param directory the case's host folder: the project base directory, holding the sources and the output
 * @param request what is built
 * @param expected every path of the image with its kind, mode, owner, target, content and mtime
 * @param timestamp the declared build timestamp, seconds since the epoch
 * @param compression the layer's compression: gzip, zstd or none
 * @param umociTag a tag that umoci accepts as a reference
 * @param declaredIds every uid and gid the case declares
 * @param hostIds owners the generator gave host files; declared nowhere, so they must not reach the image
 * @param hostTimes mtimes the generator gave host files, in seconds; they must not reach the image either
 * @param declarations the declarations in words, printed when the case fails
 * @param features the situations the case exercises, such as "two trees in one directory"
 */
record ImageCase(
        long seed,
        Path directory,
        BuildRequest request,
        SortedMap<String, Item> expected,
        long timestamp,
        String compression,
        String umociTag,
        Set<Long> declaredIds,
        Set<Long> hostIds,
        Set<Long> hostTimes,
        List<String> declarations,
        Set<String> features) {

    Path outputDirectory() {
        return directory.resolve(request.outputDirectory());
    }

    String describe() {
        StringBuilder out = new StringBuilder("seed " + seed + ", timestamp " + timestamp + ", "
                + compression + " (level " + request.compressionLevel() + "), image " + request.image() + " "
                + request.tags() + "\n");
        for (String declaration : declarations) {
            out.append("  ").append(declaration).append('\n');
        }
        out.append(" expected:\n");
        expected.forEach((path, item) -> out.append("  /").append(Text.quote(path)).append("  ").append(item)
                .append('\n'));
        return out.toString();
    }
}
