package org.scratchimage.testing.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.scratchimage.core.BuildRequest;
import org.scratchimage.core.BuildResult;
import org.scratchimage.core.FileSpec;
import org.scratchimage.core.ImageBuilder;
import org.scratchimage.core.InvalidConfigurationException;

/** A tiny image (one file, one layer, linux/amd64, tag {@code 1.0}) built by our own ImageBuilder. */
public final class TinyImage {
    private TinyImage() {}

    /**
     * Builds the image into {@code directory/target/oci}.
     *
     * @param content the text of {@code /etc/app.conf}; a different text makes a different layer
     * @return what the builder made; the layout is {@code directory/target/oci} and its image is tagged {@code 1.0}
     */
    public static BuildResult build(Path directory, String content) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("app.conf"), content);
        BuildRequest request = BuildRequest.builder()
                .baseDirectory(directory)
                .outputDirectory(layout(directory))
                .image("myapp")
                .tags(List.of("1.0"))
                .platform("linux/amd64")
                .hostArchitecture("amd64")
                .addFile(FileSpec.builder().source("app.conf").path("/etc/app.conf").build())
                .build();
        try {
            return new ImageBuilder(line -> {}).build(request);
        } catch (InvalidConfigurationException e) {
            throw new IllegalStateException("the tiny image's request is invalid: " + e.getMessage(), e);
        }
    }

    /** @return the OCI layout the image is built into */
    public static Path layout(Path directory) {
        return directory.resolve("target/oci");
    }

    /** @return skopeo's name of the image, {@code oci:LAYOUT:1.0} */
    public static String skopeoSource(Path directory) {
        return "oci:" + layout(directory) + ":1.0";
    }
}
