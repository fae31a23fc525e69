package org.scratchimage.core;

import java.util.List;
import org.scratchimage.core.registry.ImageReference;

/**
 * What a push did.
 *
 * @param pushed one entry per reference, in the order they were pushed
 */
public record PushResult(List<Pushed> pushed) {

    public PushResult {
        pushed = List.copyOf(pushed);
    }

    /**
     * One reference pushed. The blobs are the config and the layers; those of a reference whose repository received
     * the image under an earlier tag of this push are all present.
     *
     * @param reference where the image went
     * @param digest the manifest digest, as the registry confirmed it
     * @param uploaded how many blobs were uploaded
     * @param mounted how many blobs the registry mounted from another repository of this push
     * @param present how many blobs the repository already held
     * @param bytesSent the bytes of the uploaded blobs
     */
    public record Pushed(ImageReference reference, String digest, int uploaded, int mounted, int present,
            long bytesSent) {

        /** @return {@code registry/repository:tag@digest}, as {@code scratch-image.json} lists it */
        public String pinned() {
            return reference + "@" + digest;
        }
    }
}
