package org.scratchimage.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.scratchimage.core.elf.HostReads;
import org.scratchimage.core.image.Compression;
import org.scratchimage.core.image.FileStamp;
import org.scratchimage.core.image.ImagePlan;
import org.scratchimage.core.image.LayerEntry;
import org.scratchimage.core.image.Platform;
import org.scratchimage.core.image.RegularFileEntry;
import org.scratchimage.core.oci.ImageMetadata;

/**
 * The inputs of the last build, in {@code .<name>.scratch-inputs} beside the layout: the fingerprint of its request,
 * the stamp of every host path its planning consulted (the files it copied, the folders it listed, the files the
 * loader's search, {@code ld.so.conf} and the dpkg database gave it, and the paths it looked for and did not find),
 * the fingerprint of the build, and what the build's result names of each image. A build whose request has the same
 * fingerprint, and whose inputs all stat as recorded, plans the same images: it is decided up to date from the
 * state, without planning again, without reading an ELF header or the dpkg database.
 *
 * <p>Written only when no stamp is too recent to trust ({@link FileStamp#changedSince}): a file changed in the same
 * coarse second as the planning may change again without its stamp showing it. The SBOM files are outputs: their
 * stamps are trusted only once their content has been checked and they are older than that check.
 */
final class UnchangedBuild {
    static final String HEADER = "scratch-inputs 2";
    private static final int PARALLEL_STATS = 2048;

    /** What the result of an up-to-date build names of one image, besides what the state records. */
    private record Summary(String image, List<String> tags, Platform platform, long created, Compression compression,
            int level, Path sbom, FileStamp sbomStamp) {
        ImagePlan plan() {
            return new ImagePlan(image, tags, platform, Instant.ofEpochSecond(created), compression, level, List.of(),
                    List.of(), null, new TreeMap<>(), null);
        }
    }

    /** One consulted path: as {@code lstat} or {@code stat} saw it, {@code null} for absent. */
    private record Input(Path path, boolean follow, FileStamp stamp) {}

    /**
     * @param results the result files with the stamps they had once found current, else empty: outputs, trusted
     *     like the SBOM files
     */
    private record Recorded(String request, String build, boolean indexed, List<Summary> images, List<Input> results,
            List<Input> inputs) {
        Recorded with(List<Summary> images, List<Input> results) {
            return new Recorded(request, build, indexed, images, results, inputs);
        }
    }

    private UnchangedBuild() {}

    /**
     * @param requestFingerprint the {@link RequestFingerprint} of {@code request}
     * @return the result of the last build, if its request and every input are unchanged and its layout, SBOM files,
     *     archive and result files are all current; else empty, and the build plans as usual
     */
    static Optional<BuildResult> check(BuildRequest request, String requestFingerprint, BuildListener listener)
            throws InvalidConfigurationException, IOException {
        long start = System.nanoTime();
        Path output = org.scratchimage.core.oci.FolderKey.of(ImageBuilder.outputDirectory(request));
        Path file = file(output);
        Optional<Recorded> loaded = read(file);
        if (loaded.isEmpty() || !loaded.get().request().equals(requestFingerprint)) {
            return Optional.empty();
        }
        Recorded recorded = loaded.get();
        long read = System.nanoTime();
        Input changed = anyChanged(recorded.inputs());
        if (changed != null) {
            listener.debug("Planning again: " + changed.path() + " changed since the last build");
            return Optional.empty();
        }
        long stated = System.nanoTime();
        Optional<BuildState.Current> current = BuildState.check(output, recorded.build());
        boolean sboms = recorded.images().get(0).sbom() != null;
        if (current.isEmpty() || (sboms && !current.get().recordsSboms())) {
            return Optional.empty();
        }
        Path archive = ArchiveTarget.of(request);
        if (archive != null && !current.get().holdsArchive(archive)) {
            return Optional.empty();
        }
        List<ImagePlan> plans = new ArrayList<>();
        List<Path> sbomFiles = new ArrayList<>();
        for (Summary image : recorded.images()) {
            plans.add(image.plan());
            sbomFiles.add(image.sbom());
        }
        BuildResult result = ImageBuilder.upToDate(plans, output, current.get(), archive, sboms ? sbomFiles : null);
        List<Summary> images = sbomsCurrent(recorded, result);
        List<Input> results = images == null ? null : resultsCurrent(recorded, request.resultDirectory(), result);
        if (results == null) {
            return Optional.empty();
        }
        // By identity: what was learned is a new element (records' equals costs a bootstrap on first use).
        if (changedElement(images, recorded.images()) || results != recorded.results()) {
            write(file, recorded.with(images, results));
        }
        listener.debug(String.format(java.util.Locale.ROOT, "Up to date by the %d inputs of the last build, unchanged:"
                + " read in %d ms, stat in %d ms, %d ms in all", recorded.inputs().size(), (read - start) / 1_000_000,
                (stated - read) / 1_000_000, (System.nanoTime() - start) / 1_000_000));
        return Optional.of(result);
    }

    /**
     * Records the inputs of a build that committed or found its layout current; or, when a stamp is too recent to
     * trust, removes the last record, so that the next build plans again.
     *
     * @param plannedAt when the planning began, in milliseconds since the epoch
     */
    static void record(Path output, String requestFingerprint, String buildFingerprint, BuildPlan plan,
            List<ImageSbom> sboms, HostReads.Recording reads, long plannedAt, BuildListener listener)
            throws IOException {
        Path file = file(output);
        Map<Path, Input> described = new LinkedHashMap<>();
        Map<Path, Input> followed = new LinkedHashMap<>();
        for (ImagePlan image : plan.images()) {
            for (LayerEntry entry : image.entries()) {
                if (entry instanceof RegularFileEntry regular) {
                    Path path = regular.source().toAbsolutePath();
                    FileStamp stamp = regular.stamp() != null ? regular.stamp() : stat(path, regular.followLinks());
                    (regular.followLinks() ? followed : described).put(path, new Input(path, regular.followLinks(),
                            stamp));
                }
            }
        }
        List<Input> noted = new ArrayList<>();
        reads.described().stream().filter(p -> !described.containsKey(p)).forEach(p -> noted.add(new Input(p, false,
                null)));
        reads.followed().stream().filter(p -> !followed.containsKey(p)).forEach(p -> noted.add(new Input(p, true,
                null)));
        List<Input> inputs = new ArrayList<>(described.values());
        inputs.addAll(followed.values());
        for (Input path : statAll(noted)) {
            inputs.add(path);
            // Absent now, present when planned: its folder changed since, and tells.
            if (path.stamp() == null && path.path().getParent() != null && !described.containsKey(path.path()
                    .getParent())) {
                inputs.add(new Input(path.path().getParent(), false, stat(path.path().getParent(), false)));
            }
        }
        Instant newest = Instant.EPOCH;
        for (Input input : inputs) {
            if (input.stamp() == null) {
                continue;
            }
            // Fingerprints' first two rules: the file system's tick, and whole-second times.
            if (input.stamp().changedSince(plannedAt - Fingerprints.RACY_MILLIS)) {
                forget(file, listener, input.path() + " changed while the build planned");
                return;
            }
            newest = input.stamp().newest().isAfter(newest) ? input.stamp().newest() : newest;
        }
        inputs.sort(java.util.Comparator.comparing(Input::path));
        List<Summary> images = new ArrayList<>();
        for (int k = 0; k < plan.images().size(); k++) {
            ImagePlan image = plan.images().get(k);
            images.add(new Summary(image.image(), image.tags(), image.platform(), image.created().getEpochSecond(),
                    image.compression(), image.compressionLevel(), sboms == null ? null : sboms.get(k).file(), null));
        }
        write(file, new Recorded(requestFingerprint, buildFingerprint, plan.indexed(), images, List.of(), inputs));
        // Git's rule, by the file system's own clock: an input stamped in the tick of this record is not trusted.
        if (!newest.isBefore(Files.getLastModifiedTime(file).toInstant())) {
            forget(file, listener, "an input changed in the same tick as the record");
        }
    }

    private static void forget(Path file, BuildListener listener, String why) throws IOException {
        listener.debug("Inputs not recorded, the next build plans again: " + why);
        Files.deleteIfExists(file);
    }

    /** @return the state file's sibling {@code .<name>.scratch-inputs} */
    static Path file(Path layout) {
        Path dir = layout.toAbsolutePath().normalize();
        return dir.resolveSibling("." + dir.getFileName() + ".scratch-inputs");
    }

    /**
     * @return an input that does not stat as recorded, or {@code null}; a large tree's stats run on every
     *     core, a few hundred in this thread, sooner than the pool's threads would start
     */
    private static Input anyChanged(List<Input> inputs) {
        if (inputs.size() >= PARALLEL_STATS) {
            return inputs.parallelStream().filter(UnchangedBuild::changed).findAny().orElse(null);
        }
        for (Input input : inputs) {
            if (changed(input)) {
                return input;
            }
        }
        return null;
    }

    private static boolean changed(Input input) {
        try {
            FileStamp now = stat(input.path(), input.follow());
            return now == null ? input.stamp() != null : !now.equals(input.stamp());
        } catch (IOException e) {
            // Unreadable now: planning again reports it.
            return true;
        }
    }

    private static List<Input> statAll(List<Input> paths) throws IOException {
        try {
            return paths.parallelStream().map(p -> {
                try {
                    return new Input(p.path(), p.follow(), stat(p.path(), p.follow()));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** @return the stamp, or {@code null} when there is nothing at {@code path} */
    private static FileStamp stat(Path path, boolean follow) throws IOException {
        try {
            return FileStamp.read(path, follow);
        } catch (NoSuchFileException | NotDirectoryException e) {
            return null;
        } catch (FileSystemException e) {
            if ("Not a directory".equals(e.getReason())) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Whether each SBOM file holds its document: by its stamp once trusted, else by its content; a file found
     * current by content whose stamp is old enough is trusted from then on.
     *
     * @return the images with the SBOM stamps to record, or {@code null} when an SBOM file is not current
     */
    private static List<Summary> sbomsCurrent(Recorded recorded, BuildResult result) throws IOException {
        List<Summary> trusted = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int k = 0; k < recorded.images().size(); k++) {
            Summary image = recorded.images().get(k);
            if (image.sbom() == null) {
                trusted.add(image);
                continue;
            }
            FileStamp stamp = stat(image.sbom(), false);
            if (stamp != null && stamp.equals(image.sbomStamp())) {
                trusted.add(image);
                continue;
            }
            if (!ImageSbom.holds(image.sbom(), result.images().get(k).sbom().digest())) {
                return null;
            }
            trusted.add(old(stamp, now) ? new Summary(image.image(), image.tags(), image.platform(), image.created(),
                    image.compression(), image.level(), image.sbom(), stamp) : image);
        }
        return trusted;
    }

    /**
     * Whether the result files hold the result: by their stamps once trusted, else by their content, as
     * {@link ResultFiles#current} reads it; a push adds to {@code scratch-image.json}, which is then read once more.
     *
     * @return the result files' stamps to record, empty for none, or {@code null} when they are not current
     */
    private static List<Input> resultsCurrent(Recorded recorded, Path directory, BuildResult result)
            throws IOException {
        if (directory == null) {
            return List.of();
        }
        List<Input> now = new ArrayList<>();
        for (String name : List.of(ImageMetadata.DIGEST_FILE_NAME, ImageMetadata.FILE_NAME)) {
            Path path = directory.resolve(name).toAbsolutePath();
            now.add(new Input(path, false, stat(path, false)));
        }
        if (sameStamps(now, recorded.results())) {
            return recorded.results();
        }
        if (!ResultFiles.current(directory, result)) {
            return null;
        }
        long time = System.currentTimeMillis();
        return now.stream().allMatch(input -> old(input.stamp(), time)) ? now : List.of();
    }

    private static boolean sameStamps(List<Input> now, List<Input> recorded) {
        if (now.size() != recorded.size()) {
            return false;
        }
        for (int i = 0; i < now.size(); i++) {
            Input a = now.get(i);
            Input b = recorded.get(i);
            if (!a.path().equals(b.path()) || a.stamp() == null || !a.stamp().equals(b.stamp())) {
                return false;
            }
        }
        return true;
    }

    private static boolean changedElement(List<?> now, List<?> recorded) {
        for (int i = 0; i < now.size(); i++) {
            if (now.get(i) != recorded.get(i)) {
                return true;
            }
        }
        return false;
    }

    /** Fingerprints' rules: a stamp in the tick of this check could hide a write after it. */
    private static boolean old(FileStamp stamp, long now) {
        return stamp != null && !stamp.changedSince(now - Fingerprints.RACY_MILLIS);
    }

    private static void write(Path file, Recorded recorded) throws IOException {
        StringBuilder text = new StringBuilder(64 + 96 * recorded.inputs().size());
        text.append(HEADER).append('\n');
        Escapes.line(text, "request", recorded.request());
        Escapes.line(text, "build", recorded.build());
        Escapes.line(text, "indexed", Boolean.toString(recorded.indexed()));
        for (Summary image : recorded.images()) {
            List<String> fields = new ArrayList<>(List.of("image", image.image(), Long.toString(image.created()),
                    image.compression().name(), Integer.toString(image.level()), image.platform().os(),
                    image.platform().architecture(), orDash(image.platform().variant()),
                    image.sbom() == null ? "-" : image.sbom().toString()));
            fields.addAll(stampFields(image.sbomStamp()));
            fields.addAll(image.tags());
            Escapes.line(text, fields.toArray(String[]::new));
        }
        for (Input output : recorded.results()) {
            List<String> fields = new ArrayList<>(List.of("R", output.path().toString()));
            fields.addAll(stampFields(output.stamp()));
            Escapes.line(text, fields.toArray(String[]::new));
        }
        // By folder: one line names it, one line per name in it, so a tree's folder is written and parsed once.
        Path folder = null;
        for (Input input : recorded.inputs()) {
            Path parent = input.path().getParent();
            if (parent == null) {
                parent = input.path();
            }
            if (!parent.equals(folder)) {
                Escapes.line(text, "D", parent.toString());
                folder = parent;
            }
            text.append(input.follow() ? "S\t" : "L\t").append(Escapes.escape(parent.equals(input.path()) ? "."
                    : input.path().getFileName().toString()));
            for (String field : stampFields(input.stamp())) {
                text.append('\t').append(field);
            }
            text.append('\n');
        }
        // A name of its own: two builds of the folder may record at once, each a whole record.
        Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** @return the record, or empty if there is none or it is not one this version wrote */
    private static Optional<Recorded> read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (FileSystemException e) {
            // Such as an output folder below a file: no record, and the planning reports what is wrong.
            return Optional.empty();
        }
        try {
            List<String> head = new ArrayList<>();
            List<Summary> images = new ArrayList<>();
            List<Input> results = new ArrayList<>();
            List<Input> inputs = new ArrayList<>(bytes.length / 64);
            Path folder = null;
            for (int at = 0, end; at < bytes.length; at = end + 1) {
                end = indexOf(bytes, (byte) '\n', at);
                byte kind = bytes[at];
                if (head.size() == 4 && (kind == 'L' || kind == 'S') && bytes[at + 1] == '\t') {
                    // The inputs, most of the record: parsed from the bytes, without a string per field.
                    int tab = indexOf(bytes, (byte) '\t', at + 2);
                    String name = Escapes.unescape(new String(bytes, at + 2, tab - at - 2, StandardCharsets.UTF_8));
                    inputs.add(new Input(name.equals(".") ? folder : folder.resolve(name), kind == 'S',
                            stamp(bytes, tab + 1, end)));
                    continue;
                }
                String line = new String(bytes, at, end - at, StandardCharsets.UTF_8);
                if (head.size() < 4) {
                    head.add(line);
                    continue;
                }
                String[] f = Escapes.fields(line);
                if (f[0].equals("image")) {
                    // The tags follow the SBOM file's stamp: one field when there is none, else eight.
                    List<String> tags = List.of(f).subList(f[9].equals("-") ? 10 : 17, f.length);
                    images.add(new Summary(f[1], tags, new Platform(f[5], f[6], dashOrNull(f[7])),
                            Long.parseLong(f[2]), Compression.valueOf(f[3]), Integer.parseInt(f[4]),
                            dashOrNull(f[8]) == null ? null : Path.of(f[8]), stamp(f, 9)));
                } else if (f[0].equals("R")) {
                    results.add(new Input(Path.of(f[1]), false, stamp(f, 2)));
                } else if (f[0].equals("D")) {
                    folder = Path.of(f[1]);
                } else {
                    return Optional.empty();
                }
            }
            if (head.size() < 4 || !head.get(0).equals(HEADER) || images.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Recorded(value(head.get(1), "request"), value(head.get(2), "build"),
                    Boolean.parseBoolean(value(head.get(3), "indexed")), images, results, inputs));
        } catch (RuntimeException e) {
            // Not written by this code: a record that cannot be read is no record, and the build plans.
            return Optional.empty();
        }
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new IllegalArgumentException("cut off");
    }

    /** @return the stamp written from {@code at} to {@code end}: eight numbers, or {@code -} for none */
    private static FileStamp stamp(byte[] bytes, int at, int end) {
        if (bytes[at] == '-' && at + 1 == end) {
            return null;
        }
        long[] n = new long[8];
        int field = 0;
        long value = 0;
        boolean digits = false;
        boolean negative = false;
        for (int i = at; i <= end; i++) {
            byte b = i < end ? bytes[i] : (byte) '\t';
            if (b == '\t') {
                if (!digits || field == 8) {
                    throw new IllegalArgumentException("stamp");
                }
                n[field++] = negative ? -value : value;
                value = 0;
                digits = false;
                negative = false;
            } else if (b == '-' && !digits && !negative) {
                // A time before 1970, or an inode number past 2^63 as Java's long reads it.
                negative = true;
            } else if (b >= '0' && b <= '9' && value <= (Long.MAX_VALUE - 9) / 10) {
                value = value * 10 + (b - '0');
                digits = true;
            } else {
                throw new IllegalArgumentException("stamp");
            }
        }
        if (field != 8) {
            throw new IllegalArgumentException("stamp");
        }
        return new FileStamp(n[0], n[1], Math.toIntExact(n[2]), n[3], Math.toIntExact(n[4]), n[5], n[6],
                Math.toIntExact(n[7]));
    }

    private static List<String> stampFields(FileStamp stamp) {
        if (stamp == null) {
            return List.of("-");
        }
        return List.of(Long.toString(stamp.size()), Long.toString(stamp.mtimeSeconds()),
                Integer.toString(stamp.mtimeNanos()), Long.toString(stamp.ctimeSeconds()),
                Integer.toString(stamp.ctimeNanos()), Long.toString(stamp.inode()), Long.toString(stamp.device()),
                Integer.toString(stamp.mode()));
    }

    private static FileStamp stamp(String[] f, int at) {
        if (f[at].equals("-")) {
            return null;
        }
        return new FileStamp(Long.parseLong(f[at]), Long.parseLong(f[at + 1]), Integer.parseInt(f[at + 2]),
                Long.parseLong(f[at + 3]), Integer.parseInt(f[at + 4]), Long.parseLong(f[at + 5]),
                Long.parseLong(f[at + 6]), Integer.parseInt(f[at + 7]));
    }

    private static String value(String line, String key) {
        String[] f = Escapes.fields(line);
        if (f.length != 2 || !f[0].equals(key)) {
            throw new IllegalArgumentException(key);
        }
        return f[1];
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }

    private static String dashOrNull(String value) {
        return value.equals("-") ? null : value;
    }
}
