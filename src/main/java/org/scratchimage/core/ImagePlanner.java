package org.scratchimage.core;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.scratchimage.core.image.Compression;
import org.scratchimage.core.image.ContainerConfig;
import org.scratchimage.core.image.ImageLayer;
import org.scratchimage.core.image.ImagePlan;
import org.scratchimage.core.image.LayerEntry;
import org.scratchimage.core.image.Platform;
import org.scratchimage.core.packages.DpkgDatabase;
import org.scratchimage.core.packages.PackageMetadata;

/**
 * Validates a {@link BuildRequest} once, completely, and turns it into an {@link ImagePlan}, or one per platform of
 * {@code <platforms>}.
 */
final class ImagePlanner {
    /** Set by the plugin from the build timestamp; a user value would contradict it. */
    static final String CREATED_ANNOTATION = "org.opencontainers.image.created";

    private ImagePlanner() {}

    static ImagePlan plan(BuildRequest request, Consumer<String> debug) throws InvalidConfigurationException, IOException {
        return plan(request, BuildListener.of(debug));
    }

    /**
     * @return the plans of the build: one for {@code <platform>} and {@code <sysroot>}, or one per platform of
     *     {@code <platforms>}, in their order, each planned from its own sysroot
     */
    static BuildPlan planAll(BuildRequest request, BuildListener listener)
            throws InvalidConfigurationException, IOException {
        return planAll(request, listener, ElfHeaders.NONE);
    }

    /** @param headers the ELF headers the last build read, by stamp */
    static BuildPlan planAll(BuildRequest request, BuildListener listener, ElfHeaders headers)
            throws InvalidConfigurationException, IOException {
        if (request.platforms().isEmpty()) {
            return new BuildPlan(List.of(plan(request, listener, null, null, headers)), false);
        }
        if (!Values.isBlank(request.platform())) {
            throw new InvalidConfigurationException("<platform>", request.platform(), "is set together with <platforms>",
                    "remove <platform> and list every platform in <platforms>, or remove <platforms> to build one"
                            + " platform");
        }
        // "/" is <sysroot>'s default, which the goal passes when the pom does not set it.
        if (!Values.isBlank(request.sysroot()) && !request.sysroot().trim().equals("/")) {
            throw new InvalidConfigurationException("<sysroot>", request.sysroot(), "is set together with <platforms>,"
                    + " where each platform has its own", "move it into the <platform> of <platforms> it belongs to,"
                            + " such as <platform><name>linux/arm64</name><sysroot>" + request.sysroot().trim()
                            + "</sysroot></platform>");
        }
        // What every platform's planning reports alike (the timestamp, a <cmd> with spaces) is said once.
        BuildListener once = BuildListeners.once(listener);
        Map<Platform, String> seen = new HashMap<>();
        List<ImagePlan> plans = new ArrayList<>();
        for (int i = 0; i < request.platforms().size(); i++) {
            String element = "<platforms>/<platform>[" + (i + 1) + "]";
            PlatformSpec spec = request.platforms().get(i);
            if (spec == null || Values.isBlank(spec.name())) {
                throw new InvalidConfigurationException(element + "/<name>", null, "is not set",
                        "name the platform as os/arch[/variant], such as linux/amd64 or linux/arm64");
            }
            Platform platform = Platforms.parse(element + "/<name>", spec.name());
            String first = seen.putIfAbsent(platform, element);
            if (first != null) {
                throw new InvalidConfigurationException(element + "/<name>", spec.name(), "is listed twice, also as "
                        + first, "list each platform once: an image index holds one image per platform");
            }
            Path sysroot = SharedLibraries.sysroot(element + "/<sysroot>", spec.sysroot(), request.baseDirectory());
            BuildRequest one = request.toBuilder().platforms(List.of()).platform(platform.toString())
                    .sysroot(spec.sysroot()).build();
            try {
                plans.add(plan(one, once, element + "/<name>", sysroot.getParent() == null ? null : sysroot,
                        headers));
            } catch (InvalidConfigurationException e) {
                throw e.inPlatform(platform + " (" + element + ")");
            }
        }
        return new BuildPlan(plans, true);
    }

    static ImagePlan plan(BuildRequest request, BuildListener listener) throws InvalidConfigurationException, IOException {
        return plan(request, listener, null, null, ElfHeaders.NONE);
    }

    /**
     * @param platformElement the element naming the platform of one image of {@code <platforms>}, or {@code null}
     * @param sourceRoot where its absolute sources are found: its sysroot unless that is {@code /}, else {@code null}
     */
    private static ImagePlan plan(BuildRequest request, BuildListener listener, String platformElement,
            Path sourceRoot, ElfHeaders headers) throws InvalidConfigurationException, IOException {
        String image = Values.image("<image>", request.image());
        List<String> tags = tags(request.tags(), request.defaultTag());
        Platform explicit = Values.isBlank(request.platform()) ? null : Platforms.parse(request.platform());
        Instant created = BuildTimestamp.resolve(request.outputTimestamp(), request.sourceDateEpoch());
        if (BuildTimestamp.neitherSet(request.outputTimestamp(), request.sourceDateEpoch())) {
            listener.info(BuildTimestamp.UNSET);
        }
        Compression compression = compression(request.compression());
        int compressionLevel = compressionLevel(compression, request.compressionLevel());
        ContainerConfig config = config(request.container(), listener);
        SortedMap<String, String> annotations = annotations(request.annotations());
        Accounts accounts = Accounts.of(request);
        DpkgDatabase dpkg = PackageFiles.prefetch(request);
        LayerEntries collector = LayerEntries.declare(request, sourceRoot, listener::debug);
        Platform platform = SharedLibraries.addTo(collector, request, explicit, platformElement, listener, headers);
        accounts.addTo(collector);
        config = CaCertificates.addTo(collector, request, config);
        PackageMetadata packages = PackageFiles.addTo(collector, request, listener, dpkg);
        List<LayerEntry> entries = collector.complete();
        accounts.checkUser("<user>", config.user(), collector.entryAt("etc/passwd") != null,
                collector.entryAt("etc/group") != null);
        List<ImageLayer> layers = collector.layers(request.layers());
        listener.debug("Image " + image + " for " + platform + ", created " + created + ", " + entries.size()
                + " entries in " + layers.size() + " layers");
        return new ImagePlan(image, tags, platform, created, compression, compressionLevel, entries, layers, config,
                annotations, packages);
    }

    private static List<String> tags(List<String> tags, String defaultTag) throws InvalidConfigurationException {
        if (tags.isEmpty() && defaultTag != null) {
            if (!Values.isTag(defaultTag)) {
                // The user wrote no <tags>: name the project version, which they did not think of as a tag.
                throw InvalidConfigurationException.inDefault("<tags>", defaultTag, "The project version \""
                        + defaultTag + "\", the default tag when <tags> is not set,", "is not a valid tag",
                        "set <tags><tag>...</tag></tags>, such as <tag>latest</tag>; tags use letters, digits, '_',"
                        + " '.' and '-'");
            }
            return List.of(defaultTag);
        }
        if (tags.isEmpty()) {
            throw new InvalidConfigurationException("<tags>", null, "is empty",
                    "list at least one <tag>, or remove <tags> to use the project version");
        }
        Set<String> unique = new LinkedHashSet<>();
        for (int i = 0; i < tags.size(); i++) {
            String tag = Values.tag("<tags>/<tag>[" + (i + 1) + "]", tags.get(i));
            if (!unique.add(tag)) {
                throw new InvalidConfigurationException("<tags>/<tag>[" + (i + 1) + "]", tag, "is listed twice",
                        "list each tag once");
            }
        }
        return new ArrayList<>(unique);
    }

    private static Compression compression(String value) throws InvalidConfigurationException {
        if (value == null || value.isBlank() || value.equals("gzip")) {
            return Compression.GZIP;
        }
        if (value.equals("zstd")) {
            return Compression.ZSTD;
        }
        if (value.equals("none")) {
            return Compression.NONE;
        }
        throw new InvalidConfigurationException("<compression>", value, "is not a supported compression",
                "write gzip (the default), zstd or none");
    }

    private static int compressionLevel(Compression compression, String value) throws InvalidConfigurationException {
        if (Values.isBlank(value)) {
            return compression.defaultLevel();
        }
        String name = compression.name().toLowerCase(java.util.Locale.ROOT);
        if (compression == Compression.NONE) {
            throw new InvalidConfigurationException("<compressionLevel>", value, "is set, but <compression> is none",
                    "remove <compressionLevel>, or choose <compression>gzip</compression> or zstd");
        }
        String trimmed = value.trim();
        if (!trimmed.matches("[0-9]{1,2}") || Integer.parseInt(trimmed) < compression.minLevel()
                || Integer.parseInt(trimmed) > compression.maxLevel()) {
            throw new InvalidConfigurationException("<compressionLevel>", value, "is not a level of " + name,
                    "write a whole number from " + compression.minLevel() + " to " + compression.maxLevel()
                            + " (default " + compression.defaultLevel() + ")");
        }
        return Integer.parseInt(trimmed);
    }

    private static ContainerConfig config(ContainerSpec spec, BuildListener listener)
            throws InvalidConfigurationException {
        SortedMap<String, String> environment = new TreeMap<>();
        for (Map.Entry<String, String> variable : spec.environment().entrySet()) {
            String name = Values.environmentName("<environment>/<" + variable.getKey() + ">", variable.getKey());
            environment.put(name, variable.getValue() == null ? "" : variable.getValue());
        }
        SortedSet<String> ports = new TreeSet<>();
        for (int i = 0; i < spec.ports().size(); i++) {
            ports.add(Values.port("<ports>/<port>[" + (i + 1) + "]", spec.ports().get(i)));
        }
        SortedSet<String> volumes = new TreeSet<>();
        for (int i = 0; i < spec.volumes().size(); i++) {
            String element = "<volumes>/<volume>[" + (i + 1) + "]";
            volumes.add(ImagePaths.absolute(ImagePaths.relative(element, spec.volumes().get(i))));
        }
        String workingDirectory = null;
        if (!Values.isBlank(spec.workingDirectory())) {
            workingDirectory = ImagePaths.absolute(ImagePaths.relative("<workingDirectory>", spec.workingDirectory()));
        }
        List<String> entrypoint = arguments("<entrypoint>", spec.entrypoint());
        List<String> cmd = arguments("<cmd>", spec.cmd());
        warnOfOneArgumentWithSpaces("<entrypoint>", entrypoint, listener);
        // After an entrypoint such as sh -c, the one argument is a whole command line on purpose.
        if (entrypoint.isEmpty() || !entrypoint.get(entrypoint.size() - 1).equals("-c")) {
            warnOfOneArgumentWithSpaces("<cmd>", cmd, listener);
        }
        return new ContainerConfig(
                Values.user("<user>", blankToNull(spec.user())),
                ports,
                environment,
                entrypoint,
                cmd,
                volumes,
                workingDirectory,
                keyed("<labels>", spec.labels()),
                Values.signal("<stopSignal>", blankToNull(spec.stopSignal())));
    }

    private static List<String> arguments(String element, List<String> arguments) throws InvalidConfigurationException {
        List<String> result = new ArrayList<>();
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            // Maven turns <arg></arg> into null; an empty argument is legitimate.
            result.add(argument == null ? "" : argument);
        }
        if (!result.isEmpty() && result.get(0).isEmpty() && element.equals("<entrypoint>")) {
            throw new InvalidConfigurationException(element + "/<arg>[1]", "", "is empty",
                    "start the entrypoint with the program to run, such as /bin/app");
        }
        return result;
    }

    /**
     * {@code <cmd>-la /bin</cmd>} is one argument, {@code "-la /bin"}, which the program receives as one word: no shell
     * splits it. The build goes on, as one argument with spaces may be meant, such as a file name.
     */
    private static void warnOfOneArgumentWithSpaces(String element, List<String> arguments, BuildListener listener) {
        if (arguments.size() != 1 || arguments.get(0).isBlank() || !arguments.get(0).trim().matches(".*\\s.*")) {
            return;
        }
        StringBuilder split = new StringBuilder();
        for (String word : arguments.get(0).trim().split("\\s+")) {
            split.append("<arg>").append(word).append("</arg>");
        }
        String name = element.substring(1, element.length() - 1);
        listener.warn(element + " \"" + arguments.get(0) + "\" is one argument that holds spaces: the program receives"
                + " it as a single word, as no shell splits it. Fix: if you meant several arguments, write one <arg>"
                + " per argument: <" + name + ">" + split + "</" + name + ">");
    }

    private static SortedMap<String, String> annotations(Map<String, String> annotations)
            throws InvalidConfigurationException {
        if (annotations.containsKey(CREATED_ANNOTATION)) {
            throw new InvalidConfigurationException("<annotations>/<" + CREATED_ANNOTATION + ">",
                    annotations.get(CREATED_ANNOTATION), "is set by the plugin from the build timestamp",
                    "remove it and set <outputTimestamp> or project.build.outputTimestamp instead");
        }
        return keyed("<annotations>", annotations);
    }

    private static SortedMap<String, String> keyed(String element, Map<String, String> values)
            throws InvalidConfigurationException {
        SortedMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            if (Values.isBlank(entry.getKey())) {
                throw new InvalidConfigurationException(element, "", "has an empty key", "name every entry");
            }
            sorted.put(entry.getKey(), entry.getValue() == null ? "" : entry.getValue());
        }
        return sorted;
    }

    private static String blankToNull(String value) {
        return Values.isBlank(value) ? null : value;
    }
}
