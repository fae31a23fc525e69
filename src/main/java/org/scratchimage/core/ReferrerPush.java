package org.scratchimage.core;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.scratchimage.core.oci.LayoutReferrer;
import org.scratchimage.core.oci.Descriptor;
import org.scratchimage.core.oci.JsonReader;
import org.scratchimage.core.oci.JsonText;
import org.scratchimage.core.oci.MediaTypes;
import org.scratchimage.core.registry.Registry;
import org.scratchimage.core.registry.RegistryException;

/**
 * Pushes a referrer of an image (its SBOM) after the image, as the distribution spec 1.1 asks: its blobs, then its
 * manifest by digest. A registry with the referrers API answers with {@code OCI-Subject} and lists the referrer under
 * its subject itself; for one without (such as distribution 2.8), the referrer is added to the tag fallback
 * {@code sha256-<hex of the subject>}, an image index of the subject's referrers, merged with the one the registry
 * holds already.
 */
final class ReferrerPush {
    private ReferrerPush() {}

    /**
     * @param push pushes one blob of the layout unless the repository holds it
     * @return how the registry lists the referrer: {@code "referrers API"} or {@code "tag sha256-<hex>"}
     */
    static String push(Registry registry, String repository, LayoutReferrer referrer, BlobPush push)
            throws RegistryException, IOException {
        for (Descriptor blob : referrer.blobs()) {
            push.push(blob);
        }
        if (registry.putReferrer(repository, referrer.manifest().mediaType(), referrer.manifestBytes())) {
            return "referrers API";
        }
        String tag = "sha256-" + referrer.subject().hex();
        Optional<byte[]> existing = registry.getManifest(repository, tag, MediaTypes.INDEX);
        List<Object> manifests = new ArrayList<>();
        if (existing.isPresent()) {
            Object index = parse(existing.get(), repository + ":" + tag);
            if (index instanceof Map<?, ?> map && map.get("manifests") instanceof List<?> list) {
                for (Object entry : list) {
                    if (referrer.manifest().digest().equals(JsonReader.string(entry, "digest"))) {
                        return "tag " + tag + " (listed already)";
                    }
                    manifests.add(plain(entry));
                }
            }
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("mediaType", referrer.manifest().mediaType());
        entry.put("digest", referrer.manifest().digest());
        entry.put("size", referrer.manifest().size());
        if (!referrer.artifactType().isEmpty()) {
            entry.put("artifactType", referrer.artifactType());
        }
        Object annotations = plain(parse(referrer.manifestBytes(), referrer.manifest().digest()) instanceof Map<?, ?> m
                ? m.get("annotations") : null);
        if (annotations instanceof Map<?, ?>) {
            entry.put("annotations", annotations);
        }
        manifests.add(entry);
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.INDEX);
        index.put("manifests", manifests);
        registry.putManifest(repository, tag, MediaTypes.INDEX, JsonText.write(index));
        return "tag " + tag;
    }

    /** Pushes one blob of the layout to the repository. */
    @FunctionalInterface
    interface BlobPush {
        void push(Descriptor blob) throws RegistryException, IOException;
    }

    private static Object parse(byte[] json, String what) throws IOException {
        try {
            return JsonReader.parse(json);
        } catch (IOException e) {
            throw new IOException(what + " is not JSON: " + e.getMessage(), e);
        }
    }

    /** @return the parsed JSON in the types {@link JsonText} writes: whole numbers as {@code Long} */
    private static Object plain(Object json) throws IOException {
        if (json instanceof BigDecimal number) {
            try {
                return number.longValueExact();
            } catch (ArithmeticException e) {
                throw new IOException("the referrers index holds the number " + number + ", not a whole one", e);
            }
        }
        if (json instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getValue() != null) {
                    copy.put((String) e.getKey(), plain(e.getValue()));
                }
            }
            return copy;
        }
        if (json instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            for (Object o : list) {
                copy.add(plain(o));
            }
            return copy;
        }
        return json;
    }
}
