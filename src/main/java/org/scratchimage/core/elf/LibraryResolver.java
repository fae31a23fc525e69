package org.scratchimage.core.elf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Computes the shared libraries a set of dynamically linked programs needs, in pure Java and without running
 * the host's loader, so that it also works for another architecture's sysroot.
 *
 * <p>For each {@code DT_NEEDED} name it follows glibc's search order: when the object has no {@code DT_RUNPATH},
 * the {@code DT_RPATH} of the object and of each object that loaded it, up to the program; the object's {@code
 * DT_RUNPATH}; the directories of {@code /etc/ld.so.conf} (glibc only); then the program's loader's own default
 * directories ({@link LoaderPath}, read from the loader). It first asks whether the image already holds the library
 * where the loader in the image will look (the image has no {@code ld.so.cache}, so ld.so.conf directories do not
 * count there); otherwise it takes the first candidate of the sysroot with the program's ELF class, byte order and
 * machine. A library found through RPATH, RUNPATH or a default directory goes to that same directory of the image;
 * one found only through ld.so.conf goes to a default directory of that loader, so the program runs with no cache
 * and no environment variable. Paths of the sysroot, the last component included, resolve as in a chroot
 * ({@link Sysroot}): a link never picks a host file.
 *
 * <p>Each host file enters the image once: when a second path resolves to the same host file (a merged
 * {@code /usr}, {@code libfoo.so.1 -> libfoo.so.1.2.3}, the interpreter also named by {@code DT_NEEDED}),
 * that path becomes a symbolic link to the first copy.
 */
public final class LibraryResolver {

    /** The part of the image the resolver reads: what is declared, and the host file behind a regular file. */
    public interface Image {
        /** @return whether the image holds anything at this absolute path */
        boolean contains(String path);

        /** @return the host source of the regular file at this absolute path, if the image holds one */
        Optional<Path> regularFile(String path);

        /**
         * @return whether the image holds an ELF file with this {@code DT_SONAME}, wherever it lies: a program that
         *     loads it by path first (the JVM loads {@code lib/server/libjvm.so} before {@code libjava.so}, which
         *     needs it) satisfies every later {@code DT_NEEDED} of that name
         */
        boolean hasSoname(String soname);
    }

    /**
     * An ELF file of the image whose libraries are resolved.
     *
     * @param imagePath its absolute path in the image
     * @param hostPath its host file
     * @param elf its headers
     * @param origin its declaration, for messages
     */
    public record Program(String imagePath, Path hostPath, ElfFile elf, String origin) {}

    /**
     * A file the resolver adds to the image.
     *
     * @param imagePath absolute path in the image
     * @param hostFile the host file to copy, or {@code null} for a link
     * @param linkTarget for a second path to the same host file: the absolute image path of the first copy
     * @param neededBy the program or library that needs it
     * @param name the soname or interpreter path it was looked up by
     */
    public record Library(String imagePath, Path hostFile, String linkTarget, String neededBy, String name) {}

    /**
     * A folder to look in: {@code sysrootDir} resolved as in a chroot, or for {@code $ORIGIN} the host folder of the
     * object ({@code sysrootDir} null).
     */
    private record Candidate(String imageDir, String sysrootDir, Path hostDir, boolean searchedInImage,
            String description) {}

    /**
     * An object whose libraries are still to be found.
     *
     * @param inheritedRpath the expanded {@code DT_RPATH}s of the objects that loaded it, nearest first
     * @param loader the default directories of the loader of the program it belongs to
     */
    private record Pending(String imagePath, Path hostPath, ElfFile elf, String label, String origin,
            List<Candidate> inheritedRpath, LoaderPath loader) {}

    /** Where libraries of other layouts usually are: named in the error when a loader does not search them. */
    private final List<String> usualDirectories;

    private final Path sysroot;
    private final ElfFile reference;
    private final Map<String, LoaderPath> loaders = new HashMap<>();
    private final List<String> confDirectories;
    private final String lib;
    private final String platform;
    private final List<Library> added = new ArrayList<>();
    private final Map<String, Library> addedByPath = new HashMap<>();
    private final Map<Path, String> copies = new HashMap<>();
    private final Set<String> visited = new HashSet<>();

    /**
     * @param sysroot where libraries are looked up
     * @param reference an ELF file of the image's architecture: candidates must match its class, byte order and machine
     */
    public LibraryResolver(Path sysroot, ElfFile reference) throws IOException {
        this.sysroot = sysroot;
        String triplet = ElfMachine.multiarchTriplet(reference);
        boolean is64 = reference.elfClass() == 64;
        this.usualDirectories = LoaderPath.usualDirectories(reference);
        this.confDirectories = LdSoConf.directories(sysroot);
        this.lib = triplet != null && Files.isDirectory(Sysroot.resolve(sysroot, "/lib/" + triplet))
                ? "lib/" + triplet
                : is64 && Files.isDirectory(Sysroot.resolve(sysroot, "/lib64")) ? "lib64" : "lib";
        this.platform = ElfMachine.platformString(reference);
        this.reference = reference;
    }

    /**
     * Resolves the closure of {@code programs} and of the {@code extra} libraries (sonames or absolute paths of
     * the sysroot, for what programs {@code dlopen}).
     *
     * @return the files to add, in the order they were found
     */
    public List<Library> resolve(List<Program> programs, List<String> extra, Image image)
            throws IOException, ElfFormatException, LibraryNotFoundException {
        // A library without an interpreter of its own (a jlink runtime's libjava.so, <libraries>) is loaded by the
        // image's loader: the first program's.
        LoaderPath imageLoader = null;
        for (Program program : programs) {
            if (imageLoader == null && program.elf().interpreter() != null) {
                imageLoader = loader(program.elf().interpreter(), image);
            }
        }
        if (imageLoader == null) {
            imageLoader = LoaderPath.guess(null, sysroot, reference);
        }
        ArrayDeque<Pending> queue = new ArrayDeque<>();
        for (Program program : programs) {
            String interpreter = program.elf().interpreter();
            queue.add(new Pending(program.imagePath(), program.hostPath(), program.elf(), program.imagePath(),
                    program.origin(), List.of(), interpreter == null ? imageLoader : loader(interpreter, image)));
        }
        drain(queue, image);
        for (int i = 0; i < extra.size(); i++) {
            String library = extra.get(i);
            String origin = "<libraries>/<library>[" + (i + 1) + "]";
            Pending pseudo = new Pending("/", sysroot, reference, origin + " " + library, origin, List.of(),
                    imageLoader);
            if (library.contains("/")) {
                addFromSysroot(pseudo, library, image, queue);
            } else {
                findLibrary(pseudo, library, image, queue);
            }
            drain(queue, image);
        }
        return List.copyOf(added);
    }

    private void drain(ArrayDeque<Pending> queue, Image image)
            throws IOException, ElfFormatException, LibraryNotFoundException {
        while (!queue.isEmpty()) {
            Pending object = queue.poll();
            if (!visited.add(object.imagePath())) {
                continue;
            }
            if (object.elf().interpreter() != null) {
                addFromSysroot(object, object.elf().interpreter(), image, null);
            }
            // glibc: a DT_RUNPATH voids the object's own DT_RPATH, yet its loaders' RPATHs still reach what it loads.
            List<Candidate> chain = new ArrayList<>(object.elf().runpath() == null
                    ? expand(object, object.elf().rpath(), "RPATH")
                    : List.of());
            chain.addAll(object.inheritedRpath());
            Pending withChain = new Pending(object.imagePath(), object.hostPath(), object.elf(), object.label(),
                    object.origin(), List.copyOf(chain), object.loader());
            for (String needed : object.elf().needed()) {
                if (needed.contains("/")) {
                    addFromSysroot(withChain, needed, image, queue);
                } else {
                    findLibrary(withChain, needed, image, queue);
                }
            }
        }
    }

    /**
     * Looks a soname up in the loader's order; adds it and queues it for its own libraries, which inherit the RPATH
     * chain of {@code object} (its own RPATH first).
     */
    private void findLibrary(Pending object, String soname, Image image, ArrayDeque<Pending> queue)
            throws IOException, ElfFormatException, LibraryNotFoundException {
        List<Candidate> candidates = new ArrayList<>();
        if (object.elf().runpath() == null) {
            candidates.addAll(object.inheritedRpath());
        } else {
            candidates.addAll(expand(object, object.elf().runpath(), "RUNPATH"));
        }
        LoaderPath loader = object.loader();
        if (loader.loader() != null && soname.equals(loader.loader().substring(loader.loader().lastIndexOf('/') + 1))
                && (image.contains(loader.loader()) || addedByPath.containsKey(loader.loader()))) {
            // libc names the loader, which is already loaded (its soname is its file name): no search.
            return;
        }
        if (loader.readsLdSoConf()) {
            String placement = placement(loader);
            for (String dir : confDirectories) {
                candidates.add(new Candidate(placement, dir, null, false, dir + " (ld.so.conf)"));
            }
        }
        for (String dir : loader.directories()) {
            candidates.add(new Candidate(dir, dir, null, true, dir));
        }
        // The loader in the image sees only the image: a copy it would find there wins over any host file.
        for (Candidate candidate : candidates) {
            String path = join(candidate.imageDir(), soname);
            if (candidate.searchedInImage() && (image.contains(path) || addedByPath.containsKey(path))) {
                Optional<Path> declared = image.regularFile(path);
                if (declared.isPresent()) {
                    Optional<ElfFile> elf = ElfFile.read(declared.get());
                    if (elf.isPresent() && elf.get().compatibleWith(reference)) {
                        queue.add(new Pending(path, declared.get(), elf.get(), path, object.origin(),
                                object.inheritedRpath(), loader));
                    }
                }
                return;
            }
        }
        List<String> searched = new ArrayList<>();
        for (Candidate candidate : candidates) {
            searched.add(candidate.description());
            Path host = candidate.sysrootDir() == null
                    ? candidate.hostDir().resolve(soname)
                    : Sysroot.resolve(sysroot, join(candidate.sysrootDir(), soname));
            Optional<ElfFile> elf = matching(host);
            if (elf.isEmpty()) {
                continue;
            }
            String imagePath = join(candidate.imageDir(), soname);
            place(imagePath, host, object.label(), soname);
            queue.add(new Pending(imagePath, host, elf.get(), imagePath, object.origin(), object.inheritedRpath(),
                    loader));
            return;
        }
        if (image.hasSoname(soname)) {
            return;
        }
        throw new LibraryNotFoundException(object.label(), object.origin(), soname,
                new ArrayList<>(new LinkedHashSet<>(searched)), loader.loader(), elsewhere(soname, candidates),
                loader.readsLdSoConf());
    }

    /** The usual library directories, not searched here, where the sysroot holds a matching file of that name. */
    private List<String> elsewhere(String soname, List<Candidate> searched) throws IOException {
        List<String> found = new ArrayList<>();
        for (String dir : usualDirectories) {
            if (searched.stream().noneMatch(c -> dir.equals(c.sysrootDir()))) {
                try {
                    if (matching(Sysroot.resolve(sysroot, join(dir, soname))).isPresent()) {
                        found.add(dir);
                    }
                } catch (ElfFormatException e) {
                    // Not a usable copy either: nothing to point the user to.
                }
            }
        }
        return found;
    }

    /**
     * @return the ELF file at {@code host} if it is a regular file the loader would take for the reference
     *     architecture. A path of the sysroot comes here with every link resolved inside it: one that dangles
     *     there is simply missing, never followed on the host.
     */
    private Optional<ElfFile> matching(Path host) throws IOException, ElfFormatException {
        if (!Files.isRegularFile(host)) {
            return Optional.empty();
        }
        Optional<ElfFile> elf = ElfFile.read(host);
        return elf.isPresent() && elf.get().compatibleWith(reference) ? elf : Optional.empty();
    }

    /** The loader of a program: read from the image's copy when it declares one, else from the sysroot's. */
    private LoaderPath loader(String interpreter, Image image) throws IOException {
        LoaderPath known = loaders.get(interpreter);
        if (known != null) {
            return known;
        }
        Optional<Path> declared = image.regularFile(interpreter);
        Path host = declared.isPresent() ? declared.get() : Sysroot.resolve(sysroot, interpreter);
        LoaderPath loader = LoaderPath.of(interpreter, host, sysroot, reference);
        loaders.put(interpreter, loader);
        return loader;
    }

    /** Adds a file named by its absolute path in the sysroot (an interpreter, a library given by path). */
    private void addFromSysroot(Pending object, String path, Image image, ArrayDeque<Pending> queue)
            throws IOException, ElfFormatException, LibraryNotFoundException {
        if (image.contains(path) || addedByPath.containsKey(path)) {
            return;
        }
        Path host = Sysroot.resolve(sysroot, path);
        if (!Files.isRegularFile(host, LinkOption.NOFOLLOW_LINKS)) {
            throw new LibraryNotFoundException(object.label(), object.origin(), path,
                    List.of(Sysroot.resolve(sysroot, path).toString()));
        }
        place(path, host, object.label(), path);
        if (queue != null) {
            Optional<ElfFile> elf = ElfFile.read(host);
            if (elf.isPresent()) {
                queue.add(new Pending(path, host, elf.get(), path, object.origin(), object.inheritedRpath(),
                        object.loader()));
            }
        }
    }

    private void place(String imagePath, Path host, String neededBy, String name) throws IOException {
        Path real = host.toRealPath();
        String first = copies.putIfAbsent(real, imagePath);
        Library library = first == null
                ? new Library(imagePath, real, null, neededBy, name)
                : new Library(imagePath, null, first, neededBy, name);
        added.add(library);
        addedByPath.put(imagePath, library);
    }

    /**
     * Where a library found only through ld.so.conf goes, since the cache that led there is not in the image: the
     * loader's first default directory that the sysroot has, else its first. The loader searches each of them.
     */
    private String placement(LoaderPath loader) throws IOException {
        for (String dir : loader.directories()) {
            if (Files.isDirectory(Sysroot.resolve(sysroot, dir))) {
                return dir;
            }
        }
        return loader.directories().get(0);
    }

    /** Expands RPATH or RUNPATH entries; {@code $ORIGIN} is the object's folder, in the image and on the host. */
    private List<Candidate> expand(Pending object, String path, String kind) {
        List<Candidate> candidates = new ArrayList<>();
        if (path == null) {
            return candidates;
        }
        // An RPATH also serves the libraries of the object's libraries: say whose it is.
        String owner = kind.equals("RPATH") ? " of " + object.imagePath() : "";
        for (String raw : path.split(":")) {
            String entry = raw.replace("${LIB}", lib).replace("$LIB", lib)
                    .replace("${PLATFORM}", platform).replace("$PLATFORM", platform);
            if (entry.startsWith("$ORIGIN") || entry.startsWith("${ORIGIN}")) {
                String rest = entry.substring(entry.startsWith("$ORIGIN") ? 7 : 9);
                String imageDir = normalise(parent(object.imagePath()) + rest);
                Path hostDir = object.hostPath().toAbsolutePath().getParent().resolve(rest.replaceFirst("^/+", ""))
                        .normalize();
                candidates.add(new Candidate(imageDir, null, hostDir, true,
                        entry + " (" + kind + owner + ", " + imageDir + ")"));
            } else if (entry.startsWith("/")) {
                String dir = normalise(entry);
                candidates.add(new Candidate(dir, dir, null, true, dir + " (" + kind + owner + ")"));
            }
            // Empty and relative entries depend on the working directory; the loader's result would be an accident.
        }
        return candidates;
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    private static String join(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    /** Removes {@code .}, {@code ..} and duplicate slashes from an absolute path. */
    static String normalise(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
            } else {
                parts.add(part);
            }
        }
        return "/" + String.join("/", parts);
    }
}
