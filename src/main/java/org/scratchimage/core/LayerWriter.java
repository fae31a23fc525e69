package org.scratchimage.core;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.scratchimage.core.compress.CompressingStream;
import org.scratchimage.core.compress.DigestingOutputStream;
import org.scratchimage.core.compress.GzipWriter;
import org.scratchimage.core.compress.ZstdWriter;
import org.scratchimage.core.image.Compression;
import org.scratchimage.core.image.FileDigest;
import org.scratchimage.core.image.LayerEntry;
import org.scratchimage.core.tar.LayerTarWriter;

/**
 * Writes a layer blob in one streaming pass: tar framing, hashing of the uncompressed stream (the diff_id),
 * compression, and hashing of the compressed stream (the blob digest). Memory use does not grow with the layer.
 */
final class LayerWriter {
    private static final int BUFFER = 256 * 1024;

    /**
     * @param digest sha256 of the blob as stored
     * @param size size of the blob as stored
     * @param diffId sha256 of the uncompressed tar
     * @param entries number of tar entries
     * @param files the SHA-1 and SHA-256 of each regular file, in tar order, or {@code null} if not asked for
     */
    record Layer(String digest, long size, String diffId, long entries, List<FileDigest> files) {}

    private LayerWriter() {}

    /** Writes with the codec's default level. */
    static Layer write(List<LayerEntry> entries, long mtime, Compression compression, OutputStream target)
            throws IOException {
        return write(entries, mtime, compression, compression.defaultLevel(), false, target);
    }

    /**
     * @param digestFiles whether to take each regular file's SHA-1 and SHA-256 from the bytes as they are copied
     *     (for the SBOM): no file is read twice
     */
    static Layer write(List<LayerEntry> entries, long mtime, Compression compression, int level, boolean digestFiles,
            OutputStream target) throws IOException {
        DigestingOutputStream stored = new DigestingOutputStream(new BufferedOutputStream(target, BUFFER));
        CompressingStream compressor = switch (compression) {
            case GZIP -> new GzipWriter(stored, level);
            case ZSTD -> new ZstdWriter(stored, level);
            case NONE -> null;
        };
        DigestingOutputStream tar = compressor == null
                ? stored
                : new DigestingOutputStream(new BufferedOutputStream(compressor, BUFFER));
        try (OutputStream closing = tar) {
            LayerTarWriter writer = new LayerTarWriter(tar, mtime, digestFiles);
            for (LayerEntry entry : entries) {
                writer.write(entry);
            }
            writer.finish();
            tar.flush();
            if (compressor != null) {
                compressor.finish();
            }
            stored.flush();
            String digest = stored.digest();
            String diffId = compressor == null ? digest : tar.digest();
            return new Layer(digest, stored.size(), diffId, writer.entries(),
                    digestFiles ? writer.files() : null);
        }
    }
}
