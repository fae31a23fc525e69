package org.scratchimage.core.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.scratchimage.core.BinarySpec;
import org.scratchimage.core.BuildRequest;
import org.scratchimage.core.BuildResult;
import org.scratchimage.core.ContainerSpec;
import org.scratchimage.core.ImageBuilder;
import org.scratchimage.core.InvalidConfigurationException;
import org.scratchimage.core.tar.ExternalTools;

/**
 * A real image to archive: the host's static busybox as {@code /bin/busybox}, whose entrypoint prints
 * {@link #GREETING}, built by {@link ImageBuilder} into {@code PROJECT/target/oci}.
 *
 * <p>Also a program ({@link #main}) that builds it and writes its archive, for a build in another JVM, umask or
 * JDK.
 */
final class ArchiveFixtures {
    static final String GREETING = "hello from the archive";
    /** 2023-11-14T22:13:20Z: the image's timestamp, and so the archive's mtime. */
    static final long TIMESTAMP = 1_700_000_000L;

    private ArchiveFixtures() {}

    /** @return the host's static busybox; fails under CI when it is missing */
    static Path busybox() throws IOException {
        return ExternalTools.require("busybox").toRealPath();
    }

    /**
     * Builds the image in {@code project}.
     *
     * @param compression {@code gzip}, {@code zstd} or {@code none}
     */
    static BuildResult build(Path project, Path busybox, String image, List<String> tags, String compression)
            throws IOException, InvalidConfigurationException {
        Files.createDirectories(project);
        Files.copy(busybox, project.resolve("busybox"), StandardCopyOption.REPLACE_EXISTING);
        BuildRequest request = BuildRequest.builder()
                .baseDirectory(project)
                .outputDirectory(project.resolve("target/oci"))
                .image(image)
                .tags(tags)
                .hostArchitecture(System.getProperty("os.arch"))
                .outputTimestamp(Long.toString(TIMESTAMP))
                .compression(compression)
                .addBinary(BinarySpec.builder().source("busybox").path("/bin/busybox").build())
                .container(ContainerSpec.builder().entrypoint(List.of("/bin/busybox", "echo", GREETING)).build())
                .build();
        return new ImageBuilder(line -> {}).build(request);
    }

    /** Builds {@code myapp:1.0} and {@code myapp:latest}, gzip. */
    static BuildResult build(Path project, Path busybox) throws IOException, InvalidConfigurationException {
        return build(project, busybox, "myapp", List.of("1.0", "latest"), "gzip");
    }

    /** @return the layout of a project built here */
    static Path layout(Path project) {
        return project.resolve("target/oci");
    }

    /**
     * Builds the image of {@link #build(Path, Path)} in {@code args[0]} with the busybox at {@code args[1]} and writes
     * its archive to {@code args[2]}.
     */
    public static void main(String[] args) throws Exception {
        Path project = Path.of(args[0]);
        build(project, Path.of(args[1]));
        ImageArchive.write(layout(project), Path.of(args[2]), TIMESTAMP);
    }
}
