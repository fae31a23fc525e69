package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.PlanningFixtures.plan;
import static org.scratchimage.core.PlanningFixtures.settledTreeAndScript;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.scratchimage.core.image.ContainerConfig;
import org.scratchimage.core.image.DirectoryEntry;
import org.scratchimage.core.image.FileStamp;
import org.scratchimage.core.image.ImageLayer;
import org.scratchimage.core.image.ImagePlan;
import org.scratchimage.core.image.LayerEntry;
import org.scratchimage.core.image.Platform;
import org.scratchimage.core.image.RegularFileEntry;
import org.scratchimage.core.image.SymlinkEntry;

/**
 * No two different settings give one fingerprint: otherwise a changed setting is taken as up to date and the old image
 * kept. Values are drawn from pieces that a {@code toString} or a join would blur: {@code ", "}, {@code =},
 * brackets, braces, {@code null}, empty strings and newlines.
 *
 * <p>Each run draws a new seed, printed first; {@code -Dfingerprints.seed=N} reruns it.
 */
class FingerprintEncodingTest {
    private static final String[] PIECES = {"a", "b", "1", "2", ", ", ",", "=", "[", "]", "{", "}", "null", "", "\n",
        " ", ":", "/", "<", " -> ", "\u00e9"};
    private static final int PAIRS = 3_000;

    @TempDir
    Path dir;

    private BuildRequest.Builder fixtures;

    @BeforeEach
    void project() throws Exception {
        fixtures = settledTreeAndScript(dir);
        // The runtime looks <user> null up in the image's /etc/passwd, which the build therefore requires.
        Files.writeString(dir.resolve("passwd"), "null:x:65532:65532::/:/bin/app\n");
        fixtures.addFile(FileSpec.builder().source("passwd").path("/etc/passwd").build());
        Thread.sleep(Fingerprints.RACY_MILLIS + 50);
    }

    /** The four collisions the issue found, each through a whole build: the second setting must rebuild. */
    static Stream<Arguments> theIssuesCollisions() {
        Map<String, String> merged = new LinkedHashMap<>();
        merged.put("a", "1, b=2");
        Map<String, String> split = new LinkedHashMap<>();
        split.put("a", "1");
        split.put("b", "2");
        return Stream.of(
                Arguments.of("one argument with a comma, then two arguments",
                        ContainerSpec.builder().entrypoint(List.of("/bin/app", "a, b")).build(),
                        ContainerSpec.builder().entrypoint(List.of("/bin/app", "a", "b")).build()),
                Arguments.of("one empty argument, then none",
                        ContainerSpec.builder().entrypoint(List.of("/bin/app")).cmd(List.of("")).build(),
                        ContainerSpec.builder().entrypoint(List.of("/bin/app")).cmd(List.of()).build()),
                Arguments.of("no user, then the user named null",
                        ContainerSpec.builder().build(),
                        ContainerSpec.builder().user("null").build()),
                Arguments.of("one label holding a comma and an equals sign, then two labels",
                        ContainerSpec.builder().labels(merged).build(),
                        ContainerSpec.builder().labels(split).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("theIssuesCollisions")
    void aChangedContainerSettingIsNeverTakenAsUpToDate(String change, ContainerSpec before, ContainerSpec after)
            throws Exception {
        fixtures.container(before);
        BuildResult first = new ImageBuilder(line -> {}).build(fixtures.build());
        fixtures.container(after);

        BuildResult second = new ImageBuilder(line -> {}).build(fixtures.build());

        assertThat(second.upToDate()).as(change).isFalse();
        assertThat(second.configDigest()).isNotEqualTo(first.configDigest());
    }

    @Test
    void randomDifferentSettingsGiveDifferentImageFingerprints() throws Exception {
        long seed = Long.getLong("fingerprints.seed", new SecureRandom().nextLong());
        System.out.println("FingerprintEncodingTest: seed " + seed + " (-Dfingerprints.seed=" + seed + ")");
        Random random = new Random(seed);
        ImagePlan base = plan(fixtures);
        Map<String, Settings> seen = new HashMap<>();
        for (int i = 0; i < PAIRS; i++) {
            Settings one = Settings.random(random);
            Settings other = random.nextBoolean() ? one.mutated(random) : Settings.random(random);
            for (Settings settings : List.of(one, other)) {
                String fingerprint = Fingerprints.of(settings.applyTo(base), "1.0.0", 0).image();
                Settings earlier = seen.putIfAbsent(fingerprint, settings);
                assertThat(earlier == null || earlier.equals(settings))
                        .as("seed %d: one fingerprint for %s and %s", seed, earlier, settings).isTrue();
            }
        }
    }

    @Test
    void randomDifferentEntriesGiveDifferentLayerFingerprints() throws Exception {
        long seed = Long.getLong("fingerprints.seed", new SecureRandom().nextLong());
        System.out.println("FingerprintEncodingTest: seed " + seed + " (-Dfingerprints.seed=" + seed + ")");
        Random random = new Random(seed);
        ImagePlan base = plan(fixtures);
        Map<String, List<LayerEntry>> seen = new HashMap<>();
        for (int i = 0; i < PAIRS; i++) {
            List<LayerEntry> entries = new ArrayList<>();
            for (int n = random.nextInt(3); n >= 0; n--) {
                entries.add(randomEntry(random));
            }
            ImagePlan plan = new ImagePlan(base.image(), base.tags(), base.platform(), base.created(),
                    base.compression(), base.compressionLevel(), entries, List.of(new ImageLayer("app", entries)),
                    base.config(), base.annotations());
            String fingerprint = Fingerprints.of(plan, "1.0.0", 0).layers().get(0);
            List<LayerEntry> earlier = seen.putIfAbsent(fingerprint, entries);
            assertThat(earlier == null || earlier.equals(entries))
                    .as("seed %d: one fingerprint for %s and %s", seed, earlier, entries).isTrue();
        }
    }

    @Test
    void aFileNameWithANewlineIsNotTwoEntries() throws Exception {
        // A host tree may hold such a name; a line per entry would read it as a second directory.
        ImagePlan base = plan(fixtures);
        List<LayerEntry> one = List.of(new DirectoryEntry("x 755 0:0\nDirectoryEntry y", 0755, 0, 0, ""));
        List<LayerEntry> two = List.of(new DirectoryEntry("x", 0755, 0, 0, ""),
                new DirectoryEntry("y", 0755, 0, 0, ""));

        assertThat(layerFingerprint(base, one)).isNotEqualTo(layerFingerprint(base, two));
    }

    private static String layerFingerprint(ImagePlan base, List<LayerEntry> entries) throws Exception {
        ImagePlan plan = new ImagePlan(base.image(), base.tags(), base.platform(), base.created(), base.compression(),
                base.compressionLevel(), entries, List.of(new ImageLayer("app", entries)), base.config(),
                base.annotations());
        return Fingerprints.of(plan, "1.0.0", 0).layers().get(0);
    }

    private static LayerEntry randomEntry(Random random) {
        String path = text(random);
        long uid = random.nextInt(3);
        long gid = random.nextInt(3);
        switch (random.nextInt(3)) {
            case 0:
                return new DirectoryEntry(path, 0755 + random.nextInt(2), uid, gid, "");
            case 1:
                return new SymlinkEntry(path, text(random), uid, gid, "");
            default:
                FileStamp stamp = new FileStamp(random.nextInt(3), random.nextInt(3), random.nextInt(3),
                        random.nextInt(3), random.nextInt(3), random.nextInt(3), random.nextInt(3), 0100644);
                return new RegularFileEntry(path, Path.of("/src", text(random)).toAbsolutePath(), stamp.size(),
                        0644, uid, gid, "", true, stamp);
        }
    }

    /** @return one to three pieces, joined */
    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(3); n >= 0; n--) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }

    /** @return a text, or {@code null} one time in four */
    private static String nullable(Random random) {
        return random.nextInt(4) == 0 ? null : text(random);
    }

    private static List<String> list(Random random) {
        List<String> list = new ArrayList<>();
        for (int n = random.nextInt(4); n > 0; n--) {
            list.add(text(random));
        }
        return list;
    }

    private static SortedSet<String> set(Random random) {
        return new TreeSet<>(list(random));
    }

    private static SortedMap<String, String> map(Random random) {
        SortedMap<String, String> map = new TreeMap<>();
        for (int n = random.nextInt(4); n > 0; n--) {
            map.put(text(random), text(random));
        }
        return map;
    }

    /** Everything of a plan but its layers and their settings. */
    private record Settings(String image, List<String> tags, Platform platform, ContainerConfig config,
            SortedMap<String, String> annotations) {

        static Settings random(Random random) {
            ContainerConfig config = new ContainerConfig(nullable(random), set(random), map(random), list(random),
                    list(random), set(random), nullable(random), map(random), nullable(random));
            return new Settings(text(random), list(random), new Platform(text(random), text(random),
                    nullable(random)), config, map(random));
        }

        /**
         * @return these settings with one value changed the way a {@code toString} would not show: a list element
         *     split at a comma or two merged with one, an element added or dropped, or one field drawn anew
         */
        Settings mutated(Random random) {
            ContainerConfig c = config;
            int field = random.nextInt(13);
            return switch (field) {
                case 0 -> new Settings(text(random), tags, platform, c, annotations);
                case 1 -> new Settings(image, reshaped(tags, random), platform, c, annotations);
                case 2 -> new Settings(image, tags, new Platform(platform.os(), platform.architecture(),
                        nullable(random)), c, annotations);
                case 3 -> new Settings(image, tags, platform, c, reshaped(annotations, random));
                case 4 -> with(new ContainerConfig(nullable(random), c.exposedPorts(), c.environment(), c.entrypoint(),
                        c.cmd(), c.volumes(), c.workingDirectory(), c.labels(), c.stopSignal()));
                case 5 -> with(new ContainerConfig(c.user(), new TreeSet<>(reshaped(List.copyOf(c.exposedPorts()),
                        random)), c.environment(), c.entrypoint(), c.cmd(), c.volumes(), c.workingDirectory(),
                        c.labels(), c.stopSignal()));
                case 6 -> with(new ContainerConfig(c.user(), c.exposedPorts(), reshaped(c.environment(), random),
                        c.entrypoint(), c.cmd(), c.volumes(), c.workingDirectory(), c.labels(), c.stopSignal()));
                case 7 -> with(new ContainerConfig(c.user(), c.exposedPorts(), c.environment(),
                        reshaped(c.entrypoint(), random), c.cmd(), c.volumes(), c.workingDirectory(), c.labels(),
                        c.stopSignal()));
                case 8 -> with(new ContainerConfig(c.user(), c.exposedPorts(), c.environment(), c.entrypoint(),
                        reshaped(c.cmd(), random), c.volumes(), c.workingDirectory(), c.labels(), c.stopSignal()));
                case 9 -> with(new ContainerConfig(c.user(), c.exposedPorts(), c.environment(), c.entrypoint(),
                        c.cmd(), new TreeSet<>(reshaped(List.copyOf(c.volumes()), random)), c.workingDirectory(),
                        c.labels(), c.stopSignal()));
                case 10 -> with(new ContainerConfig(c.user(), c.exposedPorts(), c.environment(), c.entrypoint(),
                        c.cmd(), c.volumes(), nullable(random), c.labels(), c.stopSignal()));
                case 11 -> with(new ContainerConfig(c.user(), c.exposedPorts(), c.environment(), c.entrypoint(),
                        c.cmd(), c.volumes(), c.workingDirectory(), reshaped(c.labels(), random), c.stopSignal()));
                default -> with(new ContainerConfig(c.user(), c.exposedPorts(), c.environment(), c.entrypoint(),
                        c.cmd(), c.volumes(), c.workingDirectory(), c.labels(), nullable(random)));
            };
        }

        private Settings with(ContainerConfig config) {
            return new Settings(image, tags, platform, config, annotations);
        }

        ImagePlan applyTo(ImagePlan base) {
            return new ImagePlan(image, tags, platform, base.created(), base.compression(), base.compressionLevel(),
                    base.entries(), base.layers(), config, annotations);
        }

        /** @return the list with two neighbours merged with {@code ", "}, one split there, or one added or dropped */
        private static List<String> reshaped(List<String> list, Random random) {
            List<String> changed = new ArrayList<>(list);
            int i = changed.isEmpty() ? 0 : random.nextInt(changed.size());
            switch (random.nextInt(4)) {
                case 0:
                    if (changed.size() >= 2 && i + 1 < changed.size()) {
                        changed.set(i, changed.get(i) + ", " + changed.remove(i + 1));
                        break;
                    }
                    // fall through: nothing to merge
                case 1:
                    if (!changed.isEmpty() && changed.get(i).contains(", ")) {
                        String[] parts = changed.get(i).split(", ", 2);
                        changed.set(i, parts[0]);
                        changed.add(i + 1, parts[1]);
                        break;
                    }
                    // fall through: nothing to split
                case 2:
                    changed.add(i, random.nextBoolean() ? "" : text(random));
                    break;
                default:
                    if (!changed.isEmpty()) {
                        changed.remove(i);
                    } else {
                        changed.add("");
                    }
            }
            return changed;
        }

        /** @return the map with two entries merged into the value {@code "v1, k2=v2"}, a value changed, or one added */
        private static SortedMap<String, String> reshaped(SortedMap<String, String> map, Random random) {
            SortedMap<String, String> changed = new TreeMap<>(map);
            List<String> keys = new ArrayList<>(changed.keySet());
            if (keys.size() >= 2 && random.nextBoolean()) {
                String first = keys.get(0);
                String second = keys.get(1);
                changed.put(first, changed.get(first) + ", " + second + "=" + changed.remove(second));
            } else if (!keys.isEmpty() && random.nextBoolean()) {
                changed.put(keys.get(0), text(random));
            } else {
                changed.put(text(random), text(random));
            }
            return changed;
        }

        @Override
        public String toString() {
            // Escaped, so that a failure shows what differs.
            return "Settings[image=" + quote(image) + ", tags=" + quote(tags) + ", platform=" + quote(Arrays.asList(
                    platform.os(), platform.architecture(), platform.variant())) + ", config=" + quote(List.of(
                    String.valueOf(quote(config.user())), quote(List.copyOf(config.exposedPorts())),
                    quote(config.environment()), quote(config.entrypoint()), quote(config.cmd()),
                    quote(List.copyOf(config.volumes())), String.valueOf(quote(config.workingDirectory())),
                    quote(config.labels()), String.valueOf(quote(config.stopSignal())))) + ", annotations="
                    + quote(annotations) + "]";
        }

        private static String quote(String text) {
            return text == null ? null : '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")
                    + '"';
        }

        private static String quote(List<String> list) {
            return list.stream().map(Settings::quote).toList().toString();
        }

        private static String quote(Map<String, String> map) {
            Map<String, String> quoted = new LinkedHashMap<>();
            map.forEach((k, v) -> quoted.put(quote(k), quote(v)));
            return quoted.toString();
        }
    }
}
