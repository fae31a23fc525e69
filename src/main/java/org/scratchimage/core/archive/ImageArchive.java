package org.scratchimage.core.archive;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.scratchimage.core.image.DirectoryEntry;
import org.scratchimage.core.image.Platform;
import org.scratchimage.core.image.RegularFileEntry;
import org.scratchimage.core.oci.LayoutContents;
import org.scratchimage.core.oci.Descriptor;
import org.scratchimage.core.oci.LayoutReader;
import org.scratchimage.core.oci.LayoutEntry;
import org.scratchimage.core.oci.UnusableLayoutException;
import org.scratchimage.core.tar.LayerTarWriter;
import org.scratchimage.core.tar.SourceChangedException;

/**
 * Writes the images of a committed OCI layout as one tar that is both an OCI layout and a {@code docker save}
 * archive.
 *
 * <p>The tar holds, in this order (sorted by bytes, parents first): {@code blobs/}, {@code blobs/sha256/}, every
 * blob the images use, once, {@code index.json} (the images only), {@code manifest.json}, {@code oci-layout} and
 * {@code repositories}; {@code manifest.json} and {@code repositories} serve Docker before 25 and point at the same
 * blob files. A multi-platform image keeps its image index and every platform's blobs in the OCI part, while
 * {@code manifest.json} holds one platform: the builder's if the index has it, else the first. Every entry is owned by 0:0 with empty user and group names, has the given mtime and no PAX record;
 * directories are 0755, files 0644. So the same images give the same bytes whatever the folder, umask, file times or
 * JDK. See {@link ArchiveDocuments} for the names the documents give the images.
 */
public final class ImageArchive {
    private static final byte[] OCI_LAYOUT = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);
    private static final int BUFFER = 256 * 1024;
    private static final int DIRECTORY_MODE = 0755;
    private static final int FILE_MODE = 0644;
    private static final String ORIGIN = "image archive";

    private ImageArchive() {}

    /**
     * Streams the layout's images (only index.json entries whose mediaType is an image manifest; others such as
     * referrers are left out, and so are blobs only they use) into {@code archive}, atomically: a temporary file
     * in the same folder, then renamed over the old file. Not forced to disk: like a jar, the archive is a build
     * output, and one torn by a crash no longer matches the stamp the build state recorded, so the next build
     * writes it again (forcing W2's 183 MiB cost a quarter of the archive's time). Each blob appears once. A
     * referrer that is an image manifest too (it names a {@code subject} or an {@code artifactType}, or its config or layers are no image's) is
     * left out as well: see {@link LayoutReader#readImages}.
     *
     * @param layout the layout folder (the caller holds the build's lock, so it does not change meanwhile)
     * @param archive the tar to write
     * @param mtimeSeconds every entry's mtime: the image's timestamp, in seconds since the epoch
     * @return what was written
     * @throws IOException on I/O errors, or when the layout is not one this plugin wrote
     */
    public static ArchiveResult write(Path layout, Path archive, long mtimeSeconds) throws IOException {
        return write(layout, archive, mtimeSeconds, null);
    }

    /**
     * As {@link #write(Path, Path, long)}, for a layout that may hold a multi-platform image: its image index, every
     * platform's manifest and blobs go into the OCI part.
     *
     * @param preferred the platform of the machine that builds, or {@code null}: the platform of a multi-platform
     *     image that {@code manifest.json} (Docker before 25) holds, if the index has it; else its first platform
     */
    public static ArchiveResult write(Path layout, Path archive, long mtimeSeconds, Platform preferred)
            throws IOException {
        if (mtimeSeconds < 0) {
            throw new IllegalArgumentException("negative mtime " + mtimeSeconds);
        }
        Path target = archive.toAbsolutePath().normalize();
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("Cannot write the image archive " + target + ": it is a directory");
        }
        LayoutContents read;
        try {
            read = LayoutReader.readImages(layout);
        } catch (UnusableLayoutException e) {
            throw new IOException(e.getMessage(), e);
        }
        List<String> repoTags = new ArrayList<>();
        SortedMap<String, Descriptor> blobs = new TreeMap<>();
        for (LayoutEntry entry : read.entries()) {
            for (String name : entry.names()) {
                if (ArchiveDocuments.tag(name) == null) {
                    throw new IOException("The image layout in " + read.directory() + " names an image \"" + name
                            + "\", which has no tag: it is not one scratch:build wrote. Fix: delete the folder and"
                            + " run scratch:build again");
                }
                repoTags.add(name);
            }
            blobs.put(entry.manifest().hex(), entry.manifest());
            entry.images().forEach(image -> blobs.put(image.manifest().hex(), image.manifest()));
            for (Descriptor blob : entry.blobs()) {
                blobs.put(blob.hex(), blob);
            }
        }

        Path folder = Files.createDirectories(target.getParent());
        // Unique, so two writers never share one; a crash leaves it behind, hidden, beside the archive.
        Path temp = folder.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + System.nanoTime() + ".tmp");
        boolean moved = false;
        try {
            long size;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
                writeTar(out, read, blobs.values(), mtimeSeconds, target, preferred);
                out.flush();
                size = channel.size();
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            return new ArchiveResult(target, size, repoTags);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Writes the entries, sorted by name: each blob streamed from its file, then the documents. */
    private static void writeTar(OutputStream out, LayoutContents layout, Collection<Descriptor> blobs,
            long mtimeSeconds, Path target, Platform preferred) throws IOException {
        LayerTarWriter tar = new LayerTarWriter(out, mtimeSeconds);
        tar.write(new DirectoryEntry("blobs", DIRECTORY_MODE, 0, 0, ORIGIN));
        tar.write(new DirectoryEntry("blobs/sha256", DIRECTORY_MODE, 0, 0, ORIGIN));
        for (Descriptor blob : blobs) {
            try {
                tar.write(new RegularFileEntry(ArchiveDocuments.BLOBS + blob.hex(), layout.blob(blob), blob.size(),
                        FILE_MODE, 0, 0, ORIGIN, false));
            } catch (SourceChangedException e) {
                throw new IOException("blobs/sha256/" + blob.hex() + " of " + layout.directory()
                        + " changed while the archive was written: something else writes the layout. " + target
                        + " was left as it was", e);
            }
        }
        List<ArchiveDocuments.DockerImage> images = ArchiveDocuments.dockerImages(layout.entries(), preferred);
        tar.write("index.json", ArchiveDocuments.index(layout.entries()), FILE_MODE);
        tar.write("manifest.json", ArchiveDocuments.dockerManifest(images), FILE_MODE);
        tar.write("oci-layout", OCI_LAYOUT, FILE_MODE);
        tar.write("repositories", ArchiveDocuments.repositories(images), FILE_MODE);
        tar.finish();
    }
}
