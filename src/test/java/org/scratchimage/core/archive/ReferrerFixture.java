package org.scratchimage.core.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.scratchimage.core.compress.DigestingOutputStream;

/**
 * Adds to a layout what other tools put beside an image in {@code index.json}: an OCI 1.1 referrer (an SBOM whose
 * manifest names the image as its {@code subject}, with an {@code artifactType} and the empty config), and an entry of
 * another media type (an index that lists the referrer).
 */
final class ReferrerFixture {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReferrerFixture() {}

    /** @return the digests of the blobs added, none of which the image uses */
    static List<String> addTo(Path layout, String imageManifestDigest) throws IOException {
        Path blobs = layout.resolve("blobs/sha256");
        long imageManifestSize = Files.size(blobs.resolve(imageManifestDigest.substring(7)));
        ObjectNode sbom = blob(blobs, "application/spdx+json", "{\"spdxVersion\":\"SPDX-2.3\"}");
        ObjectNode empty = blob(blobs, "application/vnd.oci.empty.v1+json", "{}");

        ObjectNode referrer = JSON.createObjectNode();
        referrer.put("schemaVersion", 2);
        referrer.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        referrer.put("artifactType", "application/spdx+json");
        referrer.set("config", empty);
        referrer.putArray("layers").add(sbom);
        ObjectNode subject = referrer.putObject("subject");
        subject.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        subject.put("digest", imageManifestDigest);
        subject.put("size", imageManifestSize);
        ObjectNode referrerDescriptor = blob(blobs, "application/vnd.oci.image.manifest.v1+json",
                JSON.writeValueAsString(referrer));
        referrerDescriptor.put("artifactType", "application/spdx+json");

        ObjectNode nested = JSON.createObjectNode();
        nested.put("schemaVersion", 2);
        nested.put("mediaType", "application/vnd.oci.image.index.v1+json");
        nested.putArray("manifests").add(referrerDescriptor.deepCopy());
        ObjectNode nestedDescriptor = blob(blobs, "application/vnd.oci.image.index.v1+json",
                JSON.writeValueAsString(nested));

        ObjectNode index = (ObjectNode) JSON.readTree(layout.resolve("index.json").toFile());
        ArrayNode manifests = (ArrayNode) index.path("manifests");
        manifests.add(referrerDescriptor);
        manifests.add(nestedDescriptor);
        JSON.writeValue(layout.resolve("index.json").toFile(), index);
        return List.of(sbom.path("digest").asText(), empty.path("digest").asText(),
                referrerDescriptor.path("digest").asText(), nestedDescriptor.path("digest").asText());
    }

    /** @return the descriptor of a blob written with {@code content} */
    private static ObjectNode blob(Path blobs, String mediaType, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        String digest = DigestingOutputStream.digestOf(bytes);
        Files.write(blobs.resolve(digest.substring(7)), bytes);
        ObjectNode descriptor = JSON.createObjectNode();
        descriptor.put("mediaType", mediaType);
        descriptor.put("digest", digest);
        descriptor.put("size", bytes.length);
        return descriptor;
    }
}
