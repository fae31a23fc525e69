package org.scratchimage.core.roundtrip;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.BuildListener;
import org.scratchimage.core.BuildResult;
import org.scratchimage.core.ImageBuilder;
import org.scratchimage.core.InvalidConfigurationException;
import org.scratchimage.core.tar.ExternalTools;

/**
 * Property-based round trip: random images, each declared with hostile names, modes, owners, links and times,
 * built with {@link ImageBuilder} and read back by Commons Compress, GNU tar, our own header parser and, on a
 * sample, {@code umoci unpack}; every reader must see exactly what the generator's model of the declaration
 * says, every blob and diff_id must verify, and no header or JSON document may hold anything of the build host.
 *
 * <p>Each run draws a new master seed, printed first. {@code -Droundtrip.seed=N} reruns the one case of seed N
 * (printed with every failure), {@code -Droundtrip.masterSeed=M} a whole run, {@code -Droundtrip.cases=K} sets
 * the number of cases and {@code -Droundtrip.umociEvery=U} how often umoci unpacks (every 10th case by
 * default).
 */
class RandomRoundTripTest {
    private static final int DEFAULT_CASES = 500;
    private static final int DEFAULT_UMOCI_EVERY = 10;
    /** Every 10th case is built twice, the second time after the host files' times changed. */
    private static final int REBUILD_EVERY = 10;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static LeakScanner.Host host;
    private static boolean nonAscii;
    private static boolean root;
    private static boolean tar;
    private static boolean umoci;
    /** umoci 0.4.7 cannot read zstd: a sampled zstd case hands its turn to the next case umoci can read. */
    private static final java.util.concurrent.atomic.AtomicBoolean umociDue =
            new java.util.concurrent.atomic.AtomicBoolean();
    private static final AtomicInteger cases = new AtomicInteger();
    private static final AtomicInteger failures = new AtomicInteger();
    private static final AtomicInteger umociCases = new AtomicInteger();
    private static final AtomicInteger entries = new AtomicInteger();
    private static Instant started;
    /** How many cases exercised each situation; a full run must reach every one of {@link #REQUIRED}. */
    private static final Map<String, AtomicInteger> seen = new java.util.concurrent.ConcurrentSkipListMap<>();
    private static final List<String> REQUIRED = List.of("tree at the image root",
            "tree in a directory of another tree", "two trees in one directory",
            "tree directory shared with another declaration", "tree source through a link", "host hardlink in a tree",
            "deep chain of directories", "declared image root", "declared directory over a tree's",
            "declared directory that is also a parent", "file source through a link", "file left out by <excludes>",
            "PAX record length at a digit boundary", "ustar name and prefix limits", "PAX path", "PAX linkpath",
            "PAX uid or gid", "PAX mtime", "ustar prefix", "path over 255 bytes", "non-ASCII path", "Cyrillic name",
            "CJK name", "emoji name", "space in a name", "shell metacharacter in a name", "setuid", "setgid",
            "sticky", "absolute link", "relative link", "empty file", "none layer", "gzip layer", "zstd layer");
    /** Milliseconds spent per phase over the whole run, printed with the summary to see where the budget goes. */
    private static final Map<String, Long> phases = new java.util.concurrent.ConcurrentSkipListMap<>();

    @TempDir
    static Path temp;

    @BeforeAll
    static void lookAtTheHost() {
        started = Instant.now();
        nonAscii = "UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding"));
        if (!nonAscii) {
            String why = "the JVM decodes file names as " + System.getProperty("sun.jnu.encoding")
                    + ", so names are ASCII only; run with LANG=C.UTF-8 (as .ci/run does) to test UTF-8 names";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(why);
            }
            loudly(why);
        }
        tar = available("tar", "apt-get install -y tar");
        umoci = available("umoci", "apt-get install -y umoci");
        LayoutReader.zstdCommand = available("zstd", "apt-get install -y zstd (zstd-jni decodes instead)");
        long uid = Long.parseLong(id("-u"));
        long gid = Long.parseLong(id("-g"));
        root = uid == 0;
        if (!root) {
            loudly("not root: host files keep the build user as owner and umoci is not run (it needs root)");
            umoci = false;
        }
        Set<String> words = new LinkedHashSet<>(List.of(System.getProperty("user.name"), id("-gn")));
        words.removeIf(String::isBlank);
        // The base directory and every other host folder of a case lie below the temporary folder.
        host = new LeakScanner.Host(List.of(temp.toString()), List.copyOf(words), uid, gid);
    }

    @AfterAll
    static void summary() {
        System.out.println("Round trip: cases per situation: " + seen);
        System.out.printf("Round trip: %d cases (%d with umoci), %d entries, %d failed, in %d s; ms per phase: %s%n",
                cases.get(), umociCases.get(), entries.get(), failures.get(),
                Duration.between(started, Instant.now()).toSeconds(), phases);
        if (cases.get() >= DEFAULT_CASES) {
            List<String> missing = REQUIRED.stream().filter(f -> !seen.containsKey(f)).toList();
            Assertions.assertTrue(missing.isEmpty(), () -> "in " + cases.get() + " cases the generator never made: "
                    + missing + "; it has lost reach and the round trip tests less than it claims");
        }
    }

    @TestFactory
    Stream<DynamicTest> randomImagesReadBackExactlyAsDeclared() {
        Long single = Long.getLong("roundtrip.seed");
        int umociEvery = Integer.getInteger("roundtrip.umociEvery", DEFAULT_UMOCI_EVERY);
        if (single != null) {
            System.out.println("Round trip: rerunning the case of seed " + single);
            return Stream.of(dynamicTest("seed " + single, () -> runCase(0, single, true)));
        }
        long master = Long.getLong("roundtrip.masterSeed", new SecureRandom().nextLong());
        int count = Integer.getInteger("roundtrip.cases", DEFAULT_CASES);
        System.out.println("Round trip: master seed " + master + " (-Droundtrip.masterSeed=" + master
                + " repeats this run), " + count + " cases, umoci on every " + umociEvery + "th");
        Random seeds = new Random(master);
        long[] caseSeeds = new long[count];
        for (int i = 0; i < count; i++) {
            caseSeeds[i] = seeds.nextLong();
        }
        return IntStream.range(0, count).mapToObj(i -> dynamicTest("case " + i + ", seed " + caseSeeds[i],
                () -> runCase(i, caseSeeds[i], umociEvery > 0 && i % umociEvery == 0)));
    }

    private void runCase(int index, long seed, boolean withUmoci) throws Exception {
        cases.incrementAndGet();
        Path directory = temp.resolve("case " + index);
        long t = System.nanoTime();
        ImageCase c;
        try {
            c = CaseGenerator.generate(seed, directory, nonAscii, root, forbiddenWords());
        } catch (IOException | RuntimeException e) {
            failures.incrementAndGet();
            throw new AssertionError("Round-trip case " + index + " could not be generated; rerun it with"
                    + " -Droundtrip.seed=" + seed, e);
        }
        t = lap("generate", t);
        List<String> problems = new ArrayList<>();
        try {
            if (withUmoci) {
                umociDue.set(true);
            }
            boolean unpack = umoci && !c.compression().equals("zstd") && umociDue.getAndSet(false);
            check(c, unpack, index % REBUILD_EVERY == 0, problems);
        } catch (Exception | AssertionError e) {
            problems.add("threw " + e);
            if (!(e instanceof AssertionError)) {
                e.printStackTrace();
            }
        }
        if (!problems.isEmpty()) {
            failures.incrementAndGet();
            List<String> shown = problems.size() > 40 ? problems.subList(0, 40) : problems;
            Assertions.fail("Round-trip case " + index + " failed; rerun it with -Droundtrip.seed=" + seed + "\n"
                    + String.join("\n", shown) + (problems.size() > 40 ? "\n... " + problems.size() + " problems" : "")
                    + "\nThe case: " + c.describe());
        }
        t = System.nanoTime();
        delete(directory);
        lap("delete", t);
    }

    private static long lap(String phase, long since) {
        long now = System.nanoTime();
        phases.merge(phase, (now - since) / 1_000_000, Long::sum);
        return now;
    }

    private static void check(ImageCase c, boolean withUmoci, boolean rebuild, List<String> problems)
            throws Exception {
        Instant buildStart = Instant.now();
        long t = System.nanoTime();
        BuildResult result;
        try {
            result = new ImageBuilder(BuildListener.of(message -> { })).build(c.request());
        } catch (InvalidConfigurationException e) {
            problems.add("the build rejected a valid declaration: " + e.getMessage());
            return;
        }
        Instant buildEnd = Instant.now();
        t = lap("build", t);
        entries.addAndGet(c.expected().size());

        LayoutReader.Layout layout = LayoutReader.read(c, problems);
        expect(problems, result.manifestDigest(), layout.manifestDigest(), "BuildResult manifest digest");
        expect(problems, result.configDigest(), layout.configDigest(), "BuildResult config digest");
        expect(problems, result.layerDigest(), layout.layerDigest(), "BuildResult layer digest");
        expect(problems, result.layerSize(), layout.layerSize(), "BuildResult layer size");
        expect(problems, result.diffId(), layout.diffId(), "BuildResult diff_id");
        expect(problems, result.entries(), (long) c.expected().size(), "BuildResult entries");

        List<TarBlocks.Entry> blocks = TarBlocks.read(layout.tar());
        count(c, blocks);
        compare("our header parser", c, LayerReaders.raw(blocks, problems), true, problems);
        compare("Commons Compress", c, LayerReaders.commonsCompress(layout.tar(), problems), true, problems);
        t = lap("read", t);
        if (tar) {
            Path tarFile = c.directory().resolve("layer.tar");
            Files.write(tarFile, layout.tar());
            compare("GNU tar", c, LayerReaders.gnuTar(tarFile, problems), true, problems);
            t = lap("tar", t);
        }
        if (withUmoci) {
            umociCases.incrementAndGet();
            unpackWithUmoci(c, problems);
            t = lap("umoci", t);
        }
        LeakScanner.scan(host, c, layout, blocks, buildStart, buildEnd, problems);
        t = lap("leaks", t);
        if (rebuild) {
            rebuild(c, result, problems);
            lap("rebuild", t);
        }
    }

    private static void count(ImageCase c, List<TarBlocks.Entry> blocks) {
        Set<String> features = new java.util.TreeSet<>(c.features());
        features.add(c.compression() + " layer");
        for (TarBlocks.Entry entry : blocks) {
            Map<String, String> pax = entry.paxRecords();
            String name = entry.name();
            feature(features, pax.containsKey("path"), "PAX path");
            feature(features, pax.containsKey("linkpath"), "PAX linkpath");
            feature(features, pax.containsKey("uid") || pax.containsKey("gid"), "PAX uid or gid");
            feature(features, pax.containsKey("mtime"), "PAX mtime");
            feature(features, !entry.ustarField(345, 155).isEmpty(), "ustar prefix");
            feature(features, Text.utf8Length(name) > 255, "path over 255 bytes");
            feature(features, name.chars().anyMatch(ch -> ch > 0x7f), "non-ASCII path");
            feature(features, name.chars().anyMatch(ch -> ch >= 0x400 && ch <= 0x4ff), "Cyrillic name");
            feature(features, name.chars().anyMatch(ch -> ch >= 0x4e00 && ch <= 0x9fff), "CJK name");
            feature(features, name.codePoints().anyMatch(ch -> ch >= 0x1f300), "emoji name");
            feature(features, name.indexOf(' ') >= 0, "space in a name");
            feature(features, name.chars().anyMatch(ch -> "$'\";&*?[]|`".indexOf(ch) >= 0),
                    "shell metacharacter in a name");
            feature(features, (entry.mode() & 04000) != 0, "setuid");
            feature(features, (entry.mode() & 02000) != 0, "setgid");
            feature(features, (entry.mode() & 01000) != 0, "sticky");
            feature(features, entry.type() == '2' && entry.linkName().startsWith("/"), "absolute link");
            feature(features, entry.type() == '2' && !entry.linkName().startsWith("/"), "relative link");
            feature(features, entry.type() == '0' && entry.size() == 0, "empty file");
        }
        features.forEach(f -> seen.computeIfAbsent(f, k -> new AtomicInteger()).incrementAndGet());
    }

    private static void feature(Set<String> features, boolean present, String name) {
        if (present) {
            features.add(name);
        }
    }

    private static void compare(String reader, ImageCase c, Map<String, Item> observed, boolean checkMtime,
            List<String> problems) {
        for (String difference : Item.differences(c.expected(), observed, checkMtime)) {
            problems.add(reader + ": " + difference);
        }
    }

    /** umoci applies the layer to a real file system as root: the kernel's view must match the declaration. */
    private static void unpackWithUmoci(ImageCase c, List<String> problems) throws IOException {
        Path bundle = c.directory().resolve("bundle");
        ExternalTools.Result unpack = ExternalTools.run(List.of("umoci", "unpack", "--image",
                c.outputDirectory() + ":" + c.umociTag(), bundle.toString()));
        if (unpack.exitCode() != 0) {
            problems.add("umoci unpack exited " + unpack.exitCode() + ": " + unpack.stderr());
            return;
        }
        // umoci keeps no mtime for links and file systems clamp far-future times: times are the tar readers' job.
        compare("umoci", c, LayerReaders.rootfs(bundle.resolve("rootfs")), false, problems);
        JsonNode runtime = MAPPER.readTree(bundle.resolve("config.json").toFile());
        Set<String> environment = new HashSet<>();
        runtime.path("process").path("env").forEach(e -> environment.add(e.asText()));
        List<String> args = new ArrayList<>(LayoutReader.arguments(c.request().container().entrypoint()));
        args.addAll(LayoutReader.arguments(c.request().container().cmd()));
        List<String> runtimeArgs = new ArrayList<>();
        runtime.path("process").path("args").forEach(a -> runtimeArgs.add(a.asText()));
        if (!args.isEmpty() && !runtimeArgs.equals(args)) {
            problems.add("umoci: the runtime arguments are " + runtimeArgs + ", not " + args);
        }
        String workingDirectory = c.request().container().workingDirectory();
        if (workingDirectory != null && !runtime.path("process").path("cwd").asText().equals(workingDirectory)) {
            problems.add("umoci: the runtime cwd is " + runtime.path("process").path("cwd") + ", not "
                    + workingDirectory);
        }
        String user = c.request().container().user();
        if (user != null) {
            String[] ids = user.split(":");
            JsonNode runtimeUser = runtime.path("process").path("user");
            if (runtimeUser.path("uid").asLong() != Long.parseLong(ids[0])
                    || ids.length > 1 && runtimeUser.path("gid").asLong() != Long.parseLong(ids[1])) {
                problems.add("umoci: the runtime user is " + runtimeUser + ", not " + user);
            }
        }
        c.request().container().environment().forEach((name, value) -> {
            if (!environment.contains(name + "=" + value)) {
                problems.add("umoci: the runtime environment lacks " + Text.quote(name + "=" + value) + ": "
                        + environment);
            }
        });
    }

    /** The same declaration, with every host file's times changed, must make the same image. */
    private static void rebuild(ImageCase c, BuildResult first, List<String> problems) throws Exception {
        Instant later = Instant.ofEpochSecond(1_600_000_000L);
        Files.walkFileTree(c.directory().resolve("sources"), touch(later));
        Files.walkFileTree(c.directory().resolve("trees"), touch(later));
        // The same request into the same, now empty, place: the first layout moves aside.
        Files.move(c.outputDirectory(), c.directory().resolve("first layout"));
        BuildResult second = new ImageBuilder(BuildListener.of(m -> { })).build(c.request());
        expect(problems, second.manifestDigest(), first.manifestDigest(),
                "manifest digest of the same declaration built again after the host files' times changed");
    }

    private static SimpleFileVisitor<Path> touch(Instant time) {
        java.nio.file.attribute.FileTime fileTime = java.nio.file.attribute.FileTime.from(time);
        return new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!attrs.isSymbolicLink()) {
                    Files.setLastModifiedTime(file, fileTime);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.setLastModifiedTime(dir, fileTime);
                return FileVisitResult.CONTINUE;
            }
        };
    }

    private static Set<String> forbiddenWords() {
        Set<String> forbidden = new LinkedHashSet<>();
        host.words().stream().filter(w -> w.length() >= 3).forEach(forbidden::add);
        forbidden.addAll(host.paths());
        return forbidden;
    }

    private static void expect(List<String> problems, Object actual, Object expected, String what) {
        if (!expected.equals(actual)) {
            problems.add(what + ": expected " + expected + ", found " + actual);
        }
    }

    private static boolean available(String tool, String install) {
        return ExternalTools.available(tool,
                tool + " is not installed, so the round trip does not read images with it; " + install);
    }

    private static String id(String option) {
        ExternalTools.Result result = ExternalTools.run(List.of("id", option));
        if (result.exitCode() != 0) {
            throw new AssertionError("id " + option + " failed: " + result.stderr());
        }
        return result.out().trim();
    }

    private static void loudly(String message) {
        System.err.println("ROUND TRIP READER SKIPPED LOUDLY: " + message);
    }

    private static void delete(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        Files.walkFileTree(directory, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
