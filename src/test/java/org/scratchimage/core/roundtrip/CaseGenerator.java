package org.scratchimage.core.roundtrip;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.scratchimage.core.BinarySpec;
import org.scratchimage.core.BuildRequest;
import org.scratchimage.core.ContainerSpec;
import org.scratchimage.core.DirectorySpec;
import org.scratchimage.core.FileSpec;
import org.scratchimage.core.SymlinkSpec;

/**
 * Makes one random image declaration from a seed: a host folder of sources and trees with hostile names,
 * modes and owners, the {@link BuildRequest} that declares them, and, from its own model of the declaration
 * rules, every path the image must hold. The same seed always makes the same case.
 *
 * <p>The model follows the documented rules: defaults 0755 for directories and binaries, 0644 for files, 0:0;
 * a tree's {@code <mode>}, {@code <uid>} and {@code <gid>} apply to its root and everything in it, its
 * {@code <directoryMode>} to its subdirectories and its {@code <fileMode>} to its files (by default 0755 where
 * the host file is executable by its owner, else 0644); links are 0777 and keep their target as written; a
 * directory declared on its own or a tree's root wins over the same directory inside another tree; undeclared
 * parents are 0755 0:0. The generator never makes a declaration the plugin must reject.
 */
final class CaseGenerator {
    static final long MAX_ID = 4_294_967_294L;
    static final long MAX_TIMESTAMP = 253_402_300_799L; // 9999-12-31T23:59:59Z

    private static final String ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String[] LATIN = {"é", "ü", "ñ", "ø", "ß", "Å", "ç", "e\u0301", "Ωμέγα"};
    private static final String[] CYRILLIC = {"ж", "щ", "я", "Дом", "привет", "Ё"};
    private static final String[] CJK = {"漢", "字", "中文", "日本語", "한국어", "ｶﾀｶﾅ"};
    private static final String[] EMOJI = {"😀", "🚀", "🐍", "👍🏽", "🏳️‍🌈", "🇩🇪"};
    private static final String[] META = {" ", "  ", "$", "'", "\"", ";", "&", "*", "?", "[", "]", "(", ")", "{",
        "}", "<", ">", "|", "\\", "`", "~", "!", "#", "%", "^", "=", "+", ",", ":", "@", "-", "_", ".", "..",
        "$(id)", "${HOME}", "'; rm -rf x; '", "*.?", " -> ", "\t", "\u0001", "\u007f", "\u00a0"};
    private static final String[] JSON_HOSTILE = {"\"", "\\", "\u0000", "\u0001", "\u001f", "\u007f", "\u2028",
        "\u2029", "\uFEFF", "</script>", "\n", "\r\n", "=", "${X}", "😀", "漢字", "ж", "é"};
    private static final int[] INTERESTING_MODES = {0, 0644, 0755, 0600, 0700, 0444, 0111, 04755, 02755, 01777,
        06755, 07777, 07000, 01000, 02000, 04000, 0777};
    private static final long[] INTERESTING_TIMES = {0, 1, 2_147_483_647L, 2_147_483_648L, 4_294_967_295L,
        8_589_934_591L, 8_589_934_592L, MAX_TIMESTAMP};
    private static final int[] SIZES = {1, 2, 100, 511, 512, 513, 1023, 1024, 65_535, 65_536, 65_537, 70_000};
    /** Image paths stay below this many bytes, so that host paths stay below PATH_MAX. */
    private static final int MAX_PATH = 3000;

    private enum Origin { DECLARED, TREE_ROOT, IN_TREE }

    private record Node(Item item, Origin origin) {}

    private final long seed;
    private final Random random;
    private final Path base;
    private final boolean nonAscii;
    private final boolean root;
    private final Set<String> forbidden;

    private final Map<String, Node> entries = new HashMap<>();
    /** The parents of declared paths: directories the image has even where nobody declared them. */
    private final Set<String> ancestors = new HashSet<>();
    private final List<byte[]> contents = new ArrayList<>();
    private final Set<Long> declaredIds = new LinkedHashSet<>();
    private final List<Long> hostIds = new ArrayList<>();
    private final List<Long> hostTimes = new ArrayList<>();
    private final List<String> declarations = new ArrayList<>();
    private final List<TreeDeclared> trees = new ArrayList<>();
    /** The situations this case exercises, counted over a run to show the generator reaches each. */
    private final Set<String> features = new java.util.TreeSet<>();
    private int counter;

    /**
     * @param nonAscii whether names may be non-ASCII (the JVM must decode file names as UTF-8)
     * @param root whether host files may be given other owners and any mode (needs root)
     * @param forbidden words that JSON-visible generated strings must not contain, as the leak scan looks for them
     */
    private CaseGenerator(long seed, Path base, boolean nonAscii, boolean root, Set<String> forbidden) {
        this.seed = seed;
        this.random = new Random(seed);
        this.base = base;
        this.nonAscii = nonAscii;
        this.root = root;
        this.forbidden = forbidden;
    }

    static ImageCase generate(long seed, Path base, boolean nonAscii, boolean root, Set<String> forbidden)
            throws IOException {
        return new CaseGenerator(seed, base, nonAscii, root, forbidden).generate();
    }

    private ImageCase generate() throws IOException {
        Files.createDirectories(base.resolve("sources"));
        Files.createDirectories(base.resolve("trees"));
        for (int i = 0; i < 2; i++) {
            hostIds.add(100_000_000L + random.nextInt(900_000_000));
            hostTimes.add(1_000_000_000L + random.nextInt(999_999_999));
        }
        List<DirectorySpec> directories = new ArrayList<>();
        List<FileSpec> files = new ArrayList<>();
        List<BinarySpec> binaries = new ArrayList<>();
        List<SymlinkSpec> symlinks = new ArrayList<>();
        int trees = random.nextInt(4);
        for (int i = 0; i < trees; i++) {
            directories.add(tree(i));
        }
        int declaredDirectories = random.nextInt(4);
        for (int i = 0; i < declaredDirectories; i++) {
            directories.add(declaredDirectory());
        }
        int fileCount = random.nextInt(6);
        for (int i = 0; i < fileCount; i++) {
            files.add(file());
        }
        int binaryCount = random.nextInt(4);
        for (int i = 0; i < binaryCount; i++) {
            binaries.add(binary());
        }
        int linkCount = random.nextInt(5);
        for (int i = 0; i < linkCount; i++) {
            symlinks.add(symlink());
        }
        // Declaration order must not matter: the plugin sorts.
        Collections.shuffle(directories, random);
        Collections.shuffle(files, random);
        Collections.shuffle(binaries, random);
        Collections.shuffle(symlinks, random);

        long timestamp = pickTimestamp();
        String outputTimestamp = null;
        String sourceDateEpoch = null;
        int form = random.nextInt(10);
        if (form == 0) {
            timestamp = 1; // the documented default
        } else if (form == 1) {
            sourceDateEpoch = random.nextBoolean() ? Long.toString(timestamp) : " " + timestamp + " ";
        } else if (form < 5) {
            String digits = Long.toString(timestamp);
            outputTimestamp = random.nextInt(3) == 0 ? "0".repeat(random.nextInt(13 - digits.length())) + digits
                    : digits;
        } else {
            outputTimestamp = iso(timestamp);
        }
        declarations.add("outputTimestamp=" + outputTimestamp + " SOURCE_DATE_EPOCH=" + sourceDateEpoch);
        int codec = random.nextInt(10);
        String compression = codec < 5 ? "gzip" : codec < 8 ? "zstd" : "none";
        String level = null;
        if (!compression.equals("none") && random.nextBoolean()) {
            int max = compression.equals("gzip") ? 9 : 19;
            level = (random.nextInt(4) == 0 ? " " : "") + (1 + random.nextInt(max));
        }
        String image = imageName();
        List<String> tags = tags();
        ContainerSpec container = container();
        Map<String, String> annotations = new LinkedHashMap<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            annotations.put("org.example." + asciiWord(1 + random.nextInt(8)) + i, jsonString());
        }
        declarations.add("annotations=" + annotations);
        String output = random.nextBoolean() ? "out" : base.resolve(nonAscii ? "out ü" : "out x").toString();
        BuildRequest request = BuildRequest.builder().baseDirectory(base).outputDirectory(Path.of(output)).image(image)
                .tags(tags).outputTimestamp(outputTimestamp).sourceDateEpoch(sourceDateEpoch)
                .compression(compression.equals("gzip") && random.nextBoolean() ? null : compression)
                .binaries(binaries).files(files).directories(directories).symlinks(symlinks).container(container)
                .annotations(annotations).hostArchitecture(System.getProperty("os.arch")).compressionLevel(level)
                .build();
        setHostTimes();
        return new ImageCase(seed, base, request, expected(timestamp), timestamp, compression, tags.get(0),
                Set.copyOf(declaredIds), Set.copyOf(hostIds), Set.copyOf(hostTimes), List.copyOf(declarations),
                Set.copyOf(features));
    }

    /** The model's final image: every declared path, every undeclared parent as 0755 0:0, all at the timestamp. */
    private SortedMap<String, Item> expected(long timestamp) {
        SortedMap<String, Item> expected = new TreeMap<>();
        for (String parent : ancestors) {
            expected.put(parent, Item.directory(0755, 0, 0).withMtime(timestamp));
        }
        expected.put("", Item.directory(0755, 0, 0).withMtime(timestamp));
        entries.forEach((path, node) -> expected.put(path, node.item().withMtime(timestamp)));
        return expected;
    }

    // ---- declarations ----

    private DirectorySpec tree(int index) throws IOException {
        String mount = treeMount();
        Integer mode = maybeMode();
        Long uid = maybeId();
        Long gid = maybeId();
        Integer fileMode = random.nextInt(3) == 0 ? pickMode() : null;
        Integer directoryMode = random.nextInt(3) == 0 ? pickMode() : null;
        if (!trees.isEmpty() && random.nextInt(4) == 0) {
            // Two trees into one directory: allowed where their directories agree, as written or by default.
            TreeDeclared other = trees.get(random.nextInt(trees.size()));
            features.add("two trees in one directory");
            mount = other.mount();
            mode = sameOrDefault(other.mode(), 0755);
            uid = sameOrDefault(other.uid(), 0L);
            gid = sameOrDefault(other.gid(), 0L);
            directoryMode = sameOrDefault(other.directoryMode(), 0755);
        }
        trees.add(new TreeDeclared(mount, mode, uid, gid, directoryMode));
        boolean excludeBackups = random.nextInt(4) == 0;
        TreeAttributes attributes = new TreeAttributes(
                directoryMode == null ? 0755 : directoryMode, fileMode, idOrZero(uid), idOrZero(gid), excludeBackups);
        String hostName = "tree " + index + (nonAscii ? " " + name(20) : "");
        Path hostRoot = base.resolve("trees").resolve(hostName);
        Files.createDirectories(hostRoot);
        put(mount, Item.directory(mode == null ? 0755 : mode, attributes.uid, attributes.gid), Origin.TREE_ROOT);
        populate(hostRoot, mount, 0, attributes, new ArrayList<>());
        setHostMode(hostRoot, randomHostMode(true));
        String source;
        int form = random.nextInt(4);
        if (form == 0) {
            source = hostRoot.toString();
        } else if (form == 1) {
            // The tree's root may itself be a link the user named on purpose.
            features.add("tree source through a link");
            Path link = base.resolve("trees").resolve("link to " + index);
            Files.createSymbolicLink(link, Path.of(hostName));
            source = "trees/link to " + index;
        } else {
            source = "trees/" + hostName;
        }
        String path = "/" + mount + (!mount.isEmpty() && random.nextInt(5) == 0 ? "/" : "");
        DirectorySpec spec = DirectorySpec.builder().source(source).path(path).mode(formatMode(mode)).uid(formatId(uid))
                .gid(formatId(gid)).fileMode(formatMode(fileMode)).directoryMode(formatMode(directoryMode))
                .includes(random.nextInt(5) == 0 ? List.of(random.nextBoolean() ? "**" : "/**/") : null)
                .excludes(excludeBackups ? List.of(random.nextBoolean() ? "**/*.bak" : " /**/*.bak ") : null)
                .resolveLibraries(random.nextBoolean() ? null : false).build();
        declarations.add("<directory> " + describe(spec));
        return spec;
    }

    /** @param excludeBackups whether the tree declares {@code <excludes>} of {@code **}{@code /*.bak} */
    private record TreeAttributes(int directoryMode, Integer fileMode, long uid, long gid, boolean excludeBackups) {}

    private record TreeDeclared(String mount, Integer mode, Long uid, Long gid, Integer directoryMode) {}

    /** The same value, or the same effect: {@code null} and the default are interchangeable. */
    private <T> T sameOrDefault(T value, T defaultValue) {
        if (random.nextBoolean()) {
            return value;
        }
        return value == null ? defaultValue : value.equals(defaultValue) ? null : value;
    }

    private record HostFile(Path path, byte[] content, int hostMode) {}

    /** Where a tree goes: the image root, a directory of an earlier tree (the new root wins), or a new path. */
    private String treeMount() {
        int choice = random.nextInt(10);
        if (choice == 0 && !entries.containsKey("")) {
            features.add("tree at the image root");
            return "";
        }
        if (choice < 3) {
            List<String> inTree = directories(Origin.IN_TREE);
            if (!inTree.isEmpty()) {
                features.add("tree in a directory of another tree");
                return inTree.get(random.nextInt(inTree.size()));
            }
        }
        return newPath();
    }

    private void populate(Path hostDir, String imageDir, int depth, TreeAttributes attributes, List<HostFile> files)
            throws IOException {
        if (attributes.excludeBackups() && random.nextBoolean()) {
            // Left out by <excludes>: on the host, never in the image.
            Path excluded = hostDir.resolve(name(30) + ".bak");
            if (!Files.exists(excluded, LinkOption.NOFOLLOW_LINKS)) {
                Files.write(excluded, content());
                features.add("file left out by <excludes>");
            }
        }
        int children = depth == 0 ? 1 + random.nextInt(6) : random.nextInt(5 - Math.min(depth, 4));
        for (int i = 0; i < children; i++) {
            int kind = random.nextInt(20);
            if (kind < 9) {
                String imagePath = newChild(imageDir, treeName(40, attributes));
                Path host = hostDir.resolve(lastName(imagePath));
                byte[] content = content();
                Files.write(host, content);
                int hostMode = randomHostMode(false);
                setHostOwner(host);
                setHostMode(host, hostMode);
                files.add(new HostFile(host, content, hostMode));
                put(imagePath, treeFile(attributes, hostMode, content), Origin.IN_TREE);
            } else if (kind < 13) {
                List<String> shared = random.nextBoolean() ? mergeable(imageDir, attributes).stream()
                        .filter(p -> !Files.exists(hostDir.resolve(lastName(p)), LinkOption.NOFOLLOW_LINKS)).toList()
                        : List.of();
                String imagePath = shared.isEmpty() ? newChild(imageDir, treeName(40, attributes))
                        : shared.get(random.nextInt(shared.size()));
                if (!shared.isEmpty()) {
                    features.add("tree directory shared with another declaration");
                }
                Path host = hostDir.resolve(lastName(imagePath));
                Files.createDirectory(host);
                put(imagePath, Item.directory(attributes.directoryMode, attributes.uid, attributes.gid),
                        Origin.IN_TREE);
                if (depth < 4) {
                    populate(host, imagePath, depth + 1, attributes, files);
                }
                setHostOwner(host);
                setHostMode(host, randomHostMode(true));
            } else if (kind < 17) {
                String imagePath = newChild(imageDir, treeName(40, attributes));
                Path host = hostDir.resolve(lastName(imagePath));
                String target = hostTarget();
                Files.createSymbolicLink(host, Path.of(target));
                if (!Files.readSymbolicLink(host).toString().equals(target)) {
                    throw new IllegalStateException("the generator's link target changed on disk: " + target);
                }
                setHostOwner(host);
                put(imagePath, Item.symlink(attributes.uid, attributes.gid, target), Origin.IN_TREE);
            } else if (kind < 18 && !files.isEmpty()) {
                // A hardlink on the host: the image holds two regular files with the same bytes.
                HostFile original = files.get(random.nextInt(files.size()));
                features.add("host hardlink in a tree");
                String imagePath = newChild(imageDir, treeName(40, attributes));
                Path host = hostDir.resolve(lastName(imagePath));
                Files.createLink(host, original.path());
                put(imagePath, treeFile(attributes, original.hostMode(), original.content()), Origin.IN_TREE);
            } else if (kind < 19) {
                deepChain(hostDir, imageDir, attributes, files);
            } else {
                // An empty directory.
                String imagePath = newChild(imageDir, treeName(40, attributes));
                Files.createDirectory(hostDir.resolve(lastName(imagePath)));
                put(imagePath, Item.directory(attributes.directoryMode, attributes.uid, attributes.gid),
                        Origin.IN_TREE);
            }
        }
    }

    /** A long chain of directories, so that paths pass 100 and 255 bytes, ending in a file. */
    private void deepChain(Path hostDir, String imageDir, TreeAttributes attributes, List<HostFile> files)
            throws IOException {
        int depth = 5 + random.nextInt(30);
        features.add("deep chain of directories");
        boolean longNames = random.nextBoolean();
        String imagePath = imageDir;
        Path host = hostDir;
        for (int i = 0; i < depth; i++) {
            String next = newChild(imagePath, treeName(longNames ? 60 + random.nextInt(190) : 8, attributes));
            if (Text.utf8Length(next) > MAX_PATH - 300) {
                break;
            }
            imagePath = next;
            host = host.resolve(lastName(imagePath));
            Files.createDirectory(host);
            put(imagePath, Item.directory(attributes.directoryMode, attributes.uid, attributes.gid), Origin.IN_TREE);
        }
        String filePath = newChild(imagePath, treeName(40, attributes));
        byte[] content = content();
        int hostMode = randomHostMode(false);
        Path file = host.resolve(lastName(filePath));
        Files.write(file, content);
        setHostMode(file, hostMode);
        files.add(new HostFile(file, content, hostMode));
        put(filePath, treeFile(attributes, hostMode, content), Origin.IN_TREE);
    }

    /** A name for a tree's entry that its {@code <excludes>} does not match. */
    private String treeName(int maxBytes, TreeAttributes attributes) {
        String name = name(maxBytes);
        return attributes.excludeBackups() && name.endsWith(".bak") ? name.substring(0, name.length() - 1) + "_"
                : name;
    }

    private static Item treeFile(TreeAttributes attributes, int hostMode, byte[] content) {
        int mode = attributes.fileMode != null ? attributes.fileMode : (hostMode & 0100) != 0 ? 0755 : 0644;
        return Item.file(mode, attributes.uid, attributes.gid, content);
    }

    private DirectorySpec declaredDirectory() {
        String path;
        int choice = random.nextInt(10);
        List<String> inTree = directories(Origin.IN_TREE);
        List<String> implicit = ancestors.stream().filter(p -> !p.isEmpty() && !entries.containsKey(p)).sorted()
                .toList();
        if (choice == 0 && !entries.containsKey("")) {
            features.add("declared image root");
            path = "";
        } else if (choice < 4 && !inTree.isEmpty()) {
            features.add("declared directory over a tree's");
            path = inTree.get(random.nextInt(inTree.size()));
        } else if (choice < 6 && !implicit.isEmpty()) {
            features.add("declared directory that is also a parent");
            path = implicit.get(random.nextInt(implicit.size()));
        } else if (choice < 7) {
            path = random.nextBoolean() ? edgePath() : paxEdgePath();
        } else {
            path = newPath();
        }
        Integer mode = maybeMode();
        Long uid = maybeId();
        Long gid = maybeId();
        put(path, Item.directory(mode == null ? 0755 : mode, idOrZero(uid), idOrZero(gid)), Origin.DECLARED);
        String written = "/" + path + (!path.isEmpty() && random.nextInt(4) == 0 ? "/" : "");
        DirectorySpec spec = DirectorySpec.builder().path(written).mode(formatMode(mode)).uid(formatId(uid))
                .gid(formatId(gid)).build();
        declarations.add("<directory> " + describe(spec));
        return spec;
    }

    private FileSpec file() throws IOException {
        String path = edgeOrNewPath();
        Integer mode = maybeMode();
        Long uid = maybeId();
        Long gid = maybeId();
        byte[] content = content();
        String source = source(content);
        put(path, Item.file(mode == null ? 0644 : mode, idOrZero(uid), idOrZero(gid), content), Origin.DECLARED);
        FileSpec spec = FileSpec.builder().source(source).path("/" + path).mode(formatMode(mode)).uid(formatId(uid))
                .gid(formatId(gid)).build();
        declarations.add("<file> " + spec);
        return spec;
    }

    private BinarySpec binary() throws IOException {
        String path = edgeOrNewPath();
        Integer mode = maybeMode();
        Long uid = maybeId();
        Long gid = maybeId();
        byte[] content = content();
        String source = source(content);
        put(path, Item.file(mode == null ? 0755 : mode, idOrZero(uid), idOrZero(gid), content), Origin.DECLARED);
        BinarySpec spec = BinarySpec.builder().source(source).path("/" + path).mode(formatMode(mode)).uid(formatId(uid))
                .gid(formatId(gid)).resolveLibraries(random.nextBoolean() ? null : Boolean.FALSE).build();
        declarations.add("<binary> " + spec);
        return spec;
    }

    private SymlinkSpec symlink() {
        String path = edgeOrNewPath();
        // Stored exactly as written, so a declared target may hold what a host path could not: "//", a final "/".
        String target = random.nextInt(8) == 0 ? hostTarget() + "//x/" : hostTarget();
        put(path, Item.symlink(0, 0, target), Origin.DECLARED);
        SymlinkSpec spec = SymlinkSpec.builder().path("/" + path).target(target).build();
        declarations.add("<symlink> " + spec);
        return spec;
    }

    /** A host file with this content under sources/, named relative or absolute, sometimes through a link. */
    private String source(byte[] content) throws IOException {
        Path file = base.resolve("sources").resolve("f" + (counter++) + " " + name(30));
        Files.write(file, content);
        setHostOwner(file);
        setHostMode(file, randomHostMode(false));
        Path named = file;
        if (random.nextInt(6) == 0) {
            // A declared file may be a link on the host: its target's content is copied.
            features.add("file source through a link");
            named = base.resolve("sources").resolve("link" + (counter++) + " " + name(10));
            Files.createSymbolicLink(named, file.getFileName());
            setHostOwner(named);
        }
        int form = random.nextInt(5);
        if (form == 0) {
            return named.toString();
        }
        String relative = base.relativize(named).toString();
        return form == 1 ? "sources/../" + relative : relative;
    }

    private ContainerSpec container() {
        Map<String, String> environment = new LinkedHashMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            environment.put("V" + i + "_" + asciiWord(1 + random.nextInt(6)).toUpperCase(), jsonString());
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            labels.put(jsonString() + i, jsonString());
        }
        List<String> entrypoint = new ArrayList<>();
        List<String> cmd = new ArrayList<>();
        if (random.nextBoolean()) {
            entrypoint.add("/" + name(20) + "/" + name(20));
            for (int i = random.nextInt(3); i > 0; i--) {
                entrypoint.add(jsonString());
            }
        }
        for (int i = random.nextInt(4); i > 0; i--) {
            // Maven passes <arg></arg> as null; it is an empty argument.
            cmd.add(random.nextInt(5) == 0 ? null : jsonString());
        }
        String workingDirectory = null;
        if (random.nextBoolean()) {
            do {
                workingDirectory = "/" + name(30) + (random.nextBoolean() ? "/" + name(30) : "");
            } while (!clean(workingDirectory));
        }
        String user = null;
        if (random.nextBoolean()) {
            // runc, umoci and Docker parse a numeric user with libcontainer/user, which stops at 2^31-1.
            long uid = random.nextInt(3) == 0 ? Integer.MAX_VALUE : random.nextInt(Integer.MAX_VALUE);
            Long gid = random.nextBoolean() ? null : (long) random.nextInt(Integer.MAX_VALUE);
            declaredIds.add(uid);
            if (gid != null) {
                declaredIds.add(gid);
            }
            user = uid + (gid == null ? "" : ":" + gid);
        }
        declarations.add("entrypoint=" + entrypoint + " cmd=" + cmd + " workingDirectory=" + workingDirectory
                + " user=" + user + " environment=" + environment + " labels=" + labels);
        return ContainerSpec.builder().entrypoint(entrypoint).cmd(cmd).environment(environment)
                .workingDirectory(workingDirectory).user(user).labels(labels).build();
    }

    // ---- the model ----

    private void put(String path, Item item, Origin origin) {
        Node existing = entries.get(path);
        if (existing != null) {
            Item other = existing.item();
            if (other.kind() != Item.Kind.DIRECTORY || item.kind() != Item.Kind.DIRECTORY) {
                throw new IllegalStateException("generator bug: /" + path + " is declared twice");
            }
            boolean sameAttributes = other.mode() == item.mode() && other.uid() == item.uid()
                    && other.gid() == item.gid();
            if (origin == Origin.IN_TREE && existing.origin() != Origin.IN_TREE) {
                return; // a declared directory or a tree's root wins over a tree's directory
            }
            if (origin == existing.origin() && origin != Origin.DECLARED && sameAttributes) {
                return; // two trees that agree on a directory
            }
            if (origin == Origin.IN_TREE || existing.origin() != Origin.IN_TREE) {
                throw new IllegalStateException("generator bug: /" + path + " is declared twice");
            }
        }
        entries.put(path, new Node(item, origin));
        for (String parent = path; !parent.isEmpty(); ) {
            parent = Text.parent(parent);
            ancestors.add(parent);
        }
    }

    /** Directories in {@code parent} that a tree with these attributes may also hold without a conflict. */
    private List<String> mergeable(String parent, TreeAttributes attributes) {
        Item same = Item.directory(attributes.directoryMode(), attributes.uid(), attributes.gid());
        return entries.entrySet().stream()
                .filter(e -> !e.getKey().isEmpty() && Text.parent(e.getKey()).equals(parent))
                .filter(e -> e.getValue().item().kind() == Item.Kind.DIRECTORY)
                .filter(e -> e.getValue().origin() != Origin.IN_TREE || e.getValue().item().equals(same))
                .map(Map.Entry::getKey).sorted().toList();
    }

    private boolean taken(String path) {
        return path.isEmpty() || entries.containsKey(path) || ancestors.contains(path);
    }

    private List<String> directories(Origin origin) {
        return entries.entrySet().stream()
                .filter(e -> e.getValue().origin() == origin && e.getValue().item().kind() == Item.Kind.DIRECTORY)
                .filter(e -> !e.getKey().isEmpty() && Text.utf8Length(e.getKey()) < MAX_PATH - 600)
                .map(Map.Entry::getKey).sorted().toList();
    }

    /** Every directory a new declaration may go into: declared ones, trees' ones and undeclared parents. */
    private List<String> allDirectories() {
        Set<String> all = new HashSet<>(ancestors);
        all.add("");
        entries.forEach((path, node) -> {
            if (node.item().kind() == Item.Kind.DIRECTORY) {
                all.add(path);
            }
        });
        return all.stream().filter(p -> Text.utf8Length(p) < MAX_PATH - 600).sorted().toList();
    }

    /** A path no declaration uses, below an existing directory or below new ones. */
    private String newPath() {
        List<String> directories = allDirectories();
        String parent = directories.get(random.nextInt(directories.size()));
        for (int extra = random.nextInt(3); extra > 0; extra--) {
            parent = newChild(parent, name(30));
        }
        return newChild(parent, name(40));
    }

    private String edgeOrNewPath() {
        int choice = random.nextInt(12);
        return choice == 0 ? edgePath() : choice == 1 ? paxEdgePath() : newPath();
    }

    /** An ASCII path at the edges of ustar's 100-byte name and 155-byte prefix, below a new top-level directory. */
    private String edgePath() {
        features.add("ustar name and prefix limits");
        int[] prefixes = {1, 99, 100, 101, 154, 155, 156, 157, 1 + random.nextInt(200)};
        int[] names = {1, 98, 99, 100, 101, 1 + random.nextInt(120)};
        int prefix = prefixes[random.nextInt(prefixes.length)];
        int length = names[random.nextInt(names.length)];
        String parent;
        int attempts = 0;
        do {
            // A prefix that is taken too often (a one-byte name, say) grows until a new one is found.
            int bytes = prefix + attempts / 50;
            parent = asciiWord(bytes);
            if (bytes > 40 && random.nextBoolean()) {
                int slash = 10 + random.nextInt(bytes - 20);
                parent = parent.substring(0, slash) + "/" + parent.substring(slash + 1);
            }
            attempts++;
        } while (taken(parent) || taken(parent.split("/")[0]));
        String path;
        do {
            path = parent + "/" + asciiWord(length);
        } while (taken(path));
        return path;
    }

    /**
     * A non-ASCII path whose PAX path record is 99 or 101 bytes long, or 999 or 1001: where the record's
     * self-counting length gains a digit.
     */
    private String paxEdgePath() {
        features.add("PAX record length at a digit boundary");
        int[] totals = {89, 90, 91, 92, 988, 989, 990, 991};
        int total = totals[random.nextInt(totals.length)];
        while (true) {
            StringBuilder path = new StringBuilder("é");
            int bytes = 2;
            int segment = 2;
            while (bytes < total) {
                if (segment >= 200 && total - bytes >= 2) {
                    path.append('/');
                    segment = 0;
                } else {
                    path.append(ASCII.charAt(random.nextInt(ASCII.length())));
                    segment++;
                }
                bytes++;
            }
            String result = path.toString();
            if (!taken(result.split("/")[0])) {
                return result;
            }
        }
    }

    private String newChild(String parent, String name) {
        String path = Text.join(parent, name);
        while (taken(path) || Text.utf8Length(path) > MAX_PATH) {
            path = Text.join(parent, name(12) + (counter++));
        }
        return path;
    }

    private static String lastName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    // ---- values ----

    /** A file name of up to about {@code maxBytes} bytes (never more than 255): hostile, but legal. */
    private String name(int maxBytes) {
        while (true) {
            StringBuilder name = new StringBuilder();
            int chunks = 1 + random.nextInt(5);
            for (int i = 0; i < chunks; i++) {
                name.append(chunk());
            }
            if (maxBytes > 60) {
                while (Text.utf8Length(name.toString()) < maxBytes - 20) {
                    name.append(random.nextInt(3) == 0 ? chunk() : asciiWord(10));
                }
            }
            String s = name.toString();
            int bytes = Text.utf8Length(s);
            if (bytes >= 1 && bytes <= Math.min(255, Math.max(maxBytes, 8)) && !s.equals(".") && !s.equals("..")
                    && !s.startsWith(".wh.") && s.indexOf('/') < 0 && s.indexOf('\0') < 0 && s.indexOf('\n') < 0) {
                return s;
            }
        }
    }

    private String chunk() {
        int kind = random.nextInt(nonAscii ? 100 : 65);
        if (kind < 40) {
            return asciiWord(1 + random.nextInt(12));
        } else if (kind < 65) {
            return META[random.nextInt(META.length)];
        } else if (kind < 75) {
            return LATIN[random.nextInt(LATIN.length)];
        } else if (kind < 83) {
            return CYRILLIC[random.nextInt(CYRILLIC.length)];
        } else if (kind < 91) {
            return CJK[random.nextInt(CJK.length)];
        }
        return EMOJI[random.nextInt(EMOJI.length)];
    }

    private String asciiWord(int length) {
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < length; i++) {
            word.append(ASCII.charAt(random.nextInt(ASCII.length())));
        }
        return word.toString();
    }

    /** A link target as a host link can hold it: relative, absolute, dangling, long, non-ASCII, or odd. */
    private String hostTarget() {
        switch (random.nextInt(10)) {
            case 9:
                return targetEdge();
            case 0:
                return name(30);
            case 1:
                return "../" + name(30);
            case 2:
                return "../../" + name(20) + "/" + name(20);
            case 3:
                return "/" + name(20) + "/" + name(30);
            case 4:
                return "/etc/passwd";
            case 5:
                // Over 100 bytes: a PAX linkpath record.
                return "/" + asciiWord(60 + random.nextInt(80)) + "/" + name(100);
            case 6:
                return String.join("/", Collections.nCopies(1 + random.nextInt(40), "..")) + "/" + name(10);
            case 7:
                return random.nextBoolean() ? "." : "..";
            default:
                return name(200);
        }
    }

    /** Targets at the 100-byte ustar field and where a PAX linkpath record's length gains a digit. */
    private String targetEdge() {
        int[] ascii = {86, 87, 99, 100, 101, 985, 986, 987};
        int[] other = {84, 85, 86, 87};
        if (random.nextBoolean()) {
            return "/" + asciiWord(ascii[random.nextInt(ascii.length)] - 1);
        }
        return "ж" + asciiWord(other[random.nextInt(other.length)] - 2);
    }

    private byte[] content() {
        byte[] content;
        int kind = random.nextInt(10);
        if (kind == 0) {
            content = new byte[0];
        } else if (kind < 3 && !contents.isEmpty()) {
            return contents.get(random.nextInt(contents.size()));
        } else if (kind == 3) {
            content = ("text ü 😀 漢字\n".repeat(random.nextInt(50))).getBytes(StandardCharsets.UTF_8);
        } else if (kind == 4) {
            content = "#!/bin/sh\necho hello\n".getBytes(StandardCharsets.US_ASCII);
        } else {
            content = new byte[kind == 5 ? SIZES[random.nextInt(SIZES.length)] : random.nextInt(5000)];
            random.nextBytes(content);
            // Never an ELF header: ELF files get their shared libraries resolved, which is not what is tested here.
            if (content.length > 0 && content[0] == 0x7f) {
                content[0] = 0;
            }
        }
        contents.add(content);
        return content;
    }

    private Integer maybeMode() {
        return random.nextInt(3) == 0 ? null : pickMode();
    }

    private int pickMode() {
        return random.nextBoolean() ? INTERESTING_MODES[random.nextInt(INTERESTING_MODES.length)]
                : random.nextInt(010000);
    }

    private String formatMode(Integer mode) {
        if (mode == null) {
            return random.nextInt(5) == 0 ? "" : null;
        }
        switch (random.nextInt(4)) {
            case 0:
                return String.format("%04o", mode);
            case 1:
                return " " + Integer.toOctalString(mode) + " ";
            default:
                return Integer.toOctalString(mode);
        }
    }

    private Long maybeId() {
        long id;
        switch (random.nextInt(10)) {
            case 0:
            case 1:
                return null;
            case 2:
                id = 0;
                break;
            case 3:
                id = 1 + random.nextInt(65_535);
                break;
            case 4:
                id = random.nextBoolean() ? 2_097_151 : 2_097_152;
                break;
            case 5:
                id = random.nextBoolean() ? MAX_ID : 65_534;
                break;
            default:
                // Beyond the 7 octal digits of ustar: a PAX record.
                id = 2_097_152L + (long) (random.nextDouble() * (MAX_ID - 2_097_152L));
                break;
        }
        if (hostIds.contains(id)) {
            id++;
        }
        declaredIds.add(id);
        return id;
    }

    private static long idOrZero(Long id) {
        return id == null ? 0 : id;
    }

    private String formatId(Long id) {
        if (id == null) {
            return random.nextInt(5) == 0 ? " " : null;
        }
        return random.nextInt(6) == 0 ? " " + id + " " : Long.toString(id);
    }

    private long pickTimestamp() {
        return random.nextInt(3) == 0 ? INTERESTING_TIMES[random.nextInt(INTERESTING_TIMES.length)]
                : (long) (random.nextDouble() * MAX_TIMESTAMP);
    }

    /** The timestamp as ISO-8601 with a random offset, as long as the local date keeps four digits. */
    private String iso(long timestamp) {
        int offsetMinutes = (random.nextInt(37) - 18) * 60 + (random.nextBoolean() ? 0 : 30);
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(Math.max(-18 * 3600, Math.min(18 * 3600, offsetMinutes * 60)));
        OffsetDateTime local = Instant.ofEpochSecond(timestamp).atOffset(offset);
        if (local.getYear() > 9999) {
            local = Instant.ofEpochSecond(timestamp).atOffset(ZoneOffset.UTC);
        }
        if (random.nextInt(3) == 0) {
            // A fraction of a second is dropped, not rounded.
            local = local.plusNanos(random.nextBoolean() ? 500_000_000 : 1 + random.nextInt(999_999_999));
        }
        return local.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    private String imageName() {
        String name = asciiWord(1 + random.nextInt(10)).toLowerCase();
        if (random.nextBoolean()) {
            name = "registry.example.org:5000/" + asciiWord(3).toLowerCase() + "/" + name;
        }
        return clean(name) ? name : "img";
    }

    private List<String> tags() {
        List<String> tags = new ArrayList<>();
        String first = asciiWord(1 + random.nextInt(8)).toLowerCase() + "." + random.nextInt(100);
        tags.add(clean(first) ? first : "v1");
        for (int i = random.nextInt(3); i > 0; i--) {
            String tag = "_" + asciiWord(random.nextInt(100)) + (random.nextBoolean() ? ".-" : "") + i;
            if (clean(tag) && !tags.contains(tag)) {
                tags.add(tag);
            }
        }
        return tags;
    }

    /** Any string, hostile to JSON encoders, never holding a word the leak scan looks for. */
    private String jsonString() {
        while (true) {
            StringBuilder s = new StringBuilder();
            for (int i = random.nextInt(6); i >= 0; i--) {
                s.append(random.nextBoolean() ? JSON_HOSTILE[random.nextInt(JSON_HOSTILE.length)] : chunk());
            }
            String value = s.toString();
            if (clean(value)) {
                return value;
            }
        }
    }

    private boolean clean(String value) {
        for (String word : forbidden) {
            if (value.contains(word)) {
                return false;
            }
        }
        return true;
    }

    // ---- host metadata that must not reach the image ----

    private int randomHostMode(boolean directory) {
        if (!root) {
            return directory ? 0755 : random.nextBoolean() ? 0755 : 0644;
        }
        return random.nextInt(010000);
    }

    private void setHostMode(Path path, int mode) throws IOException {
        Files.setAttribute(path, "unix:mode", mode);
    }

    private void setHostOwner(Path path) throws IOException {
        if (root && random.nextBoolean()) {
            Files.setAttribute(path, "unix:uid", hostIds.get(random.nextInt(2)).intValue(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", hostIds.get(random.nextInt(2)).intValue(), LinkOption.NOFOLLOW_LINKS);
        }
    }

    private void setHostTimes() throws IOException {
        try (Stream<Path> paths = Files.walk(base)) {
            for (Path path : paths.toList()) {
                FileTime time = FileTime.from(Instant.ofEpochSecond(hostTimes.get(random.nextInt(2)),
                        random.nextInt(1_000_000_000)));
                Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setTimes(time, time, null);
            }
        }
    }

    private static String describe(DirectorySpec spec) {
        return "source=" + spec.source() + " path=" + Text.quote(spec.path()) + " mode=" + spec.mode() + " uid="
                + spec.uid() + " gid=" + spec.gid() + " fileMode=" + spec.fileMode() + " directoryMode="
                + spec.directoryMode() + " includes=" + spec.includes() + " excludes=" + spec.excludes()
                + " resolveLibraries=" + spec.resolveLibraries();
    }
}
