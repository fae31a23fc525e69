package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.image.Compression;
import org.scratchimage.core.image.DirectoryEntry;
import org.scratchimage.core.image.LayerEntry;
import org.scratchimage.core.image.RegularFileEntry;
import org.scratchimage.core.image.SymlinkEntry;
import org.scratchimage.core.oci.LayoutSnapshot;
import org.scratchimage.core.tar.RawTar;
import org.scratchimage.core.tar.SourceChangedException;

class LayerWriterTest {
    @TempDir
    Path dir;

    private List<LayerEntry> entries() throws IOException {
        byte[] content = new byte[300_000];
        new Random(1).nextBytes(content);
        Path app = Files.write(dir.resolve("app"), content);
        return List.of(
                new DirectoryEntry("", 0755, 0, 0, "root"),
                new DirectoryEntry("bin", 0755, 0, 0, "t"),
                new RegularFileEntry("bin/app", app, content.length, 0755, 0, 0, "t"),
                new SymlinkEntry("bin/sh", "app", 0, 0, "t"),
                new DirectoryEntry("\u00e9t\u00e9", 0755, 0, 0, "t"));
    }

    @Test
    void gzipLayerDigestIsOfTheBlobAndDiffIdOfTheUncompressedTar() throws IOException {
        ByteArrayOutputStream blob = new ByteArrayOutputStream();

        LayerWriter.Layer layer = LayerWriter.write(entries(), 1_700_000_000L, Compression.GZIP, blob);

        byte[] stored = blob.toByteArray();
        byte[] tar;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(stored))) {
            tar = in.readAllBytes();
        }
        assertThat(Arrays.copyOf(stored, 10)).containsExactly(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff);
        assertThat(layer.digest()).isEqualTo("sha256:" + LayoutSnapshot.sha256(stored));
        assertThat(layer.size()).isEqualTo(stored.length);
        assertThat(layer.diffId()).isEqualTo("sha256:" + LayoutSnapshot.sha256(tar)).isNotEqualTo(layer.digest());
        assertThat(layer.entries()).isEqualTo(5);
        List<RawTar.Header> headers = RawTar.parse(tar);
        assertThat(headers).extracting(RawTar.Header::type).containsExactly(
                (byte) '5', (byte) '5', (byte) '0', (byte) '2', (byte) 'x', (byte) '5');
        assertThat(headers.subList(0, 4)).extracting(RawTar.Header::ustarPath)
                .containsExactly("./", "bin/", "bin/app", "bin/sh");
        assertThat(headers.get(4).paxRecords()).containsExactly(Map.entry("path", "\u00e9t\u00e9/"));
    }

    @Test
    void uncompressedLayerIsThePlainTarAndItsDigestIsItsDiffId() throws IOException {
        ByteArrayOutputStream blob = new ByteArrayOutputStream();

        LayerWriter.Layer layer = LayerWriter.write(entries(), 1_700_000_000L, Compression.NONE, blob);

        byte[] stored = blob.toByteArray();
        assertThat(RawTar.entries(RawTar.parse(stored))).hasSize(5);
        assertThat(layer.digest()).isEqualTo("sha256:" + LayoutSnapshot.sha256(stored)).isEqualTo(layer.diffId());
        assertThat(layer.size()).isEqualTo(stored.length);
    }

    @Test
    void theSameEntriesGiveTheSameBytes() throws IOException {
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();

        LayerWriter.write(entries(), 1, Compression.GZIP, first);
        LayerWriter.write(entries(), 1, Compression.GZIP, second);

        assertThat(first.toByteArray()).isEqualTo(second.toByteArray());
    }

    @Test
    void theCompressedDiffIdEqualsTheUncompressedDigest() throws IOException {
        LayerWriter.Layer gzip = LayerWriter.write(entries(), 1, Compression.GZIP, new ByteArrayOutputStream());
        LayerWriter.Layer none = LayerWriter.write(entries(), 1, Compression.NONE, new ByteArrayOutputStream());

        assertThat(gzip.diffId()).isEqualTo(none.digest());
    }

    @Test
    void aSourceThatChangedFailsTheLayer() throws IOException {
        List<LayerEntry> entries = entries();
        Files.write(dir.resolve("app"), new byte[10]);

        assertThatThrownBy(() -> LayerWriter.write(entries, 1, Compression.GZIP, new ByteArrayOutputStream()))
                .isInstanceOf(SourceChangedException.class);
    }
}
