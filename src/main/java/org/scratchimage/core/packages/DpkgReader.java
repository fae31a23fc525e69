package org.scratchimage.core.packages;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.scratchimage.core.elf.Sysroot;

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
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9+._-]*");
    private static final Pattern SAFE_ARCHITECTURE = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern MD5 = Pattern.compile("[0-9a-f]{32}");
    /** The directories that merged /usr made links to their {@code /usr} twins. */
    private static final List<String> MERGED = List.of("bin", "sbin", "lib", "lib32", "lib64", "libx32", "libo32");

    /** An installed package, as its status paragraph says. */
    private record Installed(String name, String version, String architecture, String source, String maintainer,
            boolean multiArchSame, ControlFile.Paragraph paragraph) {}

    private final Path sysroot;
    private final Consumer<String> warn;
    private final Consumer<String> debug;

    private DpkgReader(Path sysroot, Consumer<String> warn, Consumer<String> debug) {
        this.sysroot = sysroot.toAbsolutePath().normalize();
        this.warn = warn;
        this.debug = debug;
    }

    /**
     * @param sysroot the root of the target's file system, {@code /} for the host
     * @param files the image's regular files
     * @param warn receives what the user can act on: unreadable or malformed dpkg files, unsafe package names
     * @param debug receives the decisions
     * @return the packages owning image files and the files to add; {@link PackageScan#NONE} without a dpkg database
     */
    public static PackageScan read(Path sysroot, List<ImageFile> files, Consumer<String> warn,
            Consumer<String> debug) {
        return new DpkgReader(sysroot, warn, debug).read(files);
    }

    private PackageScan read(List<ImageFile> files) {
        Path status = resolve("/var/lib/dpkg/status");
        if (status == null || !Files.isRegularFile(status, LinkOption.NOFOLLOW_LINKS)) {
            debug.accept("No dpkg database in " + sysroot + " (no /var/lib/dpkg/status): no package metadata");
            return PackageScan.NONE;
        }
        Map<String, List<Integer>> wanted = wanted(files);
        if (wanted.isEmpty()) {
            return PackageScan.NONE;
        }
        String text;
        try {
            text = Files.readString(status, StandardCharsets.UTF_8);
        } catch (IOException e) {
            warn.accept("Could not read the dpkg database " + status + ": " + e + "; the image gets no package"
                    + " metadata. Fix: make it readable to the build user, or set <packageMetadata>false</packageMetadata>");
            return PackageScan.NONE;
        }
        Path info = resolve("/var/lib/dpkg/info");
        Installed[] owners = new Installed[files.size()];
        for (ControlFile.Paragraph paragraph : ControlFile.parse(text, status.toString(), warn)) {
            Installed installed = installed(paragraph, status);
            if (installed != null && info != null) {
                claim(installed, info, wanted, owners);
            }
        }
        // By identity: each installed package is one object, and a record's hashCode would hash its whole paragraph.
        Map<Installed, List<Integer>> used = new IdentityHashMap<>();
        List<Installed> order = new ArrayList<>();
        for (int i = 0; i < owners.length; i++) {
            if (owners[i] != null) {
                used.computeIfAbsent(owners[i], k -> {
                    order.add(k);
                    return new ArrayList<>();
                }).add(i);
            }
        }
        if (used.isEmpty()) {
            debug.accept("No image file belongs to a package of " + status);
            return PackageScan.NONE;
        }
        return scan(files, order, used, info);
    }

    private PackageScan scan(List<ImageFile> files, List<Installed> order, Map<Installed, List<Integer>> used,
            Path info) {
        Set<String> names = new HashSet<>();
        Set<String> twice = new HashSet<>();
        for (Installed installed : order) {
            if (!names.add(installed.name())) {
                twice.add(installed.name());
            }
        }
        Map<String, MetadataFile> added = new TreeMap<>();
        TreeMap<String, DebianPackage> owners = new TreeMap<>();
        for (Installed pkg : order) {
            List<Integer> owned = used.get(pkg);
            // Two architectures of one package (libc6:amd64 and libc6:i386) need two file names.
            String fileName = twice.contains(pkg.name()) ? pkg.name() + ":" + pkg.architecture() : pkg.name();
            add(added, new MetadataFile(STATUS_DIRECTORY + fileName, statusParagraph(pkg.paragraph()), null,
                    "the dpkg status of " + pkg.name()));
            byte[] md5sums = md5sums(pkg, info, files, owned);
            if (md5sums != null) {
                add(added, new MetadataFile(STATUS_DIRECTORY + fileName + ".md5sums", md5sums, null,
                        "the md5sums of " + pkg.name()));
            }
            List<String> licenses = List.of();
            Path copyright = resolve("/usr/share/doc/" + pkg.name() + "/copyright");
            if (copyright != null && Files.isRegularFile(copyright, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    String text = Files.readString(copyright, StandardCharsets.UTF_8);
                    licenses = DebianLicenses.of(text, copyright.toString(), warn);
                    add(added, new MetadataFile("usr/share/doc/" + pkg.name() + "/copyright", null, copyright,
                            "the copyright of " + pkg.name()));
                } catch (IOException e) {
                    warn.accept("Could not read " + copyright + ": " + e + "; the image gets no copyright file of "
                            + pkg.name());
                }
            }
            DebianPackage owner = new DebianPackage(pkg.name(), pkg.version(), pkg.architecture(), pkg.source(),
                    pkg.maintainer(), licenses);
            for (int index : owned) {
                owners.put(files.get(index).path(), owner);
            }
            debug.accept("Package " + pkg.name() + " " + pkg.version() + " owns " + owned.size()
                    + " image files");
        }
        String[] os = {null, null};
        Path osRelease = firstRegular("/etc/os-release", "/usr/lib/os-release");
        if (osRelease != null) {
            try {
                os = OsRelease.idAndVersion(Files.readString(osRelease, StandardCharsets.UTF_8));
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
        List<MetadataFile> list = new ArrayList<>(added.values());
        list.sort(Comparator.comparing(MetadataFile::path));
        return new PackageScan(new PackageMetadata(owners, os[0], os[1]), list, order.size());
    }

    private static void add(Map<String, MetadataFile> added, MetadataFile file) {
        added.putIfAbsent(file.path(), file);
    }

    /** @return each spelling of each image file's path in the sysroot, with the files it designates */
    private Map<String, List<Integer>> wanted(List<ImageFile> files) {
        Map<String, List<Integer>> wanted = new HashMap<>();
        for (int i = 0; i < files.size(); i++) {
            ImageFile file = files.get(i);
            String inside = inside(file.source());
            if (inside == null) {
                continue;
            }
            for (String spelling : spellings(inside)) {
                wanted.computeIfAbsent(spelling, k -> new ArrayList<>(1)).add(i);
            }
            if (file.declared()) {
                // A declared /usr/bin/editor may be a link to the package's file: its target counts too.
                Path real = resolve(inside);
                String resolved = real == null ? null : inside(real);
                if (resolved != null && !resolved.equals(inside)) {
                    for (String spelling : spellings(resolved)) {
                        wanted.computeIfAbsent(spelling, k -> new ArrayList<>(1)).add(i);
                    }
                }
            }
        }
        return wanted;
    }

    /** @return the host path as an absolute path of the sysroot, or {@code null} if it is outside */
    private String inside(Path source) {
        Path absolute = source.toAbsolutePath().normalize();
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
        for (String merged : MERGED) {
            if (absolute.startsWith("/usr/" + merged + "/")) {
                return List.of(absolute, absolute.substring("/usr".length()));
            }
            if (absolute.startsWith("/" + merged + "/")) {
                return List.of(absolute, "/usr" + absolute);
            }
        }
        return List.of(absolute);
    }

    /** @return the package of an installed paragraph, or {@code null} if it is not installed or cannot be used */
    private Installed installed(ControlFile.Paragraph paragraph, Path status) {
        String state = paragraph.get("Status");
        String[] words = state == null ? new String[0] : state.trim().split("\\s+");
        if (words.length != 3 || !words[2].equals("installed")) {
            return null;
        }
        String name = paragraph.get("Package");
        String version = paragraph.get("Version");
        String architecture = paragraph.get("Architecture");
        String where = status + ", paragraph of line " + paragraph.line();
        if (name == null || version == null || version.isEmpty() || architecture == null) {
            warn.accept(where + ": an installed package without Package, Version or Architecture; it is left out of"
                    + " the package metadata");
            return null;
        }
        if (!SAFE_NAME.matcher(name).matches() || !SAFE_ARCHITECTURE.matcher(architecture).matches()) {
            warn.accept(where + ": package name \"" + name + "\" or architecture \"" + architecture + "\" is not a"
                    + " safe file name; the package is left out of the package metadata");
            return null;
        }
        String source = paragraph.get("Source");
        if (source == null || source.isBlank()) {
            source = name;
        } else {
            // "Source: glibc (2.36-9)": the source's own version, when it differs, follows in parentheses.
            source = source.trim().split("\\s+")[0];
        }
        return new Installed(name, version, architecture, source, paragraph.get("Maintainer"),
                "same".equals(paragraph.get("Multi-Arch")), paragraph);
    }

    /** Reads the package's {@code .list} and records it as the owner of the wanted files it lists. */
    private void claim(Installed pkg, Path info, Map<String, List<Integer>> wanted, Installed[] owners) {
        byte[] list = infoFile(pkg, info, ".list");
        if (list == null) {
            return;
        }
        int start = 0;
        for (int i = 0; i <= list.length; i++) {
            if (i == list.length || list[i] == '\n') {
                if (i > start && list[start] == '/') {
                    List<Integer> files = wanted.get(new String(list, start, i - start, StandardCharsets.UTF_8));
                    if (files != null) {
                        for (int index : files) {
                            if (owners[index] == null) {
                                owners[index] = pkg;
                            }
                        }
                    }
                }
                start = i + 1;
            }
        }
    }

    /** @return the package's md5sums of the given image files, by image path, or {@code null} if none is known */
    private byte[] md5sums(Installed pkg, Path info, List<ImageFile> files, List<Integer> owned) {
        byte[] bytes = infoFile(pkg, info, ".md5sums");
        if (bytes == null) {
            return null;
        }
        Map<String, String> sums = new HashMap<>();
        String text = new String(bytes, StandardCharsets.UTF_8);
        int number = 0;
        for (String line : text.split("\n")) {
            number++;
            if (line.isEmpty()) {
                continue;
            }
            int space = line.indexOf("  ");
            if (space != 32 || !MD5.matcher(line.substring(0, 32)).matches()) {
                warn.accept(infoPath(pkg, info, ".md5sums") + ": line " + number + " is not \"MD5  path\"; it is"
                        + " left out");
                continue;
            }
            sums.put("/" + line.substring(34), line.substring(0, 32));
        }
        Map<String, String> lines = new TreeMap<>();
        for (int index : owned) {
            ImageFile file = files.get(index);
            String sum = sumOf(sums, inside(file.source()));
            if (sum == null && file.declared()) {
                Path real = resolve(inside(file.source()));
                sum = real == null ? null : sumOf(sums, inside(real));
            }
            if (sum != null) {
                lines.put(file.path(), sum);
            }
        }
        if (lines.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        lines.forEach((path, sum) -> out.append(sum).append("  ").append(path).append('\n'));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String sumOf(Map<String, String> sums, String inside) {
        if (inside == null) {
            return null;
        }
        for (String spelling : spellings(inside)) {
            String sum = sums.get(spelling);
            if (sum != null) {
                return sum;
            }
        }
        return null;
    }

    /**
     * @return the bytes of {@code info/<package>[:<arch>]<suffix>}, or {@code null} if missing or unreadable; a
     *     {@code Multi-Arch: same} package's files carry the architecture
     */
    private byte[] infoFile(Installed pkg, Path info, String suffix) {
        String plain = pkg.name() + suffix;
        String qualified = pkg.name() + ":" + pkg.architecture() + suffix;
        for (String name : pkg.multiArchSame() ? List.of(qualified, plain) : List.of(plain, qualified)) {
            Path file = info.resolve(name);
            try {
                if (Files.isSymbolicLink(file)) {
                    warn.accept(file + " is a symbolic link, which dpkg never makes; package " + pkg.name()
                            + " is left out of the package metadata");
                    return null;
                }
                return Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                // Try the other name.
            } catch (IOException e) {
                warn.accept("Could not read " + file + ": " + e + "; package " + pkg.name() + " is left out of the"
                        + " package metadata");
                return null;
            }
        }
        return null;
    }

    private Path infoPath(Installed pkg, Path info, String suffix) {
        Path qualified = info.resolve(pkg.name() + ":" + pkg.architecture() + suffix);
        return Files.exists(qualified, LinkOption.NOFOLLOW_LINKS) ? qualified : info.resolve(pkg.name() + suffix);
    }

    /** @return the paragraph as the image's {@code status.d} file holds it: every field but the host's Conffiles */
    private static byte[] statusParagraph(ControlFile.Paragraph paragraph) {
        StringBuilder out = new StringBuilder();
        for (ControlFile.Field field : paragraph.fields()) {
            if (field.name().equalsIgnoreCase("Conffiles")) {
                continue;
            }
            out.append(field.name()).append(':');
            if (!field.value().isEmpty() && field.value().charAt(0) != '\n') {
                out.append(' ');
            }
            out.append(field.value()).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
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
        try {
            return Sysroot.resolve(sysroot, absolute);
        } catch (IOException e) {
            warn.accept("Could not resolve " + absolute + " in " + sysroot + ": " + e);
            return null;
        }
    }
}
