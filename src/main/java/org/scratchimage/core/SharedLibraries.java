package org.scratchimage.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import org.scratchimage.core.elf.ElfFile;
import org.scratchimage.core.elf.ElfFormatException;
import org.scratchimage.core.elf.ElfMachine;
import org.scratchimage.core.elf.LibraryNotFoundException;
import org.scratchimage.core.elf.LibraryResolver;
import org.scratchimage.core.image.FileStamp;
import org.scratchimage.core.image.LayerEntry;
import org.scratchimage.core.image.Platform;
import org.scratchimage.core.image.RegularFileEntry;
import org.scratchimage.core.image.SymlinkEntry;

/**
 * Reads the ELF headers of the image's files, derives or checks the platform, and adds the interpreters and
 * shared libraries that the declared programs need, so that a dynamically linked program declared alone runs.
 */
final class SharedLibraries {
    private static final int MAX_IMAGE_LINKS = 40;

    private record Program(RegularFileEntry file, ElfFile elf, ElfMachine.Architecture architecture) {}

    private final BuildRequest request;
    private final LayerEntries collector;
    private final BuildListener listener;
    private final ElfHeaders headers;

    private SharedLibraries(BuildRequest request, LayerEntries collector, BuildListener listener, ElfHeaders headers) {
        this.request = request;
        this.collector = collector;
        this.listener = listener;
        this.headers = headers;
    }

    /**
     * Adds the libraries to {@code collector} and returns the platform: {@code explicit} if set (checked against
     * every program), else the programs' own, else the host's.
     */
    static Platform addTo(LayerEntries collector, BuildRequest request, Platform explicit, BuildListener listener)
            throws InvalidConfigurationException, IOException {
        return addTo(collector, request, explicit, null, listener, ElfHeaders.NONE);
    }

    /**
     * @param platformElement the element that names {@code explicit} in a multi-platform build, such as
     *     {@code <platforms>/<platform>[2]/<name>}, whose programs come from that platform's sysroot; {@code null} for
     *     {@code <platform>}
     * @param headers the ELF headers the last build read, by stamp
     */
    static Platform addTo(LayerEntries collector, BuildRequest request, Platform explicit, String platformElement,
            BuildListener listener, ElfHeaders headers) throws InvalidConfigurationException, IOException {
        return new SharedLibraries(request, collector, listener, headers).run(explicit, platformElement);
    }

    private Platform run(Platform explicit, String platformElement) throws InvalidConfigurationException, IOException {
        List<Program> elves = scan();
        Program first = null;
        for (Program program : elves) {
            // A <file> is data: an ELF file shipped as such says nothing about the image's platform.
            if (program.architecture() == null || !collector.isProgram(program.file())) {
                continue;
            }
            if (first == null) {
                first = program;
            } else if (!first.architecture().architecture().equals(program.architecture().architecture())) {
                throw new InvalidConfigurationException(declaration(program.file()), describe(program.file()),
                        "is built for " + program.architecture() + ", but " + describe(first.file()) + " from "
                                + declaration(first.file()) + " is built for " + first.architecture(),
                        "build one image per architecture: an image has one platform");
            }
            if (explicit != null && !explicit.architecture().equals(program.architecture().architecture())) {
                if (platformElement != null) {
                    String expected = ElfMachine.reference(explicit.architecture()).map(ElfMachine::describe)
                            .map(e -> ", which needs " + e).orElse("");
                    throw new InvalidConfigurationException(declaration(program.file()), describe(program.file()),
                            "is " + program.file().source() + ", " + ElfMachine.describe(program.elf()) + ", built for "
                                    + program.architecture() + ", but " + platformElement + " is " + explicit + expected,
                            "put the " + explicit.architecture() + " build of the program at that path in the"
                                    + " platform's <sysroot> (" + sysroot(request) + "), or give each platform its own"
                                    + " sysroot");
                }
                throw new InvalidConfigurationException(declaration(program.file()), describe(program.file()),
                        "is built for " + program.architecture() + ", but <platform> is " + explicit,
                        "set <platform> to linux/" + program.architecture() + ", or declare the " + explicit.architecture()
                                + " build of the program");
            }
        }
        Platform platform = explicit != null ? explicit
                : first != null ? new Platform("linux", first.architecture().architecture(), first.architecture().variant())
                : Platforms.resolve(null, request.hostArchitecture());
        if (first != null && explicit == null) {
            listener.debug("Platform " + platform + " from the ELF header of " + describe(first.file()));
        }
        resolve(elves, platform);
        warnAboutScripts(elves);
        return platform;
    }

    /** Reads the header of every regular file; a broken ELF file is an error only where libraries are resolved. */
    private List<Program> scan() throws InvalidConfigurationException, IOException {
        List<Program> programs = new ArrayList<>();
        for (RegularFileEntry file : collector.regularFiles(SharedLibraries::mayBeProgram)) {
            Optional<ElfFile> elf;
            try {
                // A file whose libraries are not resolved only tells the platform: its header is enough.
                elf = headers.read(file.source(), file.stamp(), collector.resolvesLibraries(file));
            } catch (ElfFormatException e) {
                if (collector.resolvesLibraries(file)) {
                    throw new InvalidConfigurationException(declaration(file), file.source().toString(),
                            "starts like an ELF file but cannot be read: " + e.getMessage(),
                            "replace it with an intact copy, or set <resolveLibraries>false</resolveLibraries> on this declaration");
                }
                continue;
            }
            if (elf.isPresent()) {
                programs.add(new Program(file, elf.get(), ElfMachine.of(elf.get()).orElse(null)));
            }
        }
        return programs;
    }

    /**
     * Programs are executable and shared libraries carry ".so" in their names (a jlink runtime's are 0644): other
     * files are not opened, which keeps a tree of many data files as fast as it can be.
     */
    private static boolean mayBeProgram(RegularFileEntry file) {
        if ((file.mode() & 0111) != 0) {
            return true;
        }
        String name = file.path().substring(file.path().lastIndexOf('/') + 1);
        return name.endsWith(".so") || name.contains(".so.");
    }

    private void resolve(List<Program> elves, Platform platform) throws InvalidConfigurationException, IOException {
        List<LibraryResolver.Program> programs = new ArrayList<>();
        for (Program program : elves) {
            boolean dynamic = program.elf().interpreter() != null || !program.elf().needed().isEmpty();
            if (dynamic && program.architecture() != null && collector.resolvesLibraries(program.file())) {
                programs.add(new LibraryResolver.Program(ImagePaths.absolute(program.file().path()),
                        program.file().source(), program.elf(), declaration(program.file())));
            }
        }
        List<String> extra = extraLibraries();
        if (programs.isEmpty() && extra.isEmpty()) {
            return;
        }
        ElfFile reference = programs.isEmpty()
                ? ElfMachine.reference(platform.architecture()).orElseThrow(() -> new InvalidConfigurationException(
                        "<platform>", platform.toString(), "has no ELF machine to resolve <libraries> for",
                        "set <platform> to an architecture with ELF support, such as linux/amd64 or linux/arm64"))
                : programs.get(0).elf();
        Path sysroot = sysroot(request);
        List<LibraryResolver.Library> libraries;
        try {
            libraries = new LibraryResolver(sysroot, reference).resolve(programs, extra, new ImageView(elves));
        } catch (LibraryNotFoundException e) {
            throw notFound(e, sysroot);
        } catch (ElfFormatException e) {
            throw new InvalidConfigurationException("<sysroot>", sysroot.toString(),
                    "holds a library that cannot be read: " + e.getMessage(),
                    "repair or remove that file, or set <resolveLibraries>false</resolveLibraries>");
        }
        String what = describe(libraries.size(), programs, extra);
        long bytes = 0;
        Map<String, List<String>> byProgram = new LinkedHashMap<>();
        for (LibraryResolver.Library library : libraries) {
            String path = canonical(library.imagePath());
            String origin = "the libraries of " + library.neededBy();
            if (library.hostFile() != null) {
                // Followed like Files.size did: the resolver hands over the library's real file.
                FileStamp stamp = FileStamp.read(library.hostFile(), true);
                bytes += stamp.size();
                int mode = stamp.ownerExecutable() ? LayerEntries.BINARY_MODE : LayerEntries.FILE_MODE;
                collector.addDerived(new RegularFileEntry(path, library.hostFile(), stamp.size(), mode, 0, 0, origin,
                        false, stamp), what);
            } else {
                collector.addDerived(new SymlinkEntry(path, library.linkTarget(), 0, 0, origin), what);
            }
            byProgram.computeIfAbsent(library.neededBy(), k -> new ArrayList<>())
                    .add(library.name() + " -> /" + path + (library.hostFile() == null ? " (link)" : " from " + library.hostFile()));
        }
        byProgram.forEach((program, added) -> listener.debug("Shared libraries of " + program + ": " + String.join(", ", added)));
        listener.info(String.format("Shared libraries: %d files (%d bytes) added for %d programs%s, from %s",
                libraries.size(), bytes, programs.size(), extra.isEmpty() ? "" : " and " + extra.size() + " <libraries>",
                sysroot));
    }

    /**
     * @return what the libraries layer holds, for an error that names the layer: {@code the 7 shared libraries of
     *     /usr/sbin/nginx}, {@code the 9 shared libraries of /bin/a, /bin/b and <libraries>}; three programs at most
     */
    static String describe(int count, List<LibraryResolver.Program> programs, List<String> extra) {
        List<String> of = new ArrayList<>();
        for (LibraryResolver.Program program : programs) {
            of.add(program.imagePath());
        }
        if (of.size() > 3) {
            int more = of.size() - 3;
            of = new ArrayList<>(of.subList(0, 3));
            of.add(more + " more " + (more == 1 ? "program" : "programs"));
        }
        if (!extra.isEmpty()) {
            of.add("<libraries>");
        }
        String list = of.size() == 1 ? of.get(0)
                : String.join(", ", of.subList(0, of.size() - 1)) + " and " + of.get(of.size() - 1);
        return "the " + count + " shared " + (count == 1 ? "library" : "libraries") + " of " + list;
    }

    private static InvalidConfigurationException notFound(LibraryNotFoundException e, Path sysroot) {
        String problem = "needs " + e.library() + ", which is in none of the places the loader searches: "
                + String.join(", ", e.searched());
        // A <library> is labelled with its element, which the message already names: quote the value alone.
        String value = e.program().startsWith(e.origin() + " ") ? e.program().substring(e.origin().length() + 1)
                : e.program();
        if (e.elsewhere().isEmpty()) {
            return new InvalidConfigurationException(e.origin(), value, problem,
                    "install the library under <sysroot> (" + sysroot + "), name its file in <libraries><library>, or set"
                            + " <resolveLibraries>false</resolveLibraries> on the declaration if the image provides it otherwise");
        }
        // The sysroot has it, but where this loader never looks without an ld.so.cache, which the image lacks:
        // placed there, the program would fail to start. The sysroot's own programs would not find it either.
        String dir = e.elsewhere().get(0);
        return new InvalidConfigurationException(e.origin(), value, problem + ". <sysroot> holds it in "
                + String.join(", ", e.elsewhere()) + ", which the image's loader" + (e.loader() == null ? "" : " " + e.loader())
                + " does not search",
                (e.readsLdSoConf() ? "list " + dir + " in <sysroot>/etc/ld.so.conf (the library then goes to a directory the"
                        + " loader searches), or move the library to one of those directories"
                        : "move the library to one of the directories the loader searches")
                        + ", or set <resolveLibraries>false</resolveLibraries> on the declaration if the image provides it otherwise");
    }

    private List<String> extraLibraries() throws InvalidConfigurationException {
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < request.libraries().size(); i++) {
            String library = request.libraries().get(i);
            if (Values.isBlank(library)) {
                throw new InvalidConfigurationException("<libraries>/<library>[" + (i + 1) + "]", "", "is empty",
                        "name a soname such as libnss_dns.so.2, or an absolute path in the sysroot");
            }
            String trimmed = library.trim();
            if (trimmed.contains("/")) {
                ImagePaths.relative("<libraries>/<library>[" + (i + 1) + "]", trimmed);
            }
            extra.add(trimmed);
        }
        return extra;
    }

    /** @return {@code <sysroot>}, resolved against the project and checked; {@code /} when not set */
    static Path sysroot(BuildRequest request) throws InvalidConfigurationException {
        return sysroot("<sysroot>", request.sysroot(), request.baseDirectory());
    }

    /** @return a sysroot, resolved against the project and checked; {@code /} when not set */
    static Path sysroot(String element, String value, Path baseDirectory) throws InvalidConfigurationException {
        if (Values.isBlank(value)) {
            return Path.of("/");
        }
        Path sysroot = baseDirectory.resolve(value.trim()).normalize();
        if (!Files.isDirectory(sysroot)) {
            throw new InvalidConfigurationException(element, value, "is not a directory (resolved to " + sysroot + ")",
                    "name the root of the target's file system, such as / or a debootstrap folder");
        }
        return sysroot;
    }

    /**
     * Warns about scripts whose {@code #!} interpreter the image does not hold: they would fail to start.
     *
     * @param elves the files found to be ELF, which are not scripts and are not opened again
     */
    private void warnAboutScripts(List<Program> elves) throws IOException {
        Set<Path> elf = new HashSet<>();
        for (Program program : elves) {
            elf.add(program.file().source());
        }
        for (RegularFileEntry file : collector.regularFiles(file -> (file.mode() & 0111) != 0 && file.size() >= 3
                && !elf.contains(file.source()))) {
            byte[] head;
            try (InputStream in = Files.newInputStream(file.source())) {
                head = in.readNBytes(256);
            }
            if (head[0] != '#' || head[1] != '!') {
                continue;
            }
            String line = new String(head, 2, head.length - 2, StandardCharsets.UTF_8).split("\n", 2)[0].trim();
            String interpreter = line.split("\\s+", 2)[0];
            if (interpreter.startsWith("/") && collector.entryAt(canonical(interpreter)) == null) {
                listener.warn(describe(file) + " from " + declaration(file) + " is a script for " + interpreter
                        + ", which the image does not hold: declare it as a <binary>, or the script cannot start");
            }
        }
    }

    /** The image path after following the image's own symbolic links, relative like entry paths. */
    private String canonical(String absolute) {
        List<String> resolved = new ArrayList<>();
        List<String> pending = new ArrayList<>(List.of(absolute.split("/")));
        int links = 0;
        while (!pending.isEmpty()) {
            String segment = pending.remove(0);
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (!resolved.isEmpty()) {
                    resolved.remove(resolved.size() - 1);
                }
                continue;
            }
            resolved.add(segment);
            LayerEntry entry = collector.entryAt(String.join("/", resolved));
            if (entry instanceof SymlinkEntry link && links++ < MAX_IMAGE_LINKS) {
                resolved.remove(resolved.size() - 1);
                if (link.target().startsWith("/")) {
                    resolved.clear();
                }
                pending.addAll(0, List.of(link.target().split("/")));
            }
        }
        return String.join("/", resolved);
    }

    /** What the resolver sees of the image: the declared entries, through the image's own links. */
    private final class ImageView implements LibraryResolver.Image {
        private final List<Program> elves;

        ImageView(List<Program> elves) {
            this.elves = elves;
        }

        @Override
        public boolean hasSoname(String soname) {
            return elves.stream().anyMatch(p -> soname.equals(p.elf().soname()));
        }

        @Override
        public boolean contains(String path) {
            return collector.entryAt(canonical(path)) != null;
        }

        @Override
        public Optional<Path> regularFile(String path) {
            return collector.entryAt(canonical(path)) instanceof RegularFileEntry file
                    ? Optional.of(file.source())
                    : Optional.empty();
        }
    }

    private static String describe(RegularFileEntry file) {
        return ImagePaths.absolute(file.path());
    }

    private static String declaration(RegularFileEntry file) {
        int detail = file.origin().indexOf(" (");
        return detail < 0 ? file.origin() : file.origin().substring(0, detail);
    }
}
