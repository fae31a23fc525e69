package org.scratchimage.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.scratchimage.core.image.DirectoryEntry;
import org.scratchimage.core.image.FileStamp;
import org.scratchimage.core.image.ImageLayer;
import org.scratchimage.core.image.LayerEntry;
import org.scratchimage.core.image.LayerEntryOrder;
import org.scratchimage.core.image.RegularFileEntry;
import org.scratchimage.core.image.SymlinkEntry;
import org.scratchimage.core.oci.FolderKey;
import org.scratchimage.core.oci.ImageMetadata;

/**
 * Turns the declared binaries, files, directories and symlinks into the image's entries: validates each
 * declaration, takes in the host trees {@link TreeWalker} walks, and rejects conflicts; {@link LayerAssembly} then
 * adds the missing parents and splits the entries into their layers.
 */
final class LayerEntries {
    static final int BINARY_MODE = 0755;
    static final int FILE_MODE = 0644;
    static final int DIRECTORY_MODE = 0755;

    /** Where an entry came from; directories of copied trees may coincide with other directories. */
    enum Kind { DECLARED, TREE_ROOT, IN_TREE }

    /** @param layer the layer it was declared into; {@code null} for a parent directory the build added */
    record Declared(LayerEntry entry, Kind kind, String layer) {}

    private final HostSources sources;
    private final Consumer<String> debug;
    private final Map<String, Declared> entries = new HashMap<>();
    /** Paths of the regular files whose declaration asks for their shared libraries. */
    private final Set<String> resolving = new HashSet<>();
    /** Paths of the regular files declared as programs: binaries and files of copied trees, not {@code <file>}s. */
    private final Set<String> programs = new HashSet<>();
    private final LayerOrder layerOrder;
    /** The archive the build writes ({@link ArchiveTarget}), which no source may be or hold; {@code null} if none. */
    private final Path archive;
    /** {@code <archiveFile>} as written, for the errors. */
    private final String archiveValue;
    /** Where the result files go ({@code scratch-image.json}), by real path; {@code null} if none are written. */
    private final Path resultDirectory;
    /** Every entry in tar order, once {@link #complete} has run. */
    private List<LayerEntry> completed;

    private LayerEntries(HostSources sources, Consumer<String> debug, LayerOrder layerOrder, Path archive,
            String archiveValue, Path resultDirectory) {
        this.sources = sources;
        this.debug = debug;
        this.layerOrder = layerOrder;
        this.archive = archive;
        this.archiveValue = archiveValue;
        this.resultDirectory = resultDirectory;
    }

    /** @return the image's declared entries in tar order, without resolved libraries */
    static List<LayerEntry> collect(BuildRequest request, Consumer<String> debug)
            throws InvalidConfigurationException, IOException {
        return declare(request, debug).complete();
    }

    /** @return a collector holding every declared entry, to which resolved libraries may be added */
    static LayerEntries declare(BuildRequest request, Consumer<String> debug)
            throws InvalidConfigurationException, IOException {
        return declare(request, null, debug);
    }

    /**
     * @param sourceRoot where absolute sources are looked up (a platform's sysroot), or {@code null} for {@code /}
     * @return a collector holding every declared entry, to which resolved libraries may be added
     */
    static LayerEntries declare(BuildRequest request, Path sourceRoot, Consumer<String> debug)
            throws InvalidConfigurationException, IOException {
        Path archive = ArchiveTarget.check(request);
        LayerEntries collector = new LayerEntries(new HostSources(request.baseDirectory(), sourceRoot), debug,
                LayerOrder.of(request), archive, archive == null ? null : request.archiveFile().toString(),
                request.resultDirectory() == null ? null : FolderKey.of(request.resultDirectory()));
        List<DirectorySpec> directories = request.directories();
        for (int i = 0; i < directories.size(); i++) {
            String origin = "<directories>/<directory>[" + (i + 1) + "]";
            collector.addDirectory(present(directories.get(i), origin, "give it at least a <path>"), origin);
        }
        List<FileSpec> files = request.files();
        for (int i = 0; i < files.size(); i++) {
            String origin = "<files>/<file>[" + (i + 1) + "]";
            FileSpec spec = present(files.get(i), origin, "give it a <source> and a <path>");
            collector.addFile(origin, spec.source(), spec.path(), spec.mode(),
                    FILE_MODE, spec.uid(), spec.gid(), LayerOrder.layer(origin, spec.layer()));
        }
        List<BinarySpec> binaries = request.binaries();
        for (int i = 0; i < binaries.size(); i++) {
            String origin = "<binaries>/<binary>[" + (i + 1) + "]";
            BinarySpec spec = present(binaries.get(i), origin, "give it a <source> and a <path>");
            collector.addFile(origin, spec.source(), spec.path(), spec.mode(),
                    BINARY_MODE, spec.uid(), spec.gid(), LayerOrder.layer(origin, spec.layer()));
            String path = ImagePaths.relative(origin + "/<path>", spec.path());
            collector.programs.add(path);
            if (!Boolean.FALSE.equals(spec.resolveLibraries())) {
                collector.resolving.add(path);
            }
        }
        List<SymlinkSpec> symlinks = request.symlinks();
        for (int i = 0; i < symlinks.size(); i++) {
            String origin = "<symlinks>/<symlink>[" + (i + 1) + "]";
            collector.addSymlink(present(symlinks.get(i), origin, "give it a <path> and a <target>"), origin);
        }
        // Trees last, so that an explicit declaration of a directory wins over the same directory in a tree.
        Path output = outputFolder(request);
        for (int i = 0; i < directories.size(); i++) {
            DirectorySpec spec = directories.get(i);
            if (spec.source() != null) {
                collector.addTree(spec, "<directories>/<directory>[" + (i + 1) + "]", output);
            }
        }
        return collector;
    }

    private static <T> T present(T spec, String origin, String fix) throws InvalidConfigurationException {
        if (spec == null) {
            throw new InvalidConfigurationException(origin, null, "is empty", fix);
        }
        return spec;
    }

    private void addDirectory(DirectorySpec spec, String origin) throws InvalidConfigurationException {
        String path = ImagePaths.relative(origin + "/<path>", spec.path());
        int mode = Values.mode(origin + "/<mode>", spec.mode(), DIRECTORY_MODE);
        long uid = Values.id(origin + "/<uid>", spec.uid());
        long gid = Values.id(origin + "/<gid>", spec.gid());
        if (spec.source() == null) {
            rejectTreeOnlySetting(origin + "/<fileMode>", spec.fileMode());
            rejectTreeOnlySetting(origin + "/<directoryMode>", spec.directoryMode());
            if (spec.resolveLibraries() != null) {
                rejectTreeOnlySetting(origin + "/<resolveLibraries>", spec.resolveLibraries().toString());
            }
            if (!spec.includes().isEmpty() || !spec.excludes().isEmpty()) {
                throw new InvalidConfigurationException(origin + "/<includes>", null,
                        "and <excludes> select files of a <source> tree, but this <directory> has no <source>",
                        "add a <source> to copy a host tree, or remove <includes> and <excludes>");
            }
        } else {
            // Checked here so that a bad value is reported even if the tree turns out to be empty.
            Values.mode(origin + "/<fileMode>", spec.fileMode(), FILE_MODE);
            Values.mode(origin + "/<directoryMode>", spec.directoryMode(), DIRECTORY_MODE);
        }
        put(new DirectoryEntry(path, mode, uid, gid, origin), spec.source() == null ? Kind.DECLARED : Kind.TREE_ROOT,
                LayerOrder.layer(origin, spec.layer()));
    }

    private static void rejectTreeOnlySetting(String element, String value) throws InvalidConfigurationException {
        if (value != null) {
            throw new InvalidConfigurationException(element, value,
                    "applies to the files of a <source> tree, but this <directory> has no <source>",
                    "remove it, or add a <source> (<mode> sets the directory's own mode)");
        }
    }

    private void addFile(String origin, String source, String imagePath, String modeValue, int defaultMode,
            String uidValue, String gidValue, String layer) throws InvalidConfigurationException, IOException {
        String path = ImagePaths.relative(origin + "/<path>", imagePath);
        if (path.isEmpty()) {
            throw new InvalidConfigurationException(origin + "/<path>", imagePath, "is the image root",
                    "give the file's own path inside the image, such as /bin/app");
        }
        int mode = Values.mode(origin + "/<mode>", modeValue, defaultMode);
        long uid = Values.id(origin + "/<uid>", uidValue);
        long gid = Values.id(origin + "/<gid>", gidValue);
        Path file = sources.regularFile(origin + "/<source>", source);
        if (archive != null && ArchiveTarget.replaces(archive, file)) {
            throw new InvalidConfigurationException("<archiveFile>", archiveValue, "is the source of " + origin
                    + ": writing the archive would replace what the image is built from",
                    "write the archive elsewhere, such as " + ArchiveTarget.DEFAULT);
        }
        FileStamp stamp = FileStamp.read(file, true);
        put(new RegularFileEntry(path, file, stamp.size(), mode, uid, gid, origin, true, stamp), Kind.DECLARED, layer);
    }

    private void addSymlink(SymlinkSpec spec, String origin) throws InvalidConfigurationException {
        String path = ImagePaths.relative(origin + "/<path>", spec.path());
        if (path.isEmpty()) {
            throw new InvalidConfigurationException(origin + "/<path>", spec.path(), "is the image root",
                    "give the link's own path inside the image, such as /bin/sh");
        }
        String target = spec.target();
        if (target == null || target.isEmpty()) {
            throw new InvalidConfigurationException(origin + "/<target>", "", "is empty",
                    "write the link's destination, relative such as busybox or absolute such as /bin/busybox");
        }
        if (target.indexOf('\0') >= 0) {
            throw new InvalidConfigurationException(origin + "/<target>", target.replace('\0', '?'),
                    "contains a NUL character", "remove it: a link target cannot hold one");
        }
        put(new SymlinkEntry(path, target, 0, 0, origin), Kind.DECLARED, LayerOrder.layer(origin, spec.layer()));
    }

    private void addTree(DirectorySpec spec, String origin, Path output)
            throws InvalidConfigurationException, IOException {
        String element = origin + "/<source>";
        Path root = sources.directory(element, spec.source());
        // The root itself may be a link the user named on purpose; nothing below it is ever followed.
        Path realRoot = root.toRealPath();
        List<LayerEntry> found = TreeWalker.walk(spec, origin, realRoot, output);
        if (resultDirectory != null) {
            for (String name : List.of(ImageMetadata.FILE_NAME, ImageMetadata.DIGEST_FILE_NAME)) {
                Path result = resultDirectory.resolve(name);
                if (TreeWalker.wouldTake(spec, origin, realRoot, result)) {
                    String relative = realRoot.relativize(result).toString();
                    throw new InvalidConfigurationException(element, spec.source(), "holds the result file " + result
                            + ", which each build rewrites with the image's digest: every build would make another"
                            + " image", "add <exclude>" + relative + "</exclude> to its <excludes> (or exclude its"
                            + " folder), or point <source> at the files to copy");
                }
            }
        }
        if (archive != null && TreeWalker.wouldTake(spec, origin, realRoot, archive)) {
            String relative = realRoot.relativize(archive).toString();
            throw new InvalidConfigurationException("<archiveFile>", archiveValue, "is inside the tree of " + origin
                    + " (" + realRoot + "): each build would pack the previous archive into the image",
                    "write the archive outside the tree, such as " + ArchiveTarget.DEFAULT + ", or add <exclude>"
                            + relative + "</exclude> to the <excludes> of " + origin);
        }
        debug.accept(origin + ": " + found.size() + " entries from " + realRoot);
        boolean resolve = !Boolean.FALSE.equals(spec.resolveLibraries());
        String layer = LayerOrder.layer(origin, spec.layer());
        for (LayerEntry entry : found) {
            put(entry, Kind.IN_TREE, layer);
            if (entry instanceof RegularFileEntry) {
                programs.add(entry.path());
                if (resolve) {
                    resolving.add(entry.path());
                }
            }
        }
    }

    /** The output folder by its real path, as the builder will write it; {@code null} if not set (it says so). */
    private static Path outputFolder(BuildRequest request) throws InvalidConfigurationException, IOException {
        if (request.outputDirectory() == null || request.outputDirectory().toString().isEmpty()) {
            return null;
        }
        return FolderKey.of(ImageBuilder.outputDirectory(request));
    }

    private void put(LayerEntry entry, Kind kind, String layer) throws InvalidConfigurationException {
        Declared existing = entries.get(entry.path());
        if (existing == null) {
            entries.put(entry.path(), new Declared(entry, kind, layer));
            return;
        }
        LayerEntry other = existing.entry();
        if (entry instanceof DirectoryEntry dir && other instanceof DirectoryEntry otherDir) {
            boolean inTree = kind == Kind.IN_TREE;
            boolean otherInTree = existing.kind() == Kind.IN_TREE;
            if (inTree != otherInTree) {
                // A directory declared on its own, or a tree's root, wins over the same directory found in a tree.
                if (otherInTree) {
                    entries.put(entry.path(), new Declared(entry, kind, layer));
                }
                return;
            }
            boolean bothTrees = inTree || (kind == Kind.TREE_ROOT && existing.kind() == Kind.TREE_ROOT);
            if (bothTrees) {
                if (!sameAttributes(dir, otherDir)) {
                    String modeElement = inTree ? "<directoryMode>" : "<mode>";
                    throw new InvalidConfigurationException(declaration(entry) + "/<path>",
                            ImagePaths.absolute(entry.path()),
                            "is a directory of two copied trees with different modes or owners: " + describe(dir)
                                    + " from " + entry.origin() + " and " + describe(otherDir) + " from "
                                    + other.origin(),
                            "give both <directory> declarations the same " + modeElement + ", <uid> and <gid>" + (inTree
                                    ? ", or declare this directory explicitly with its own <directory>" : ""));
                }
                return;
            }
        }
        throw new InvalidConfigurationException(declaration(entry) + "/<path>", ImagePaths.absolute(entry.path()),
                "is declared twice: by " + entry.origin() + " and by " + other.origin(),
                "keep one of the two declarations, change one <path>, or add the tree's copy to <excludes>");
    }

    private static String declaration(LayerEntry entry) {
        String origin = entry.origin();
        int detail = origin.indexOf(" (");
        return detail < 0 ? origin : origin.substring(0, detail);
    }

    /** @return the element that gave an entry its path: a declaration's {@code <path>}, or an element itself */
    static String pathElement(LayerEntry entry) {
        String declaration = declaration(entry);
        return declaration.endsWith("]") ? declaration + "/<path>" : declaration;
    }

    private static boolean sameAttributes(DirectoryEntry a, DirectoryEntry b) {
        return a.mode() == b.mode() && a.uid() == b.uid() && a.gid() == b.gid();
    }

    private static String describe(DirectoryEntry dir) {
        return String.format("%04o %d:%d", dir.mode(), dir.uid(), dir.gid());
    }

    /** @return the entry at a relative path, or {@code null} */
    LayerEntry entryAt(String path) {
        Declared declared = entries.get(path);
        return declared == null ? null : declared.entry();
    }

    /**
     * @return every regular file declared so far, in no particular order: for a caller whose answer does not
     *     depend on it, which so saves a sort of the whole tree
     */
    List<RegularFileEntry> regularFilesInAnyOrder() {
        List<RegularFileEntry> files = new ArrayList<>();
        for (Declared d : entries.values()) {
            if (d.entry() instanceof RegularFileEntry file) {
                files.add(file);
            }
        }
        return files;
    }

    /** @return the regular files declared so far that {@code filter} accepts, in tar order; filtered before sorting */
    List<RegularFileEntry> regularFiles(Predicate<RegularFileEntry> filter) {
        List<RegularFileEntry> files = new ArrayList<>();
        for (Declared d : entries.values()) {
            if (d.entry() instanceof RegularFileEntry file && filter.test(file)) {
                files.add(file);
            }
        }
        LayerEntryOrder.sortInTarOrder(files);
        return files;
    }

    /** @return whether this file was declared as a program (a binary or a tree's file), not as a {@code <file>} */
    boolean isProgram(RegularFileEntry file) {
        return programs.contains(file.path());
    }

    /** @return whether the declaration of this file asks for its shared libraries */
    boolean resolvesLibraries(RegularFileEntry file) {
        return resolving.contains(file.path());
    }

    /**
     * Adds a resolved library to the libraries layer; it conflicts with declarations like any other entry.
     *
     * @param libraries what the libraries layer holds, such as {@code the 7 shared libraries of /usr/sbin/nginx}
     */
    void addDerived(LayerEntry entry, String libraries) throws InvalidConfigurationException {
        layerOrder.useLibraries(libraries);
        put(entry, Kind.DECLARED, LayerOrder.LIBRARIES_LAYER);
    }

    /**
     * Adds a file of the package metadata to the metadata layer; a declared entry at its path is an error.
     *
     * @param metadata what the metadata layer holds, such as {@code the package metadata of 9 Debian packages}
     */
    void addMetadata(LayerEntry entry, String metadata) throws InvalidConfigurationException {
        Declared existing = entries.get(entry.path());
        if (existing != null) {
            throw new InvalidConfigurationException(declaration(existing.entry()) + "/<path>",
                    ImagePaths.absolute(entry.path()), "is also " + entry.origin() + ", which <packageMetadata> adds"
                            + " to the image so that scanners see the Debian packages of its files",
                    "set <packageMetadata>false</packageMetadata> to add no package metadata, or remove the"
                            + " declaration (a tree's file: add it to the tree's <excludes>)");
        }
        layerOrder.useMetadata(metadata);
        put(entry, Kind.DECLARED, LayerOrder.METADATA_LAYER);
    }

    /**
     * Adds an entry that a setting generates, such as {@code /etc/passwd} from {@code <accounts>}, to {@code layer}.
     * A directory declared at the same path by a {@code <directory>} (or a tree's root) wins, with its own mode and
     * owner; one found inside a copied tree gives way. Anything else at the path is a conflict, reported on that
     * declaration.
     *
     * @param what what the layer then holds, for the error when {@code <layers>} does not list it
     * @param fix how to resolve a conflict
     */
    void addGenerated(LayerEntry entry, String layer, String what, String fix) throws InvalidConfigurationException {
        Declared existing = entries.get(entry.path());
        if (existing != null) {
            boolean directories = entry instanceof DirectoryEntry && existing.entry() instanceof DirectoryEntry;
            if (!directories) {
                throw new InvalidConfigurationException(declaration(existing.entry()) + "/<path>",
                        ImagePaths.absolute(entry.path()), "is also " + entry.origin(), fix);
            }
            if (existing.kind() != Kind.IN_TREE) {
                debug.accept(ImagePaths.absolute(entry.path()) + ", " + entry.origin() + ", keeps the mode and owner"
                        + " that " + existing.entry().origin() + " declares");
                return;
            }
        }
        layerOrder.useSetting(layer, what);
        entries.put(entry.path(), new Declared(entry, Kind.DECLARED, layer));
    }

    /** @return every entry in tar order, with missing parents added and conflicts rejected */
    List<LayerEntry> complete() throws InvalidConfigurationException {
        completed = LayerAssembly.complete(entries);
        return completed;
    }

    /**
     * Splits the entries, after {@link #complete}, into their layers ({@link LayerAssembly#layers}).
     *
     * @param order the {@code <layers>} as written, bottom first, or empty for the default order
     * @return the layers that hold entries, in order
     */
    List<ImageLayer> layers(List<String> order) throws InvalidConfigurationException {
        if (completed == null) {
            throw new IllegalStateException("layers() before complete()");
        }
        return LayerAssembly.layers(entries, completed, layerOrder, order, debug);
    }
}
