package org.scratchimage.core.oci;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.scratchimage.core.compress.DigestingOutputStream;

/**
 * An OCI image layout directory that this plugin owns, replaced as a whole by {@link Transaction#commit}.
 *
 * <p>The commit protocol keeps the previous layout readable until the new one is complete: new blobs are
 * written under {@value #STAGING} and renamed into {@code blobs/sha256/} (adding a content-addressed blob is
 * harmless), {@code index.json} is replaced last by an atomic rename, and only then are blobs that nothing
 * references removed. A build that fails or dies before the rename leaves the previous index and all its
 * blobs in place; the next build removes the staging folder.
 *
 * <p>Nothing is written into, or deleted from, a directory that is neither empty nor a layout this plugin
 * wrote: {@link #open} refuses it (see {@code LayoutOwnership}).
 */
public final class OciLayout {
    /** The layout file's exact content. */
    public static final byte[] OCI_LAYOUT = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);
    /** The {@code created_by} of the config's history starts with this in every image the plugin writes. */
    public static final String CREATED_BY_PREFIX = "org.scratchimage:scratch-maven-plugin:";
    /** Folder for blobs being written, inside the layout so renames never cross file systems. */
    public static final String STAGING = ".scratch-staging";

    private final Path directory;
    private final Path blobs;

    private OciLayout(Path directory) {
        this.directory = directory;
        this.blobs = directory.resolve("blobs").resolve("sha256");
    }

    /**
     * Opens {@code directory} for writing if it does not exist, is empty, or holds a layout this plugin wrote.
     *
     * @throws UnsafeOutputDirectoryException if it holds anything else
     */
    public static OciLayout open(Path directory) throws UnsafeOutputDirectoryException, IOException {
        Path dir = directory.toAbsolutePath().normalize();
        LayoutOwnership.check(dir);
        return new OciLayout(dir);
    }

    /** @return the names in {@code dir}, in the order the file system lists them */
    static List<String> list(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                names.add(p.getFileName().toString());
            }
        }
        return names;
    }

    /** @return the layout directory */
    public Path directory() {
        return directory;
    }

    /** Starts writing a new layout; until {@link Transaction#commit} the previous one stays as it was. */
    public Transaction begin() throws IOException {
        boolean fresh = !Files.exists(directory.resolve("index.json"), LinkOption.NOFOLLOW_LINKS);
        List<Path> created = new ArrayList<>(createDirectories(directory));
        // The staging folder comes before blobs/: killed in between, a new folder must still be recognised as a
        // first build of this plugin that died, not refused as a foreign one.
        Path staging = directory.resolve(STAGING);
        deleteStaging(staging);
        Files.createDirectory(staging);
        created.addAll(createDirectories(blobs));
        return new Transaction(staging, fresh, created);
    }

    /** Like {@link Files#createDirectories}, but tells which folders it made, outermost first. */
    private static List<Path> createDirectories(Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.add(0, p);
        }
        List<Path> created = new ArrayList<>();
        for (Path p : missing) {
            try {
                Files.createDirectory(p);
                created.add(p);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(p)) {
                    throw e;
                }
            }
        }
        return created;
    }

    /** Removes what an earlier, interrupted build left in the staging folder: only plain files, never a tree. */
    private static void deleteStaging(Path staging) throws IOException {
        if (!Files.exists(staging, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(staging, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(staging.toString(), null, "is not the plugin's staging folder");
        }
        for (String name : list(staging)) {
            Files.delete(staging.resolve(name));
        }
        Files.delete(staging);
    }

    /**
     * The writing of one new layout. Closing it without a commit discards what it wrote, so the previous layout
     * is left as it was; where there was none, the folder is left empty, or removed if this transaction made it.
     */
    public final class Transaction implements AutoCloseable {
        private final Path staging;
        /** No index yet: the folder was new, empty, or held only the leftovers of a first build that died. */
        private final boolean fresh;
        private final List<Path> createdDirectories;
        private final Set<String> referenced = new HashSet<>();
        private final Set<String> added = new HashSet<>();
        private int counter;
        private boolean committed;

        private Transaction(Path staging, boolean fresh, List<Path> createdDirectories) {
            this.staging = staging;
            this.fresh = fresh;
            this.createdDirectories = createdDirectories;
        }

        /** @return a new, empty file in the staging folder, for a blob written by streaming */
        public Path newStagingFile() throws IOException {
            return Files.createFile(staging.resolve("blob-" + (++counter)));
        }

        /** Moves a fully written staging file into {@code blobs/sha256/} under its digest. */
        public Descriptor addBlob(Path stagingFile, String digest, long size, String mediaType) throws IOException {
            Descriptor descriptor = new Descriptor(mediaType, digest, size);
            Path target = blobs.resolve(descriptor.hex());
            force(stagingFile);
            if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && Files.size(target) == size) {
                Files.delete(stagingFile);
            } else {
                if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    added.add(descriptor.hex());
                }
                Files.move(stagingFile, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            referenced.add(descriptor.hex());
            return descriptor;
        }

        /**
         * Keeps a blob of the previous layout as it is, without reading or writing it: a layer whose inputs did not
         * change.
         *
         * @return its descriptor, or {@code null} if the layout no longer holds a blob of that digest and size
         */
        public Descriptor reuseBlob(String digest, long size, String mediaType) throws IOException {
            Descriptor descriptor = new Descriptor(mediaType, digest, size);
            Path blob = blobs.resolve(descriptor.hex());
            if (!Files.isRegularFile(blob, LinkOption.NOFOLLOW_LINKS) || Files.size(blob) != size) {
                return null;
            }
            referenced.add(descriptor.hex());
            return descriptor;
        }

        /** Writes a small blob given whole. */
        public Descriptor addBlob(byte[] content, String mediaType) throws IOException {
            Path file = newStagingFile();
            Files.write(file, content);
            String digest = DigestingOutputStream.digestOf(content);
            return addBlob(file, digest, content.length, mediaType);
        }

        /**
         * Makes the new layout the current one: writes {@code oci-layout} if needed, replaces {@code index.json}
         * atomically, then removes the blobs that the new index does not reference and the staging folder.
         */
        public void commit(byte[] index) throws IOException {
            force(blobs);
            Path layoutFile = directory.resolve("oci-layout");
            if (!Files.isRegularFile(layoutFile) || !Arrays.equals(Files.readAllBytes(layoutFile), OCI_LAYOUT)) {
                replace(layoutFile, OCI_LAYOUT);
            }
            replace(directory.resolve("index.json"), index);
            force(directory);
            committed = true;
            for (String name : list(blobs)) {
                if (!referenced.contains(name)) {
                    Files.deleteIfExists(blobs.resolve(name));
                }
            }
            deleteStaging(staging);
        }

        private void replace(Path target, byte[] content) throws IOException {
            Path file = newStagingFile();
            Files.write(file, content);
            force(file);
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }

        @Override
        public void close() throws IOException {
            if (committed) {
                return;
            }
            deleteStaging(staging);
            if (fresh) {
                // Without an index nothing references any blob here, and open() saw only this plugin's files.
                if (Files.isDirectory(blobs, LinkOption.NOFOLLOW_LINKS)) {
                    for (String name : list(blobs)) {
                        Files.delete(blobs.resolve(name));
                    }
                    Files.delete(blobs);
                }
                Files.deleteIfExists(blobs.getParent());
                Files.deleteIfExists(directory.resolve("oci-layout"));
            } else {
                // Nothing the previous index references was added here, so these removals cannot break it.
                for (String hex : added) {
                    Files.deleteIfExists(blobs.resolve(hex));
                }
            }
            for (int i = createdDirectories.size() - 1; i >= 0; i--) {
                try {
                    Files.deleteIfExists(createdDirectories.get(i));
                } catch (DirectoryNotEmptyException e) {
                    // Someone else put something there meanwhile: leave it and everything above it.
                    return;
                }
            }
        }
    }

    private static void force(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Opens a staging file for streaming. */
    public static OutputStream output(Path stagingFile) throws IOException {
        return Files.newOutputStream(stagingFile, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
