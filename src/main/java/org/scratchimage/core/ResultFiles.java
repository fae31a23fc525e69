package org.scratchimage.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.scratchimage.core.oci.ImageMetadata;

/**
 * The build's result files in {@code ${project.build.directory}}: {@code scratch-image.digest} (the digest the tags
 * name, the manifest's or, with {@code <platforms>}, the image index's, and a newline) and {@code scratch-image.json} ({@link ImageMetadata}), for the CI steps after the build. Each is
 * replaced atomically, and only when its bytes change; the references a push recorded of the same manifest are
 * kept.
 */
final class ResultFiles {
    private ResultFiles() {}

    /** @return whether both files already hold what {@link #write} would write; also when there are none to write */
    static boolean current(Path directory, BuildResult result) throws IOException {
        if (directory == null) {
            return true;
        }
        ImageMetadata metadata = metadata(result);
        byte[] digest = ImageMetadata.bytesOf(directory.resolve(ImageMetadata.DIGEST_FILE_NAME));
        byte[] json = ImageMetadata.bytesOf(directory.resolve(ImageMetadata.FILE_NAME));
        return digest != null && json != null && Arrays.equals(digest, metadata.digestFile())
                && Arrays.equals(json, metadata.afterBuild(ImageMetadata.parse(json)).toJson());
    }

    /**
     * Writes both files, unless they hold their bytes already. The caller holds the layout's lock, which a push
     * holds while it adds to {@code scratch-image.json}.
     *
     * @param directory where, or {@code null} for nowhere
     */
    static void write(Path directory, BuildResult result, BuildListener listener) throws IOException {
        if (directory == null) {
            return;
        }
        ImageMetadata metadata = metadata(result);
        Path digestFile = directory.resolve(ImageMetadata.DIGEST_FILE_NAME);
        if (!Arrays.equals(ImageMetadata.bytesOf(digestFile), metadata.digestFile())) {
            metadata.writeDigest(digestFile);
            listener.debug("Wrote " + digestFile);
        }
        Path jsonFile = directory.resolve(ImageMetadata.FILE_NAME);
        byte[] json = ImageMetadata.bytesOf(jsonFile);
        Optional<ImageMetadata> previous = json == null ? Optional.empty() : ImageMetadata.parse(json);
        byte[] updated = metadata.afterBuild(previous).toJson();
        if (!Arrays.equals(json, updated)) {
            metadata.afterBuild(previous).write(jsonFile);
            listener.debug("Wrote " + jsonFile);
        }
    }

    private static ImageMetadata metadata(BuildResult result) {
        String archive = result.archive() == null ? null : result.archive().toString();
        if (result.index() == null) {
            return new ImageMetadata(result.plan().image(), result.plan().tags(), result.manifestDigest(),
                    result.plan().platform().toString(), layers(result.image()), archive, List.of());
        }
        List<ImageMetadata.Manifest> manifests = new ArrayList<>();
        for (BuildResult.Image image : result.images()) {
            manifests.add(new ImageMetadata.Manifest(image.plan().platform().toString(), image.manifestDigest(),
                    layers(image)));
        }
        return new ImageMetadata(result.plan().image(), result.plan().tags(), result.digest(), null, List.of(),
                manifests, archive, List.of());
    }

    private static List<ImageMetadata.Layer> layers(BuildResult.Image image) {
        List<ImageMetadata.Layer> layers = new ArrayList<>();
        for (BuildResult.Layer layer : image.layers()) {
            layers.add(new ImageMetadata.Layer(layer.name(), layer.digest(), layer.size(), layer.diffId()));
        }
        return layers;
    }
}
