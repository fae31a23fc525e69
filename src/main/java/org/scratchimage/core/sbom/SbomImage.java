package org.scratchimage.core.sbom;

import java.time.Instant;

/**
 * The image an SBOM describes.
 *
 * @param name the image name without a tag
 * @param manifestDigest the digest of its manifest, {@code sha256:<hex>}
 * @param architecture the architecture of its platform
 * @param created its timestamp, which is the SBOM's creation time
 */
public record SbomImage(String name, String manifestDigest, String architecture, Instant created) {}
