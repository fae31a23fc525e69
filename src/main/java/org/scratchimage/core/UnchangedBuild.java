package org.scratchimage.core;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.scratchimage.core.UnchangedBuildFormat.Input;
import org.scratchimage.core.UnchangedBuildFormat.Recorded;
import org.scratchimage.core.UnchangedBuildFormat.Summary;
import org.scratchimage.core.elf.HostReads;
import org.scratchimage.core.image.FileStamp;
import org.scratchimage.core.image.ImagePlan;
import org.scratchimage.core.image.LayerEntry;
import org.scratchimage.core.image.RegularFileEntry;
import org.scratchimage.core.oci.FolderKey;
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
    static final String HEADER = UnchangedBuildFormat.HEADER;
    private static final int PARALLEL_STATS = 2048;

    private UnchangedBuild() {}

    /**
     * A layout the inputs found up to date, and whether the files the build keeps beside it are: those behind are
     * written again without planning.
     *
     * @param result the build's result
     * @param build the fingerprint of the build, to check the layout again under its lock
     * @param created the image's time, in seconds, which the archive's entries carry
     * @param archiveCurrent whether the archive, if one is asked for, is the one the state records
     * @param sbomsCurrent whether every SBOM file holds its document
     * @param resultsCurrent whether the result files hold the result
     */
    record Found(BuildResult result, String build, long created, boolean archiveCurrent, boolean sbomsCurrent,
            boolean resultsCurrent) {
        /** @return whether nothing at all is to be written */
        boolean complete() {
            return archiveCurrent && sbomsCurrent && resultsCurrent;
        }
    }

    /**
     * @param requestFingerprint the {@link RequestFingerprint} of {@code request}
     * @return the last build, if its request and every input are unchanged and its layout is intact; else empty, and
     *     the build plans as usual
     */
    static Optional<Found> check(BuildRequest request, String requestFingerprint, BuildListener listener)
            throws InvalidConfigurationException, IOException {
        long start = System.nanoTime();
        Path output = FolderKey.of(ImageBuilder.outputDirectory(request));
        Path file = file(output);
        Optional<Recorded> loaded = UnchangedBuildFormat.read(file, listener);
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
        List<ImagePlan> plans = new ArrayList<>();
        List<Path> sbomFiles = new ArrayList<>();
        for (Summary image : recorded.images()) {
            plans.add(image.plan());
            sbomFiles.add(image.sbom());
        }
        BuildResult result = ImageBuilder.upToDate(plans, output, current.get(), archive, sboms ? sbomFiles : null);
        List<Summary> images = sbomsCurrent(recorded, result);
        List<Input> results = resultsCurrent(recorded, request.resultDirectory(), result);
        // By identity: what was learned is a new element (records' equals costs a bootstrap on first use).
        if (images != null && results != null
                && (changedElement(images, recorded.images()) || results != recorded.results())) {
            UnchangedBuildFormat.write(file, recorded.with(images, results));
        }
        listener.debug(String.format(java.util.Locale.ROOT, "Up to date by the %d inputs of the last build, unchanged:"
                + " read in %d ms, stat in %d ms, %d ms in all", recorded.inputs().size(), (read - start) / 1_000_000,
                (stated - read) / 1_000_000, (System.nanoTime() - start) / 1_000_000));
        return Optional.of(new Found(result, recorded.build(), recorded.images().get(0).created(),
                archive == null || current.get().holdsArchive(archive), images != null, results != null));
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
        UnchangedBuildFormat.write(file, new Recorded(requestFingerprint, buildFingerprint, plan.indexed(), images,
                List.of(), inputs));
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
}
