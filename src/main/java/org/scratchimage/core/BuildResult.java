package org.scratchimage.core;

import java.nio.file.Path;
import org.scratchimage.core.image.ImagePlan;

/**
 * What a build wrote.
 *
 * @param plan the validated image
 * @param layout the layout directory
 * @param manifestDigest the digest of the image manifest: the image's identity
 * @param configDigest the digest of the image configuration
 * @param layerDigest the digest of the layer blob as stored
 * @param layerSize the size of the layer blob as stored
 * @param diffId the sha256 of the uncompressed layer
 * @param entries the number of entries of the layer
 * @param upToDate whether the layout on disk already was this image, so nothing was written
 */
public record BuildResult(
        ImagePlan plan,
        Path layout,
        String manifestDigest,
        String configDigest,
        String layerDigest,
        long layerSize,
        String diffId,
        long entries,
        boolean upToDate) {}
