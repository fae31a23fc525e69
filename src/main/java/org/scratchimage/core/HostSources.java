package org.scratchimage.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.scratchimage.core.elf.HostReads;
import org.scratchimage.core.elf.Sysroot;

/**
 * The host paths that {@code <source>} elements name: resolved against the project directory, and checked to be
 * what the declaration needs, a readable regular file or a directory. In a platform of {@code <platforms>} whose
 * sysroot is not {@code /}, an absolute source is a path of that platform's file system: it is resolved inside the
 * sysroot as a chroot would ({@link Sysroot}), so no link leads out of it.
 */
final class HostSources {
    private final Path baseDirectory;
    private final Path sourceRoot;

    HostSources(Path baseDirectory) {
        this(baseDirectory, null);
    }

    /** @param sourceRoot where absolute sources are looked up, or {@code null} for the host's root */
    HostSources(Path baseDirectory, Path sourceRoot) {
        this.baseDirectory = baseDirectory;
        this.sourceRoot = sourceRoot;
    }

    /** @return the readable regular file that a {@code <file>} or {@code <binary>} names, links followed */
    Path regularFile(String element, String source) throws InvalidConfigurationException {
        Path file = resolve(element, source);
        if (!Files.exists(file)) {
            throw new InvalidConfigurationException(element, source, missing(file) + " (resolved to " + file + ")",
                    fixOfMissing());
        }
        if (Files.isDirectory(file)) {
            throw new InvalidConfigurationException(element, source, "is a directory",
                    "declare it as a <directory> with this <source> to copy the tree, or name a file inside it");
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigurationException(element, source, "is not a regular file (a device, fifo or socket)",
                    "name a regular file; special files cannot be copied into a layer");
        }
        if (!Files.isReadable(file)) {
            throw new InvalidConfigurationException(element, source, "is not readable by the build user",
                    "grant read permission (chmod u+r) or run the build as a user that can read it");
        }
        return file;
    }

    /** @return the directory that a {@code <directory>}'s {@code <source>} names, as resolved, links not resolved */
    Path directory(String element, String source) throws InvalidConfigurationException {
        Path root = resolve(element, source);
        // The tree walked is where the links lead: another target is another tree.
        HostReads.noteFollowed(root);
        if (!Files.isDirectory(root)) {
            boolean aFile = Files.exists(root);
            String problem = aFile ? "is not a directory" : missing(root);
            String fix = aFile ? "declare a single file as a <file> or <binary>" : fixOfMissing();
            throw new InvalidConfigurationException(element, source, problem + " (resolved to " + root + ")", fix);
        }
        return root;
    }

    private Path resolve(String element, String source) throws InvalidConfigurationException {
        if (source == null || source.isBlank()) {
            throw new InvalidConfigurationException(element, "", "is empty", "name a host path, absolute or relative to "
                    + baseDirectory);
        }
        try {
            if (sourceRoot != null && source.startsWith("/")) {
                return Sysroot.resolve(sourceRoot, source);
            }
            return baseDirectory.resolve(source).normalize();
        } catch (IOException e) {
            throw new InvalidConfigurationException(element, source, "cannot be resolved inside the platform's sysroot "
                    + sourceRoot + " (" + e.getMessage() + ")", "fix the links on that path inside the sysroot");
        } catch (InvalidPathException e) {
            throw new InvalidConfigurationException(element, source, "is not a valid host path (" + e.getReason() + ")",
                    "name an existing host path");
        }
    }

    private String fixOfMissing() {
        return "correct the path; relative paths resolve against the project directory " + baseDirectory
                + (sourceRoot == null ? "" : ", absolute ones inside the platform's sysroot " + sourceRoot);
    }

    /** Why a path the user named leads nowhere: a dangling link, a link loop, or nothing at all. */
    private static String missing(Path path) {
        if (!Files.isSymbolicLink(path)) {
            return "does not exist";
        }
        try {
            path.toRealPath();
        } catch (java.nio.file.FileSystemLoopException e) {
            return "is a loop of symbolic links";
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("Too many levels of symbolic links")) {
                return "is a loop of symbolic links";
            }
        }
        return "is a symbolic link whose target does not exist";
    }
}
