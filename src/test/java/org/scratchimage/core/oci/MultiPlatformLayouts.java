package org.scratchimage.core.oci;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.scratchimage.core.compress.DigestingOutputStream;
import org.scratchimage.core.image.ContainerConfig;
import org.scratchimage.core.image.Platform;

/**
 * Hand-made layouts of a multi-platform image, as the contract of issue 16 says {@code scratch:build} writes them:
 * per platform a config and a manifest over a shared layer (the same bytes everywhere) and a layer of its own; one
 * image index listing the manifests with their platforms; {@code index.json} with one entry per tag pointing at the
 * index, then, with an SBOM, one SPDX referrer per platform whose subject is that platform's manifest. Written through
 * {@link OciLayout}'s transaction, so the layout is committed as a build commits it. The layers are real tars.
 */
public final class MultiPlatformLayouts {
    public static final Platform AMD64 = new Platform("linux", "amd64", null);
    public static final Platform ARM64 = new Platform("linux", "arm64", "v8");
    public static final Instant CREATED = Instant.ofEpochSecond(1);
    public static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar";

    private MultiPlatformLayouts() {}

    /**
     * What was written.
     *
     * @param index the image index
     * @param manifests each platform's image manifest, in the index's order
     * @param configs each platform's config, in the same order
     * @param sharedLayer the layer every platform has
     * @param referrers the SBOM referrers, one per platform in the same order, or none
     */
    public record Written(Descriptor index, List<Descriptor> manifests, List<Descriptor> configs,
            Descriptor sharedLayer, List<Descriptor> referrers) {}

    /** Writes {@code image} for {@code platforms} under {@code tags} into the layout folder {@code dir}. */
    public static Written write(Path dir, String image, List<String> tags, List<Platform> platforms, boolean sbom)
            throws UnsafeOutputDirectoryException, IOException {
        try (OciLayout.Transaction transaction = OciLayout.open(dir).begin()) {
            Descriptor shared = transaction.addBlob(tar("app.txt", "the same on every platform\n"), LAYER_TYPE);
            List<Descriptor> manifests = new ArrayList<>();
            List<Descriptor> configs = new ArrayList<>();
            for (Platform platform : platforms) {
                byte[] own = tar("platform.txt", platform + "\n");
                Descriptor layer = transaction.addBlob(own, LAYER_TYPE);
                // Uncompressed tars: the diff_id is the blob's digest.
                Descriptor config = transaction.addBlob(OciJson.config(platform, CREATED, emptyConfig(),
                        List.of(shared.digest(), layer.digest()), List.of("app", "platform"),
                        OciLayout.CREATED_BY_PREFIX + "test"), MediaTypes.CONFIG);
                configs.add(config);
                manifests.add(transaction.addBlob(OciJson.manifest(config, List.of(shared, layer), CREATED,
                        new TreeMap<>()), MediaTypes.MANIFEST));
            }
            Descriptor index = transaction.addBlob(OciJson.imageIndex(manifests, platforms, CREATED, new TreeMap<>()),
                    MediaTypes.INDEX);
            List<Descriptor> referrers = new ArrayList<>();
            if (sbom) {
                transaction.addBlob(OciJson.emptyJson(), MediaTypes.EMPTY);
                for (int i = 0; i < platforms.size(); i++) {
                    Descriptor document = transaction.addBlob(("{\"spdxVersion\":\"SPDX-2.3\",\"name\":\""
                            + platforms.get(i) + "\"}").getBytes(StandardCharsets.UTF_8), MediaTypes.SPDX_JSON);
                    referrers.add(transaction.addBlob(OciJson.referrer(MediaTypes.SPDX_JSON, document,
                            "sbom.spdx.json", manifests.get(i), CREATED), MediaTypes.MANIFEST));
                }
            }
            transaction.commit(OciJson.index(index, null, image, tags, referrers, MediaTypes.SPDX_JSON));
            return new Written(index, manifests, configs, shared, referrers);
        }
    }

    /** @return a tar of one regular file, 0644, 0:0, mtime 1 */
    public static byte[] tar(String name, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(bytes.length);
            entry.setMode(0100644);
            entry.setModTime(1000);
            entry.setUserName("");
            entry.setGroupName("");
            tar.putArchiveEntry(entry);
            tar.write(bytes);
            tar.closeArchiveEntry();
        }
        return out.toByteArray();
    }

    /** @return the digest of {@code bytes} */
    public static String digest(byte[] bytes) {
        return DigestingOutputStream.digestOf(bytes);
    }

    private static ContainerConfig emptyConfig() {
        return new ContainerConfig(null, new TreeSet<>(), new TreeMap<>(), List.of(), List.of(), new TreeSet<>(),
                null, new TreeMap<>(), null);
    }
}
