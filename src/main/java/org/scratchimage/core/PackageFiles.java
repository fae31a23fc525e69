package org.scratchimage.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.scratchimage.core.image.FileStamp;
import org.scratchimage.core.image.GeneratedFileEntry;
import org.scratchimage.core.image.LayerEntry;
import org.scratchimage.core.image.RegularFileEntry;
import org.scratchimage.core.packages.DpkgDatabase;
import org.scratchimage.core.packages.DpkgReader;
import org.scratchimage.core.packages.MetadataFile;
import org.scratchimage.core.packages.PackageMetadata;
import org.scratchimage.core.packages.PackageScan;

/**
 * Adds the package metadata ({@code <packageMetadata>}) to the image: the files {@link DpkgReader} makes for the
 * Debian packages that own the image's files, in the metadata layer, 0644 and 0:0.
 */
final class PackageFiles {
    private PackageFiles() {}

    /**
     * Call before the planning collects the entries: the dpkg database is read meanwhile, on a thread of its own.
     *
     * @return the database being read; {@code null} when off, or when the sysroot is wrong: the planning reports
     *     that in its turn, after the mistakes of the declarations it checks first, and {@link #addTo} is not reached
     */
    static DpkgDatabase prefetch(BuildRequest request) {
        if (!request.packageMetadata()) {
            return null;
        }
        try {
            return DpkgDatabase.load(SharedLibraries.sysroot(request));
        } catch (InvalidConfigurationException e) {
            // Reported where it always was: SharedLibraries.addTo checks the sysroot before addTo runs.
            return null;
        }
    }

    /**
     * Call after every other entry, the shared libraries included, is in the collector.
     *
     * @param database from {@link #prefetch}, not {@code null} when package metadata is on
     * @return the packages that own the image's files; {@link PackageMetadata#NONE} when off or none was found
     */
    static PackageMetadata addTo(LayerEntries collector, BuildRequest request, BuildListener listener,
            DpkgDatabase database) throws InvalidConfigurationException, IOException {
        if (!request.packageMetadata()) {
            return PackageMetadata.NONE;
        }
        Path sysroot = SharedLibraries.sysroot(request);
        List<DpkgReader.ImageFile> files = new ArrayList<>();
        // The dpkg reader's answer does not depend on the files' order (a sort of 20,000 files saved).
        for (RegularFileEntry file : collector.regularFilesInAnyOrder()) {
            files.add(new DpkgReader.ImageFile(file.path(), file.source(), file.followLinks()));
        }
        PackageScan scan = DpkgReader.read(database, files, listener::warn, listener::debug);
        if (scan.files().isEmpty()) {
            return PackageMetadata.NONE;
        }
        String what = "the package metadata of " + scan.packages() + " Debian "
                + (scan.packages() == 1 ? "package" : "packages");
        for (MetadataFile file : scan.files()) {
            collector.addMetadata(entry(file), what);
        }
        int owned = scan.metadata().owners().size();
        listener.info(String.format("Package metadata: %d files added for %s that %s %d %s of the image, from %s",
                scan.files().size(), what.substring("the package metadata of ".length()),
                scan.packages() == 1 ? "owns" : "own", owned, owned == 1 ? "file" : "files", sysroot));
        return scan.metadata();
    }

    private static LayerEntry entry(MetadataFile file) throws IOException {
        if (file.content() != null) {
            return new GeneratedFileEntry(file.path(), file.content(), LayerEntries.FILE_MODE, 0, 0, file.origin());
        }
        // Resolved inside the sysroot already: opened without following links, it cannot lead out of it.
        FileStamp stamp = FileStamp.read(file.source(), false);
        return new RegularFileEntry(file.path(), file.source(), stamp.size(), LayerEntries.FILE_MODE, 0, 0,
                file.origin(), false, stamp);
    }
}
