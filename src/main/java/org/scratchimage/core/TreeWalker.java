package org.scratchimage.core;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.scratchimage.core.elf.HostReads;
import org.scratchimage.core.image.DirectoryEntry;
import org.scratchimage.core.image.FileStamp;
import org.scratchimage.core.image.LayerEntry;
import org.scratchimage.core.image.RegularFileEntry;
import org.scratchimage.core.image.SymlinkEntry;
import org.scratchimage.core.oci.OciLayout;
import org.scratchimage.core.oci.UnsafeOutputDirectoryException;

/**
 * Walks the host tree of a {@code <directory>} with a {@code <source>}, never following a link below its root, into
 * the entries its patterns select, with the tree's modes and owner; rejects what a layer cannot carry.
 */
final class TreeWalker {
    private final String origin;
    private final Path root;
    /** The root's path string with a trailing '/': the walk's paths start with it. */
    private final String rootPrefix;
    /** The tree's path in the image, relative. */
    private final String base;
    /** The mode of every file, or -1 for one from the owner's execute bit. */
    private final int fileMode;
    private final int directoryMode;
    private final long uid;
    private final long gid;
    private final PathPatterns patterns;
    private final List<LayerEntry> found = new ArrayList<>();
    private final Set<String> parentsAdded = new HashSet<>();

    private TreeWalker(DirectorySpec spec, String origin, Path root) throws InvalidConfigurationException {
        this.origin = origin;
        this.root = root;
        this.rootPrefix = root.toString().endsWith("/") ? root.toString() : root + "/";
        this.base = ImagePaths.relative(origin + "/<path>", spec.path());
        this.fileMode = Values.mode(origin + "/<fileMode>", spec.fileMode(), -1);
        this.directoryMode = Values.mode(origin + "/<directoryMode>", spec.directoryMode(),
                LayerEntries.DIRECTORY_MODE);
        this.uid = Values.id(origin + "/<uid>", spec.uid());
        this.gid = Values.id(origin + "/<gid>", spec.gid());
        this.patterns = new PathPatterns(spec.includes(), spec.excludes());
    }

    /**
     * @param spec the {@code <directory>}, whose {@code <source>} the errors quote
     * @param origin the declaration, such as {@code <directories>/<directory>[2]}
     * @param root the tree's root, a directory, with every link in its path resolved
     * @param output the output folder by its real path ({@code FolderKey}), or {@code null} if not set
     * @return the selected entries below the root, each file after its parents, in the order of the walk
     */
    static List<LayerEntry> walk(DirectorySpec spec, String origin, Path root, Path output)
            throws InvalidConfigurationException, IOException {
        TreeWalker walker = new TreeWalker(spec, origin, root);
        String element = origin + "/<source>";
        if (output != null) {
            walker.rejectOutput(element, spec.source(), output);
        }
        try {
            Files.walkFileTree(root, Set.of(), Integer.MAX_VALUE, walker.new Visitor());
        } catch (RejectedFileException e) {
            throw new InvalidConfigurationException(element, spec.source(), "holds " + e.file + ", " + e.problem,
                    e.fix);
        } catch (AccessDeniedException e) {
            throw new InvalidConfigurationException(element, spec.source(),
                    "holds " + e.getFile() + ", which the build user cannot read",
                    "grant read permission, or add it to <excludes>");
        }
        return walker.found;
    }

    /**
     * Whether a walk of the tree would take {@code file}, if it were there: by path, so that the first build, before
     * the file exists, is judged like the next ones.
     *
     * @param root the tree's root, with every link in its path resolved
     * @param file a host path, with every link up to its folder resolved
     */
    static boolean wouldTake(DirectorySpec spec, String origin, Path root, Path file)
            throws InvalidConfigurationException {
        if (!file.startsWith(root) || file.equals(root)) {
            return false;
        }
        return new TreeWalker(spec, origin, root).reached(root.relativize(file).toString());
    }

    private final class Visitor extends SimpleFileVisitor<Path> {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (!dir.equals(root)) {
                String relative = relative(dir);
                if (patterns.excludesEverythingBelow(relative)) {
                    // Not walked: nothing in it could be selected.
                    return FileVisitResult.SKIP_SUBTREE;
                }
            }
            // Walked: a file added, removed or renamed in it changes its stamp.
            HostReads.note(dir);
            if (!dir.equals(root)) {
                String relative = relative(dir);
                if (patterns.selects(relative)) {
                    rejectUnrepresentable(dir, relative);
                    found.add(new DirectoryEntry(join(base, relative), directoryMode, uid, gid,
                            origin + " (host directory " + dir + ")"));
                    // Like a file's, a selected directory's parents are the tree's, not 0755 0:0.
                    addParents(relative);
                }
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            String relative = relative(file);
            if (!patterns.selects(relative)) {
                return FileVisitResult.CONTINUE;
            }
            // Also checks the parents, which an include pattern may select through the file alone.
            rejectUnrepresentable(file, relative);
            String path = join(base, relative);
            String from = origin + " (host file " + file + ")";
            if (attrs.isSymbolicLink()) {
                String target = Files.readSymbolicLink(file).toString();
                rejectUndecodable(file, target);
                found.add(new SymlinkEntry(path, target, uid, gid, from));
            } else if (attrs.isRegularFile()) {
                // Found now, before anything is written, like an unreadable <file> or <binary>.
                if (!Files.isReadable(file)) {
                    throw new RejectedFileException(file, "which the build user cannot read",
                            "grant read permission, or add it to <excludes>");
                }
                // The walk's attributes lack ctime, inode and the mode: one lstat takes all the build needs.
                FileStamp stamp = FileStamp.read(file, false);
                int mode = fileMode >= 0 ? fileMode
                        : stamp.ownerExecutable() ? LayerEntries.BINARY_MODE : LayerEntries.FILE_MODE;
                found.add(new RegularFileEntry(path, file, stamp.size(), mode, uid, gid, from, false, stamp));
            } else {
                throw new RejectedFileException(file, "which is a fifo, socket or device",
                        "remove it from the tree or add it to <excludes>;"
                                + " special files cannot be copied into a layer");
            }
            addParents(relative);
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            // The walk opens a folder before preVisitDirectory: an excluded one it could not open is skipped.
            if (!file.equals(root) && patterns.excludesEverythingBelow(relative(file))) {
                return FileVisitResult.CONTINUE;
            }
            throw e;
        }
    }

    /**
     * Refuses a tree that holds the output folder, or its lock or state beside it, unless the patterns leave them
     * out: each build would pack the previous image into the next. Refused rather than left out without a word,
     * since a tree that holds the output folder mostly holds the rest of the build folder too. By path, so that the
     * first build, before the folder exists, is refused like the next ones.
     */
    private void rejectOutput(String element, String source, Path output)
            throws InvalidConfigurationException, IOException {
        if (root.startsWith(output)) {
            if (!writable(output)) {
                // Such as the project folder as the output: the builder refuses that folder, the mistake to report.
                return;
            }
            throw new InvalidConfigurationException(element, source,
                    (root.equals(output) ? "is the output folder " : "is inside the output folder ") + output
                            + ", whose previous image would be packed into the next one",
                    "point <source> at the files to copy, or move <outputDirectory> elsewhere");
        }
        if (!output.startsWith(root)) {
            return;
        }
        String folder = root.relativize(output).toString();
        int slash = folder.lastIndexOf('/');
        String parent = slash < 0 ? "" : folder.substring(0, slash + 1);
        String beside = parent + "." + output.getFileName() + ".scratch-";
        if (!cutOff(folder) && patterns.mayIncludeFrom(folder)
                || reached(beside + "lock") || reached(beside + "state") || reached(beside + "files")
                || reached(beside + "inputs") || reached(beside + "elf")) {
            String whole = slash < 0 ? ""
                    : " (or <exclude>" + folder.substring(0, folder.indexOf('/')) + "/**</exclude>, all of that folder)";
            throw new InvalidConfigurationException(element, source, "holds the output folder " + output
                    + " and, beside it, its lock and state (." + output.getFileName() + ".scratch-lock, ."
                    + output.getFileName() + ".scratch-state): every build would pack the previous image into the"
                    + " next one", "add <exclude>" + folder + "/**</exclude> and <exclude>" + beside
                    + "*</exclude> to its <excludes>" + whole + ", or move <outputDirectory> out of the tree");
        }
    }

    /** Whether the builder would write into {@code folder}: it is new, empty, or a layout the plugin wrote. */
    private static boolean writable(Path folder) throws IOException {
        try {
            OciLayout.open(folder);
            return true;
        } catch (UnsafeOutputDirectoryException e) {
            return false;
        }
    }

    /** Whether the walk never enters {@code relative}: an exclude takes it, or a folder above it, as a whole. */
    private boolean cutOff(String relative) {
        for (int slash = relative.indexOf('/'); slash > 0; slash = relative.indexOf('/', slash + 1)) {
            if (patterns.excludesEverythingBelow(relative.substring(0, slash))) {
                return true;
            }
        }
        return patterns.excludesEverythingBelow(relative);
    }

    /** Whether the walk would take the file {@code relative}, if it were there. */
    private boolean reached(String relative) {
        int slash = relative.lastIndexOf('/');
        return (slash < 0 || !cutOff(relative.substring(0, slash))) && patterns.selects(relative);
    }

    /** Directories between the tree root and an included file get the tree's attributes, not the defaults. */
    private void addParents(String relative) {
        int slash = relative.lastIndexOf('/');
        while (slash > 0) {
            String parent = relative.substring(0, slash);
            if (!parentsAdded.add(parent)) {
                return;
            }
            found.add(new DirectoryEntry(join(base, parent), directoryMode, uid, gid,
                    origin + " (host directory " + root.resolve(parent) + ")"));
            slash = parent.lastIndexOf('/');
        }
    }

    /** The walk yields {@code root} resolved with the names below it: its path string starts with the root's. */
    private String relative(Path file) {
        String text = file.toString();
        if (text.startsWith(rootPrefix)) {
            return text.substring(rootPrefix.length());
        }
        return root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
    }

    private static String join(String base, String relative) {
        return base.isEmpty() ? relative : base + "/" + relative;
    }

    /** Carries a tree's file that cannot go into the image out of the walk, to be reported with the element. */
    private static final class RejectedFileException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Path file;
        private final String problem;
        private final String fix;

        RejectedFileException(Path file, String problem, String fix) {
            super(null, null, false, false);
            this.file = file;
            this.problem = problem;
            this.fix = fix;
        }
    }

    /**
     * Rejects names a layer cannot carry: undecodable ones, and ".wh." ones, which a runtime would apply as
     * whiteouts, deleting a path instead of adding one.
     */
    private static void rejectUnrepresentable(Path file, String relative) {
        rejectUndecodable(file, relative);
        if (!relative.contains(".wh.")) {
            return;
        }
        for (String segment : relative.split("/")) {
            if (segment.startsWith(".wh.")) {
                throw new RejectedFileException(file, "whose path has a name starting with \".wh.\"",
                        "rename it or add it to <excludes>: OCI layers reserve \".wh.\" names for whiteouts");
            }
        }
    }

    /**
     * The JVM decodes host names with sun.jnu.encoding and replaces bytes it cannot decode with U+FFFD; writing
     * that text would silently rename the file or retarget the link.
     */
    private static void rejectUndecodable(Path file, String text) {
        if (text.indexOf('\uFFFD') >= 0) {
            throw new RejectedFileException(file, "whose name or link target is not valid "
                            + System.getProperty("sun.jnu.encoding", "UTF-8") + " (or holds U+FFFD)",
                    "rename it or add it to <excludes>; for non-ASCII names run Maven with a UTF-8 locale,"
                            + " such as LANG=C.UTF-8");
        }
    }
}
