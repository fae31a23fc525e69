package org.scratchimage.core.image;

/**
 * The checksums of one regular file of a layer, taken from the bytes as they went into the layer's tar: what an SBOM
 * lists for the file, without reading it a second time.
 *
 * @param path the path inside the image, as in the tar: relative, without a leading slash
 * @param sha1 the SHA-1 of the content, 40 lowercase hex digits
 * @param sha256 the SHA-256 of the content, 64 lowercase hex digits
 */
public record FileDigest(String path, String sha1, String sha256) {}
