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
 * <p>For each {@code DT_NEEDED} name it follows the loader's search order: the object's {@code DT_RPATH} (and
 * the program's) when it has no {@code DT_RUNPATH}, its {@code DT_RUNPATH}, then the directories of {@code
 * /etc/ld.so.conf}, then the default directories. It first asks whether the image already holds the library
 * where the loader in the image will look (the image has no {@code ld.so.cache}, so ld.so.conf directories
 * do not count there); otherwise it takes the first candidate of the sysroot with the program's ELF class,
 * byte order and machine. A library found through RPATH, RUNPATH or a default directory goes to that same
 * directory of the image; one found only through ld.so.conf goes to the first default directory, so the
 * program runs with no cache and no environment variable.
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

    private record Candidate(String imageDir, Path hostDir, boolean searchedInImage, String description) {}

    private record Pending(String imagePath, Path hostPath, ElfFile elf, String label, String origin,
            List<Candidate> inheritedRpath) {}

    private final Path sysroot;
    private final ElfFile reference;
    private final List<String> defaultDirectories;
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
        List<String> defaults = new ArrayList<>();
        if (triplet != null) {
            defaults.add("/lib/" + triplet);
            defaults.add("/usr/lib/" + triplet);
        }
        if (is64) {
            defaults.add("/lib64");
            defaults.add("/usr/lib64");
        }
        defaults.add("/lib");
        defaults.add("/usr/lib");
        this.defaultDirectories = List.copyOf(defaults);
        this.confDirectories = LdSoConf.directories(sysroot);
        this.lib = triplet != null && Files.isDirectory(Sysroot.resolve(sysroot, "/lib/" + triplet))
                ? "lib/" + triplet
                : is64 && Files.isDirectory(Sysroot.resolve(sysroot, "/lib64")) ? "lib64" : "lib";
        this.platform = ElfMachine.platformString(reference);
        this.reference = reference;
    }

    /** @return the default directories for the reference architecture, in the order the loader searches them */
    public List<String> defaultDirectories() {
        return defaultDirectories;
    }

    /**
     * Resolves the closure of {@code programs} and of the {@code extra} libraries (sonames or absolute paths of
     * the sysroot, for what programs {@code dlopen}).
     *
     * @return the files to add, in the order they were found
     */
    public List<Library> resolve(List<Program> programs, List<String> extra, Image image)
            throws IOException, ElfFormatException, LibraryNotFoundException {
        ArrayDeque<Pending> queue = new ArrayDeque<>();
        for (Program program : programs) {
            queue.add(new Pending(program.imagePath(), program.hostPath(), program.elf(), program.imagePath(),
                    program.origin(), List.of()));
        }
        drain(queue, image);
        for (int i = 0; i < extra.size(); i++) {
            String library = extra.get(i);
            String origin = "<libraries>/<library>[" + (i + 1) + "]";
            Pending pseudo = new Pending("/", sysroot, reference, origin + " " + library, origin, List.of());
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
            List<Candidate> rpath = object.elf().runpath() == null
                    ? expand(object, object.elf().rpath(), "RPATH")
                    : List.of();
            List<Candidate> inherited = new ArrayList<>(rpath);
            inherited.addAll(object.inheritedRpath());
            for (String needed : object.elf().needed()) {
                if (needed.contains("/")) {
                    addFromSysroot(object, needed, image, queue);
                } else {
                    findLibrary(new Pending(object.imagePath(), object.hostPath(), object.elf(), object.label(),
                            object.origin(), inherited), needed, image, queue);
                }
            }
        }
    }

    /** Looks a soname up in the loader's order; adds it and queues it for its own libraries. */
    private void findLibrary(Pending object, String soname, Image image, ArrayDeque<Pending> queue)
            throws IOException, ElfFormatException, LibraryNotFoundException {
        List<Candidate> candidates = new ArrayList<>();
        if (object.elf().runpath() == null) {
            candidates.addAll(object.inheritedRpath());
        } else {
            candidates.addAll(expand(object, object.elf().runpath(), "RUNPATH"));
        }
        String placement = firstDefaultDirectory();
        for (String dir : confDirectories) {
            candidates.add(new Candidate(placement, Sysroot.resolve(sysroot, dir), false, dir + " (ld.so.conf)"));
        }
        for (String dir : defaultDirectories) {
            candidates.add(new Candidate(dir, Sysroot.resolve(sysroot, dir), true, dir));
        }
        // The loader in the image sees only the image: a copy it would find there wins over any host file.
        for (Candidate candidate : candidates) {
            String path = join(candidate.imageDir(), soname);
            if (candidate.searchedInImage() && (image.contains(path) || addedByPath.containsKey(path))) {
                Optional<Path> declared = image.regularFile(path);
                if (declared.isPresent()) {
                    Optional<ElfFile> elf = ElfFile.read(declared.get());
                    if (elf.isPresent() && elf.get().compatibleWith(reference)) {
                        queue.add(new Pending(path, declared.get(), elf.get(), path, object.origin(), List.of()));
                    }
                }
                return;
            }
        }
        List<String> searched = new ArrayList<>();
        for (Candidate candidate : candidates) {
            Path host = candidate.hostDir().resolve(soname);
            searched.add(candidate.description());
            if (!Files.isRegularFile(host)) {
                continue;
            }
            Optional<ElfFile> elf = ElfFile.read(host);
            if (elf.isEmpty() || !elf.get().compatibleWith(reference)) {
                continue;
            }
            String imagePath = join(candidate.imageDir(), soname);
            place(imagePath, host, object.label(), soname);
            queue.add(new Pending(imagePath, host, elf.get(), imagePath, object.origin(), List.of()));
            return;
        }
        if (image.hasSoname(soname)) {
            return;
        }
        throw new LibraryNotFoundException(object.label(), object.origin(), soname,
                new ArrayList<>(new LinkedHashSet<>(searched)));
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
                queue.add(new Pending(path, host, elf.get(), path, object.origin(), List.of()));
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

    private String firstDefaultDirectory() throws IOException {
        for (String dir : defaultDirectories) {
            if (Files.isDirectory(Sysroot.resolve(sysroot, dir))) {
                return dir;
            }
        }
        return "/usr/lib";
    }

    /** Expands RPATH or RUNPATH entries; {@code $ORIGIN} is the object's folder, in the image and on the host. */
    private List<Candidate> expand(Pending object, String path, String kind) throws IOException {
        List<Candidate> candidates = new ArrayList<>();
        if (path == null) {
            return candidates;
        }
        for (String raw : path.split(":")) {
            String entry = raw.replace("${LIB}", lib).replace("$LIB", lib)
                    .replace("${PLATFORM}", platform).replace("$PLATFORM", platform);
            if (entry.startsWith("$ORIGIN") || entry.startsWith("${ORIGIN}")) {
                String rest = entry.substring(entry.startsWith("$ORIGIN") ? 7 : 9);
                String imageDir = normalise(parent(object.imagePath()) + rest);
                Path hostDir = object.hostPath().toAbsolutePath().getParent().resolve(rest.replaceFirst("^/+", ""))
                        .normalize();
                candidates.add(new Candidate(imageDir, hostDir, true, entry + " (" + kind + ", " + imageDir + ")"));
            } else if (entry.startsWith("/")) {
                String dir = normalise(entry);
                candidates.add(new Candidate(dir, Sysroot.resolve(sysroot, dir), true, dir + " (" + kind + ")"));
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
