package org.scratchimage.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.scratchimage.core.image.FileDigest;
import org.scratchimage.core.oci.AtomicFile;

/**
 * The checksums of the regular files of each layer of the last build, in {@code .<name>.scratch-files} beside the
 * layout: a build that reuses a layer lists its files in the SBOM from here, and opens none of them.
 *
 * <p>Keyed by the layer's diff_id, the hash of the very tar the checksums were taken from: an entry can never be stale,
 * only missing (a state of a build without SBOM), and a layer whose entry is missing is written again. The file is
 * written atomically before the state that names the layers, and read only by a build that reuses a layer.
 *
 * <p>The format: a first line {@value #HEADER}, then per layer {@code layer <diff_id> <count>} and one line per file,
 * {@code <sha1> <sha256> <path>}, the path with {@code \\}, newline and carriage return escaped.
 */
final class LayerFiles {
    static final String HEADER = "scratch-files 1";
    private static final Pattern LINE = Pattern.compile("[a-f0-9]{40} [a-f0-9]{64} .+");

    private LayerFiles() {}

    /** @return the recorded layers' files, by diff_id; empty if there is no record or it cannot be read */
    static Map<String, List<FileDigest>> read(Path layout) throws IOException {
        Map<String, List<FileDigest>> layers = new HashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file(layout), StandardCharsets.UTF_8)) {
            if (!HEADER.equals(in.readLine())) {
                return Map.of();
            }
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] layer = line.split(" ", -1);
                if (layer.length != 3 || !layer[0].equals("layer") || !layer[1].matches("sha256:[a-f0-9]{64}")) {
                    return Map.of();
                }
                int count = Integer.parseInt(layer[2]);
                List<FileDigest> files = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    String file = in.readLine();
                    if (file == null || !LINE.matcher(file).matches()) {
                        return Map.of();
                    }
                    files.add(new FileDigest(unescape(file.substring(106)), file.substring(0, 40),
                            file.substring(41, 105)));
                }
                layers.put(layer[1], List.copyOf(files));
            }
        } catch (FileSystemException | CharacterCodingException | NumberFormatException e) {
            // None, or not what this plugin writes: the layers are written again, which records them anew.
            return Map.of();
        }
        return layers;
    }

    /**
     * Replaces the record with the files of {@code layers}, atomically.
     *
     * @param layers the files of each layer of the build, by diff_id
     */
    static void write(Path layout, Map<String, List<FileDigest>> layers) throws IOException {
        int files = layers.values().stream().mapToInt(List::size).sum();
        // About 160 bytes a file with its path (two checksums, 106 bytes): one string built and encoded once.
        StringBuilder text = new StringBuilder(files * 160 + 256).append(HEADER).append('\n');
        for (Map.Entry<String, List<FileDigest>> layer : layers.entrySet()) {
            text.append("layer ").append(layer.getKey()).append(' ').append(layer.getValue().size()).append('\n');
            for (FileDigest digest : layer.getValue()) {
                text.append(digest.sha1()).append(' ').append(digest.sha256()).append(' ')
                        .append(escape(digest.path())).append('\n');
            }
        }
        AtomicFile.replace(file(layout), text);
    }

    static Path file(Path layout) {
        Path dir = layout.toAbsolutePath().normalize();
        return dir.resolveSibling("." + dir.getFileName() + ".scratch-files");
    }

    private static String escape(String path) {
        return path.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }

    private static String unescape(String text) {
        StringBuilder path = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                path.append(next == 'n' ? '\n' : next == 'r' ? '\r' : next);
            } else {
                path.append(c);
            }
        }
        return path.toString();
    }
}
