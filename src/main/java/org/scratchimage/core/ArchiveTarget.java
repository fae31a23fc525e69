package org.scratchimage.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.scratchimage.core.oci.FolderKey;
import org.scratchimage.core.oci.ImageMetadata;

/**
 * Where the archive of the image goes ({@code <archiveFile>}), and the places it must not go: into the layout, onto
 * a directory or onto a file the build writes itself. {@link LayerEntries} checks it against the sources, which it
 * must not be, nor lie in.
 */
final class ArchiveTarget {
    /** What the fix offers instead. */
    static final String DEFAULT = "${project.build.directory}/${project.build.finalName}-image.tar (the default)";

    private ArchiveTarget() {}

    /**
     * @return the archive's path, relative paths resolved against the project and every link on the way to its
     *     folder resolved ({@link FolderKey}), or {@code null} when the request asks for no archive
     * @throws IOException if its folder's real path cannot be found, such as a loop of links
     */
    static Path of(BuildRequest request) throws IOException {
        if (request.archiveFile() == null) {
            return null;
        }
        Path base = request.baseDirectory();
        Path file = (base == null ? request.archiveFile() : base.resolve(request.archiveFile())).toAbsolutePath()
                .normalize();
        if (file.getFileName() == null) {
            return file;
        }
        return FolderKey.of(file.getParent()).resolve(file.getFileName().toString());
    }

    /**
     * @return the archive's path as {@link #of} gives it, or {@code null} for none
     * @throws InvalidConfigurationException if it is an existing directory, lies in the output folder, or is one of
     *     the files the build writes beside it (the layout's lock and state, the result files)
     */
    static Path check(BuildRequest request) throws InvalidConfigurationException, IOException {
        Path archive = of(request);
        if (archive == null) {
            return null;
        }
        String value = request.archiveFile().toString();
        if (Files.isDirectory(archive, LinkOption.NOFOLLOW_LINKS) || archive.getFileName() == null) {
            throw new InvalidConfigurationException("<archiveFile>", value, "is a directory",
                    "name the tar file itself, such as " + (archive.getFileName() == null ? "/image.tar"
                            : archive.resolve("image.tar")) + ", or remove <archiveFile> for " + DEFAULT);
        }
        Path output = FolderKey.of(ImageBuilder.outputDirectory(request));
        if (archive.startsWith(output)) {
            throw new InvalidConfigurationException("<archiveFile>", value, "is inside the output folder " + output
                    + ", which holds the OCI layout and nothing else", "write the archive outside it, such as "
                    + DEFAULT);
        }
        String name = archive.getFileName().toString();
        String beside = "." + output.getFileName() + ".scratch-";
        if (archive.getParent().equals(output.getParent()) && name.startsWith(beside)) {
            throw new InvalidConfigurationException("<archiveFile>", value, "is the lock or state file of the output"
                    + " folder " + output + " (the plugin keeps " + beside + "* beside it: its lock, state and"
                    + " records)", "write the archive elsewhere, such as " + DEFAULT);
        }
        if (request.resultDirectory() != null && archive.getParent().equals(FolderKey.of(request.resultDirectory()))
                && (name.equals(ImageMetadata.FILE_NAME) || name.equals(ImageMetadata.DIGEST_FILE_NAME))) {
            throw new InvalidConfigurationException("<archiveFile>", value, "is " + name + ", a result file that"
                    + " every build writes", "write the archive elsewhere, such as " + DEFAULT);
        }
        return archive;
    }

    /**
     * @param archive the archive, as {@link #of} gives it
     * @param source a {@code <file>} or {@code <binary>} source, as resolved
     * @return whether writing the archive would replace that source, or the file it links to
     */
    static boolean replaces(Path archive, Path source) throws IOException {
        Path absolute = source.toAbsolutePath().normalize();
        Path named = absolute.getFileName() == null ? absolute
                : FolderKey.of(absolute.getParent()).resolve(absolute.getFileName().toString());
        return archive.equals(named) || archive.equals(source.toRealPath());
    }
}
