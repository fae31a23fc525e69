package org.scratchimage.core.packages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.scratchimage.core.image.LayerEntryOrder;

/**
 * Finds the Debian packages that own the image's files in a sysroot's dpkg database, in pure Java, and makes the
 * files that let a scanner see them, as distroless images hold them: per package
 * {@code var/lib/dpkg/status.d/<package>} (its status paragraph), {@code <package>.md5sums} (the image's files only)
 * and {@code usr/share/doc/<package>/copyright}; once, {@code etc/os-release} and {@code etc/debian_version}.
 *
 * <p>Every path is looked up inside the sysroot with {@link Sysroot#resolve}, so that no link leads out of it. A
 * file listed as {@code /usr/lib/...} owns the image's {@code /lib/...} and the other way round (merged /usr). A
 * dpkg file that cannot be read or parsed is reported to {@code warn}, naming it, and the build goes on without the
 * package it describes; so is a package whose name is not a safe file name.
 */
public final class DpkgReader {
    /**
     * One regular file of the image.
     *
     * @param path its path in the image, relative
     * @param source the host file it is copied from
     * @param declared whether the user named the source, which may then be a link to the package's file
     */
    public record ImageFile(String path, Path source, boolean declared) {}

    /** The directory of the generated status paragraphs, in the image. */
    public static final String STATUS_DIRECTORY = "var/lib/dpkg/status.d/";
    /** The directories that merged /usr made links to their {@code /usr} twins. */
    private static final List<String> MERGED = List.of("bin", "sbin", "lib", "lib32", "lib64", "libx32", "libo32");
    /** {@code /bin/} and the other merged folders' prefixes, and their {@code /usr} twins': made once, not per file. */
    private static final String[] PREFIXES = MERGED.stream().map(name -> "/" + name + "/").toArray(String[]::new);
    private static final String[] USR_PREFIXES = MERGED.stream().map(name -> "/usr/" + name + "/")
            .toArray(String[]::new);

    private final Path sysroot;
    private final Consumer<String> warn;
    private final Consumer<String> debug;

    private DpkgReader(Path sysroot, Consumer<String> warn, Consumer<String> debug) {
        this.sysroot = sysroot.toAbsolutePath().normalize();
        this.warn = warn;
        this.debug = debug;
    }

    /**
     * Reads the database on the calling thread; {@link #read(DpkgDatabase, List, Consumer, Consumer)} takes one
     * read beforehand.
     *
     * @param sysroot the root of the target's file system, {@code /} for the host
     */
    public static PackageScan read(Path sysroot, List<ImageFile> files, Consumer<String> warn,
            Consumer<String> debug) {
        return read(DpkgDatabase.loadHere(sysroot), files, warn, debug);
    }

    /**
     * @param database the sysroot's database, from {@link DpkgDatabase#load}
     * @param files the image's regular files, in any order: the scan is the same for every order
     * @param warn receives what the user can act on: unreadable or malformed dpkg files, unsafe package names
     * @param debug receives the decisions
     * @return the packages owning image files and the files to add; {@link PackageScan#NONE} without a dpkg database
     */
    public static PackageScan read(DpkgDatabase database, List<ImageFile> files, Consumer<String> warn,
            Consumer<String> debug) {
        return new DpkgReader(database.sysroot(), warn, debug).read(database, files);
    }

    private PackageScan read(DpkgDatabase database, List<ImageFile> files) {
        List<List<String>> candidates = candidates(files);
        DpkgDatabase.Loaded loaded = database.get();
        if (loaded.status() == null) {
            loaded.warnings().forEach(warn);
            debug.accept("No dpkg database in " + sysroot + " (no /var/lib/dpkg/status): no package metadata");
            return PackageScan.NONE;
        }
        if (candidates.stream().allMatch(List::isEmpty)) {
            return PackageScan.NONE;
        }
        // Reported now, as if read now: only for an image that has a file the database could own.
        loaded.warnings().forEach(warn);
        if (loaded.statusError() != null) {
            warn.accept("Could not read the dpkg database " + loaded.status() + ": " + loaded.statusError() + "; the"
                    + " image gets no package metadata. Fix: make it readable to the build user, or set"
                    + " <packageMetadata>false</packageMetadata>");
            return PackageScan.NONE;
        }
        if (loaded.info() == null) {
            return PackageScan.NONE;
        }
        // The first package in the status file's order that lists any spelling of the file owns it.
        InstalledPackage[] owners = new InstalledPackage[files.size()];
        for (int i = 0; i < owners.length; i++) {
            int first = -1;
            for (String spelling : candidates.get(i)) {
                int owner = loaded.paths().owner(spelling);
                if (owner >= 0 && (first < 0 || owner < first)) {
                    first = owner;
                }
            }
            owners[i] = first < 0 ? null : loaded.packages().get(first);
        }
        // By identity: each installed package is one object per paragraph. With each, the tar order's first of its
        // files: the files come in any order, and the packages go by that first file, whatever order that was.
        Map<InstalledPackage, List<Integer>> used = new IdentityHashMap<>();
        Map<InstalledPackage, String> firstPath = new IdentityHashMap<>();
        for (int i = 0; i < owners.length; i++) {
            if (owners[i] != null) {
                used.computeIfAbsent(owners[i], k -> new ArrayList<>()).add(i);
                firstPath.merge(owners[i], files.get(i).path(),
                        (a, b) -> LayerEntryOrder.compareUtf8(a, b) <= 0 ? a : b);
            }
        }
        if (used.isEmpty()) {
            debug.accept("No image file belongs to a package of " + loaded.status());
            return PackageScan.NONE;
        }
        List<InstalledPackage> order = new ArrayList<>(used.keySet());
        order.sort((a, b) -> LayerEntryOrder.compareUtf8(firstPath.get(a), firstPath.get(b)));
        return scan(files, candidates, order, used, new DpkgInfo(loaded.info(), warn));
    }

    private PackageScan scan(List<ImageFile> files, List<List<String>> candidates, List<InstalledPackage> order,
            Map<InstalledPackage, List<Integer>> used, DpkgInfo info) {
        Set<String> names = new HashSet<>();
        Set<String> twice = new HashSet<>();
        for (InstalledPackage installed : order) {
            if (!names.add(installed.name)) {
                twice.add(installed.name);
            }
        }
        Map<String, MetadataFile> added = new TreeMap<>();
        TreeMap<String, DebianPackage> owners = new TreeMap<>();
        for (InstalledPackage pkg : order) {
            List<Integer> owned = used.get(pkg);
            // Two architectures of one package (libc6:amd64 and libc6:i386) need two file names.
            String fileName = twice.contains(pkg.name) ? pkg.name + ":" + pkg.architecture : pkg.name;
            add(added, new MetadataFile(STATUS_DIRECTORY + fileName, pkg.statusParagraph(), null,
                    "the dpkg status of " + pkg.name));
            Map<String, List<String>> ownedFiles = new TreeMap<>();
            for (int index : owned) {
                ownedFiles.put(files.get(index).path(), candidates.get(index));
            }
            byte[] md5sums = info.md5sums(pkg, ownedFiles);
            if (md5sums != null) {
                add(added, new MetadataFile(STATUS_DIRECTORY + fileName + ".md5sums", md5sums, null,
                        "the md5sums of " + pkg.name));
            }
            List<String> licenses = List.of();
            Path copyright = resolve("/usr/share/doc/" + pkg.name + "/copyright");
            if (copyright != null && Files.isRegularFile(copyright, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    String text = DpkgDatabase.text(copyright);
                    licenses = DebianLicenses.of(text, copyright.toString(), warn);
                    add(added, new MetadataFile("usr/share/doc/" + pkg.name + "/copyright", null, copyright,
                            "the copyright of " + pkg.name));
                } catch (IOException e) {
                    warn.accept("Could not read " + copyright + ": " + e + "; the image gets no copyright file of "
                            + pkg.name);
                }
            }
            DebianPackage owner = pkg.describe(licenses);
            for (int index : owned) {
                owners.put(files.get(index).path(), owner);
            }
            debug.accept("Package " + pkg.name + " " + pkg.version + " owns " + owned.size()
                    + " image files");
        }
        String[] os = {null, null};
        Path osRelease = firstRegular("/etc/os-release", "/usr/lib/os-release");
        if (osRelease != null) {
            try {
                os = OsRelease.idAndVersion(DpkgDatabase.text(osRelease));
                add(added, new MetadataFile("etc/os-release", null, osRelease, "the os-release of " + sysroot));
            } catch (IOException e) {
                warn.accept("Could not read " + osRelease + ": " + e + "; the image gets no /etc/os-release");
            }
        }
        Path debianVersion = firstRegular("/etc/debian_version");
        if (debianVersion != null) {
            add(added, new MetadataFile("etc/debian_version", null, debianVersion,
                    "the debian_version of " + sysroot));
        }
        return new PackageScan(new PackageMetadata(owners, os[0], os[1]), new ArrayList<>(added.values()),
                order.size());
    }

    private static void add(Map<String, MetadataFile> added, MetadataFile file) {
        added.putIfAbsent(file.path(), file);
    }

    /**
     * @return for each image file, by index, the absolute paths of the sysroot that a package may list it as: its
     *     source and that path's merged-/usr twin; for a declared source, also its target's; none if outside
     */
    private List<List<String>> candidates(List<ImageFile> files) {
        List<List<String>> candidates = new ArrayList<>(files.size());
        for (ImageFile file : files) {
            List<String> spellings = new ArrayList<>(2);
            String inside = inside(file.source());
            if (inside != null) {
                spellings.addAll(spellings(inside));
                if (file.declared()) {
                    // A declared /usr/bin/editor may be a link to the package's file: its target counts too.
                    Path real = resolve(inside);
                    String resolved = real == null ? null : inside(real);
                    if (resolved != null && !resolved.equals(inside)) {
                        spellings.addAll(spellings(resolved));
                    }
                }
            }
            candidates.add(spellings);
        }
        return candidates;
    }

    /** @return the host path as an absolute path of the sysroot, or {@code null} if it is outside */
    private String inside(Path source) {
        Path absolute = source.toAbsolutePath().normalize();
        if (sysroot.getNameCount() == 0) {
            // The host's root: every absolute path is inside, as it is.
            return absolute.toString();
        }
        if (!absolute.startsWith(sysroot)) {
            return null;
        }
        return "/" + sysroot.relativize(absolute);
    }

    /**
     * @param absolute an absolute path of the target system
     * @return it, and on a merged-/usr system its twin: {@code /lib/x} and {@code /usr/lib/x}
     */
    static List<String> spellings(String absolute) {
        for (int i = 0; i < PREFIXES.length; i++) {
            if (absolute.startsWith(USR_PREFIXES[i])) {
                return List.of(absolute, absolute.substring("/usr".length()));
            }
            if (absolute.startsWith(PREFIXES[i])) {
                return List.of(absolute, "/usr" + absolute);
            }
        }
        return List.of(absolute);
    }

    private Path firstRegular(String... paths) {
        for (String path : paths) {
            Path file = resolve(path);
            if (file != null && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return file;
            }
        }
        return null;
    }

    /** @return the host path of a sysroot path, links resolved inside the sysroot, or {@code null} on a link loop */
    private Path resolve(String absolute) {
        return DpkgDatabase.resolve(sysroot, absolute, warn);
    }
}
