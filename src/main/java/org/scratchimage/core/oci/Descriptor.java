package org.scratchimage.core.oci;

/**
 * An OCI content descriptor of a blob.
 *
 * @param mediaType the blob's media type
 * @param digest {@code sha256:} and 64 lowercase hex digits
 * @param size the blob's size in bytes
 */
public record Descriptor(String mediaType, String digest, long size) {

    /** @return the hex part of the digest, which is the blob's file name */
    public String hex() {
        return digest.substring(digest.indexOf(':') + 1);
    }
}
