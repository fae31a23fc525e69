package org.scratchimage.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything one image build needs, as the user configured it. Nothing here is validated yet: {@link
 * ImageBuilder} validates it once, before it writes anything.
 *
 * @param baseDirectory the project base directory; relative sources resolve against it
 * @param outputDirectory where the OCI image layout is written
 * @param image the image name, e.g. {@code myapp} or {@code registry.example.org/team/myapp}
 * @param tags the tags, at least one
 * @param platform {@code os/arch[/variant]}, or {@code null} for the host's
 * @param outputTimestamp the build timestamp in the forms of {@code project.build.outputTimestamp}, or {@code null}
 * @param sourceDateEpoch the {@code SOURCE_DATE_EPOCH} environment variable, or {@code null}
 * @param compression {@code gzip} or {@code none}
 * @param binaries executables to copy
 * @param files other files to copy
 * @param directories empty directories and host trees to copy
 * @param symlinks symbolic links to create
 * @param container the runtime configuration
 * @param annotations annotations of the manifest
 * @param hostArchitecture the JVM's {@code os.arch}, used when {@code platform} is not set and no program tells
 * @param libraries extra shared libraries, by soname or absolute path in the sysroot, each with its closure
 * @param sysroot where shared libraries are looked up, {@code null} for {@code /}; relative to {@code baseDirectory}
 * @param compressionLevel the level of {@code compression}, or {@code null} for the codec's default
 * @param layers the order of the layers, bottom first, or empty for the default order
 */
public record BuildRequest(
        Path baseDirectory,
        Path outputDirectory,
        String image,
        List<String> tags,
        String platform,
        String outputTimestamp,
        String sourceDateEpoch,
        String compression,
        List<BinarySpec> binaries,
        List<FileSpec> files,
        List<DirectorySpec> directories,
        List<SymlinkSpec> symlinks,
        ContainerSpec container,
        Map<String, String> annotations,
        String hostArchitecture,
        List<String> libraries,
        String sysroot,
        String compressionLevel,
        List<String> layers) {

    public BuildRequest {
        layers = Copies.list(layers);
        libraries = Copies.list(libraries);
        tags = Copies.list(tags);
        binaries = Copies.list(binaries);
        files = Copies.list(files);
        directories = Copies.list(directories);
        symlinks = Copies.list(symlinks);
        container = container == null ? ContainerSpec.empty() : container;
        annotations = Copies.map(annotations);
    }

    /** A request with the layers in their default order. */
    public BuildRequest(Path baseDirectory, Path outputDirectory, String image, List<String> tags, String platform,
            String outputTimestamp, String sourceDateEpoch, String compression, List<BinarySpec> binaries,
            List<FileSpec> files, List<DirectorySpec> directories, List<SymlinkSpec> symlinks, ContainerSpec container,
            Map<String, String> annotations, String hostArchitecture, List<String> libraries, String sysroot,
            String compressionLevel) {
        this(baseDirectory, outputDirectory, image, tags, platform, outputTimestamp, sourceDateEpoch, compression,
                binaries, files, directories, symlinks, container, annotations, hostArchitecture, libraries, sysroot,
                compressionLevel, null);
    }

    /** A request with no extra libraries, resolving in the host's root. */
    public BuildRequest(Path baseDirectory, Path outputDirectory, String image, List<String> tags, String platform,
            String outputTimestamp, String sourceDateEpoch, String compression, List<BinarySpec> binaries,
            List<FileSpec> files, List<DirectorySpec> directories, List<SymlinkSpec> symlinks, ContainerSpec container,
            Map<String, String> annotations, String hostArchitecture) {
        this(baseDirectory, outputDirectory, image, tags, platform, outputTimestamp, sourceDateEpoch, compression,
                binaries, files, directories, symlinks, container, annotations, hostArchitecture, null, null, null, null);
    }
}
