package org.scratchimage.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.scratchimage.core.image.ContainerConfig;
import org.scratchimage.core.image.DirectoryEntry;
import org.scratchimage.core.image.FileStamp;
import org.scratchimage.core.image.ImageLayer;
import org.scratchimage.core.image.ImagePlan;
import org.scratchimage.core.image.LayerEntry;
import org.scratchimage.core.image.Platform;
import org.scratchimage.core.image.GeneratedFileEntry;
import org.scratchimage.core.image.RegularFileEntry;
import org.scratchimage.core.image.SymlinkEntry;

/**
 * The fingerprints of a plan: one of everything the image is built from, and one of each layer.
 *
 * <p>The image's fingerprint covers the plugin version, the whole validated plan (every setting that reaches the
 * image) and, for each source file, what git's index records to notice a change: size, mtime, ctime and inode.
 * ctime cannot be set back by a user, so content rewritten with the same size and mtime still counts as a change.
 * File contents are not read: that is what makes the check fast.
 *
 * <p>Every value is added as a field of a {@link FieldDigest}, never as text made by {@code toString()} or a join:
 * {@code <entrypoint>} {@code ["a, b"]} and {@code ["a", "b"]}, or no {@code <user>} and {@code <user>null</user>},
 * must not give one fingerprint, nor a file name holding a newline look like two entries.
 *
 * <p>A layer's fingerprint covers the settings that reach its bytes and its entries, so that a layer whose
 * fingerprint did not change since the last build can be taken from the layout as it is ({@link BuildState}).
 *
 * <p><b>Racily clean sources.</b> A source rewritten with the same size right after it was stamped may keep every
 * stamp: the file system takes its times from a clock that ticks every few milliseconds (a jiffy), or every second
 * or two on file systems with coarse times. As git does with "racily clean" index entries, a layer holding a source
 * whose stamp is too recent to be trusted is written but recorded as racy, neither reusable nor up to date, and the
 * next build looks again. Three rules decide it, because the sources and the state file may sit on different file
 * systems, with times of different precision from different clocks:
 * <ol>
 *   <li>a stamp at or after {@link #RACY_MILLIS} before the planning, on the JVM's clock: the jiffy of file systems
 *       with fine times;
 *   <li>a stamp with no sub-second part counts as any moment of the {@link FileStamp#COARSE_SECONDS} that begin with
 *       it (see {@link FileStamp#changedSince}): a file written at S+0.05 s stamps as S.000 on ext2, so the first
 *       rule alone would trust it when planning at S+0.3 s, and a same-size rewrite at S+0.9 s would pass unseen.
 *       This rule holds wherever the state file lives, as long as the file system's clock is the JVM's;
 *   <li>git's own: a stamp not strictly older than the state file's mtime, read back after writing it
 *       ({@link #racyAsOf}, {@link BuildState#record}). That time is taken after the planning, by the file
 *       system's own clock and with its own precision, so for sources on the file system of the state it also
 *       holds when that clock is not the JVM's (an NFS server's). For sources elsewhere it compares unlike clocks
 *       and only adds caution: a state on a coarse file system makes every source changed in the second of the
 *       write racy once more; on a finer one it misses what the second rule catches, which is why git's rule alone
 *       is not enough.
 * </ol>
 * What none catches: on a file system whose clock lags the JVM's by more than the first two rules allow, a
 * same-size rewrite within the tick of the planning, when the state file is written in a later tick.
 *
 * @param image the fingerprint of everything the image is built from
 * @param layers the fingerprint of each layer of the plan, in order
 * @param racy for each layer, whether one of its sources changed too close to the planning to be trusted
 * @param newest for each layer, the latest mtime or ctime of its sources, {@code null} if it has none
 */
record Fingerprints(String image, List<String> layers, List<Boolean> racy, List<Instant> newest) {

    /**
     * How close to the planning a source with sub-second times may have changed and still be trusted by its stamp:
     * a file system stamps times from a clock that ticks every few milliseconds (a jiffy).
     */
    static final long RACY_MILLIS = 100;

    private static final long[] UNKNOWN_CODE = {-1, -1};

    /** @return whether some layer is racy, so that the image must not be recorded as up to date */
    boolean anyRacy() {
        return racy.contains(Boolean.TRUE);
    }

    /**
     * @param input the fingerprint of something the layout holds besides the image, such as the SBOM's inputs
     * @return these fingerprints with {@code input} added to the image's, the layers' as they are
     */
    Fingerprints withImageInput(String input) {
        return new Fingerprints(new FieldDigest().text(image).text(input).hex(), layers, racy, newest);
    }

    /**
     * Git's rule: a source stamped at or after the state file's own mtime may change again within that tick and keep
     * its stamps.
     *
     * @param stateWritten the state file's mtime, read back after writing it
     * @return these fingerprints with every layer also racy whose {@link #newest} source stamp is not strictly older
     *     than {@code stateWritten}
     */
    Fingerprints racyAsOf(Instant stateWritten) {
        List<Boolean> racyNow = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            racyNow.add(racy.get(i) || (newest.get(i) != null && !newest.get(i).isBefore(stateWritten)));
        }
        return new Fingerprints(image, layers, racyNow, newest);
    }

    /**
     * @param pluginVersion the version of the plugin that builds the image
     * @param plannedAt when the planning started, in milliseconds since the epoch, before any source was stamped
     * @return the fingerprints of the image and of each of its layers
     */
    static Fingerprints of(ImagePlan plan, String pluginVersion, long plannedAt) throws IOException {
        long[] code = codeStamp();
        FieldDigest image = settings(new FieldDigest(), plan, pluginVersion, code);
        image.text(plan.image()).texts(plan.tags());
        Platform platform = plan.platform();
        image.text(platform.os()).text(platform.architecture()).text(platform.variant());
        ContainerConfig config = plan.config();
        image.text(config.user()).texts(config.exposedPorts()).map(config.environment()).texts(config.entrypoint())
                .texts(config.cmd()).texts(config.volumes()).text(config.workingDirectory()).map(config.labels())
                .text(config.stopSignal());
        image.map(plan.annotations()).number(plan.layers().size());
        List<String> layers = new ArrayList<>();
        List<Boolean> racy = new ArrayList<>();
        List<Instant> newest = new ArrayList<>();
        for (ImageLayer layer : plan.layers()) {
            FieldDigest sha = settings(new FieldDigest(), plan, pluginVersion, code);
            boolean recent = false;
            Instant latest = null;
            for (LayerEntry entry : layer.entries()) {
                FileStamp stamp = entry instanceof RegularFileEntry file ? stampOf(file) : null;
                if (stamp != null) {
                    recent |= stamp.changedSince(plannedAt - RACY_MILLIS);
                    Instant time = stamp.newest();
                    latest = latest == null || time.isAfter(latest) ? time : latest;
                }
                describe(entry, stamp, sha);
            }
            racy.add(recent);
            newest.add(latest);
            String fingerprint = sha.hex();
            layers.add(fingerprint);
            image.text(layer.name()).text(fingerprint);
        }
        return new Fingerprints(image.hex(), layers, racy, newest);
    }

    /**
     * @return the fingerprint of what reaches every layer's bytes (the plugin, the tar mtimes and the codec): a build
     *     whose value differs from the last one's rewrote every layer for that reason ({@link LayerReasons})
     */
    static String settingsOf(ImagePlan plan, String pluginVersion) {
        return settings(new FieldDigest(), plan, pluginVersion, codeStamp()).hex();
    }

    /**
     * @return the fingerprint of a layer's listing: its entries, their attributes and sources, not the sources' stamps;
     *     a layer whose value differs from the last one's changed by its declarations ({@link LayerReasons})
     */
    static String listingOf(ImageLayer layer) {
        FieldDigest sha = new FieldDigest();
        for (LayerEntry entry : layer.entries()) {
            sha.text(entry.getClass().getSimpleName()).text(entry.path()).number(entry.mode()).number(entry.uid())
                    .number(entry.gid());
            if (entry instanceof SymlinkEntry link) {
                sha.text(link.target());
            } else if (entry instanceof RegularFileEntry file) {
                sha.text(file.source().toAbsolutePath().toString()).number(file.followLinks() ? 1 : 0);
            }
        }
        return sha.hex();
    }

    /** What reaches every layer's bytes: the plugin, the tar mtimes and the codec. */
    private static FieldDigest settings(FieldDigest sha, ImagePlan plan, String pluginVersion, long[] code) {
        return sha.text("scratch").text(pluginVersion).number(code[0]).number(code[1])
                .number(plan.created().getEpochSecond()).number(plan.created().getNano())
                .text(plan.compression().name()).number(plan.compressionLevel());
    }

    /**
     * The size and mtime of the plugin's own jar: a SNAPSHOT rebuilt under the same version may write other bytes,
     * so its new jar must not find the layers and states of the old one. One stat.
     *
     * @return the size and the mtime in milliseconds, both -1 if the code has no file
     */
    static long[] codeStamp() {
        try {
            java.security.CodeSource source = Fingerprints.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return UNKNOWN_CODE;
            }
            BasicFileAttributes code = Files.readAttributes(Path.of(source.getLocation().toURI()),
                    BasicFileAttributes.class);
            return new long[] {code.size(), code.lastModifiedTime().toMillis()};
        } catch (IOException | java.net.URISyntaxException | IllegalArgumentException
                | java.nio.file.FileSystemNotFoundException | SecurityException e) {
            // Unknown: the version alone decides, as before.
            return UNKNOWN_CODE;
        }
    }

    /** @param stamp the stamp of a regular file's source, {@code null} for other entries */
    private static void describe(LayerEntry entry, FileStamp stamp, FieldDigest sha) {
        sha.text(entry.getClass().getSimpleName()).text(entry.path()).number(entry.mode()).number(entry.uid())
                .number(entry.gid());
        if (entry instanceof SymlinkEntry link) {
            sha.text(link.target());
        } else if (entry instanceof RegularFileEntry file) {
            sha.text(file.source().toAbsolutePath().toString()).number(file.followLinks() ? 1 : 0)
                    .number(stamp.size()).number(stamp.mtimeSeconds()).number(stamp.mtimeNanos())
                    .number(stamp.ctimeSeconds()).number(stamp.ctimeNanos()).number(stamp.inode())
                    .number(stamp.device());
        } else if (entry instanceof GeneratedFileEntry generated) {
            // The content itself: a package upgraded on the host changes the status paragraph it was made from.
            sha.bytes(generated.content());
        } else if (!(entry instanceof DirectoryEntry)) {
            throw new IllegalStateException("unknown entry " + entry);
        }
    }

    /** What git's index records of a source to notice a change: size, mtime, ctime, inode and device. */
    private static FileStamp stampOf(RegularFileEntry file) throws IOException {
        // Stamped when the plan was made: no second stat per file.
        return file.stamp() != null ? file.stamp() : FileStamp.read(file.source(), file.followLinks());
    }
}
