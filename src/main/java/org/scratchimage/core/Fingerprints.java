package org.scratchimage.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.scratchimage.core.compress.DigestingOutputStream;
import org.scratchimage.core.image.DirectoryEntry;
import org.scratchimage.core.image.FileStamp;
import org.scratchimage.core.image.ImageLayer;
import org.scratchimage.core.image.ImagePlan;
import org.scratchimage.core.image.LayerEntry;
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
 * <p>A layer's fingerprint covers the settings that reach its bytes and its entries, so that a layer whose
 * fingerprint did not change since the last build can be taken from the layout as it is ({@link BuildState}).
 *
 * @param image the fingerprint of everything the image is built from
 * @param layers the fingerprint of each layer of the plan, in order
 * @param racy for each layer, whether one of its sources changed too close to the planning to be trusted
 */
record Fingerprints(String image, List<String> layers, List<Boolean> racy) {

    /**
     * How close to the planning a source may have changed and still be trusted by its stamp. A file system stamps
     * times from a clock that ticks every few milliseconds (a jiffy); a file rewritten twice within one tick, once
     * before it was stamped and once after, keeps its mtime and ctime. As git does with "racily clean" entries,
     * a layer holding a source changed that recently is written but not recorded as reusable, and the image not as
     * up to date: the next build looks again, when the tick has long passed.
     */
    static final long RACY_MILLIS = 100;

    /** @return whether some layer is racy, so that the image must not be recorded as up to date */
    boolean anyRacy() {
        return racy.contains(Boolean.TRUE);
    }

    /**
     * @param pluginVersion the version of the plugin that builds the image
     * @param plannedAt when the planning started, in milliseconds since the epoch, before any source was stamped
     * @return the fingerprints of the image and of each of its layers
     */
    static Fingerprints of(ImagePlan plan, String pluginVersion, long plannedAt) throws IOException {
        // What reaches every layer's bytes: the tar mtimes and the codec.
        String layerSettings = "scratch " + pluginVersion + ' ' + codeStamp() + '\n' + plan.created() + '\n'
                + plan.compression() + ' ' + plan.compressionLevel() + '\n';
        MessageDigest image = DigestingOutputStream.newSha256();
        update(image, layerSettings + plan.image() + '\n' + plan.tags() + '\n' + plan.platform() + '\n'
                + plan.config() + '\n' + plan.annotations() + '\n');
        List<String> layers = new ArrayList<>();
        List<Boolean> racy = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (ImageLayer layer : plan.layers()) {
            MessageDigest sha = DigestingOutputStream.newSha256();
            update(sha, layerSettings);
            boolean recent = false;
            for (LayerEntry entry : layer.entries()) {
                text.setLength(0);
                FileStamp stamp = entry instanceof RegularFileEntry file ? stampOf(file) : null;
                recent |= stamp != null && stamp.changedSince(plannedAt - RACY_MILLIS);
                describe(entry, stamp, text);
                update(sha, text);
            }
            racy.add(recent);
            String fingerprint = HexFormat.of().formatHex(sha.digest());
            layers.add(fingerprint);
            update(image, "layer " + layer.name() + ' ' + fingerprint + '\n');
        }
        return new Fingerprints(HexFormat.of().formatHex(image.digest()), layers, racy);
    }

    /**
     * The size and mtime of the plugin's own jar: a SNAPSHOT rebuilt under the same version may write other bytes,
     * so its new jar must not find the layers and states of the old one. One stat; empty if the code has no file.
     */
    private static String codeStamp() {
        try {
            java.security.CodeSource source = Fingerprints.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return "";
            }
            BasicFileAttributes code = Files.readAttributes(Path.of(source.getLocation().toURI()),
                    BasicFileAttributes.class);
            return code.size() + "@" + code.lastModifiedTime().toMillis();
        } catch (IOException | java.net.URISyntaxException | IllegalArgumentException
                | java.nio.file.FileSystemNotFoundException | SecurityException e) {
            // Unknown: the version alone decides, as before.
            return "";
        }
    }

    /** @param stamp the stamp of a regular file's source, {@code null} for other entries */
    private static void describe(LayerEntry entry, FileStamp stamp, StringBuilder text) {
        text.append(entry.getClass().getSimpleName()).append(' ').append(entry.path()).append(' ')
                .append(Integer.toOctalString(entry.mode())).append(' ').append(entry.uid()).append(':')
                .append(entry.gid());
        if (entry instanceof SymlinkEntry link) {
            text.append(" -> ").append(link.target());
        } else if (entry instanceof RegularFileEntry file) {
            text.append(" < ").append(file.source().toAbsolutePath()).append(' ').append(stamp.describe());
        } else if (!(entry instanceof DirectoryEntry)) {
            throw new IllegalStateException("unknown entry " + entry);
        }
        text.append('\n');
    }

    /** What git's index records of a source to notice a change: size, mtime, ctime, inode and device. */
    private static FileStamp stampOf(RegularFileEntry file) throws IOException {
        // Stamped when the plan was made: no second stat per file.
        return file.stamp() != null ? file.stamp() : FileStamp.read(file.source(), file.followLinks());
    }

    private static void update(MessageDigest sha, CharSequence text) {
        sha.update(text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
