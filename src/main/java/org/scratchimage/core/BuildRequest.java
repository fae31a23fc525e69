package org.scratchimage.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.scratchimage.core.sbom.MavenCoordinates;

/**
 * Everything one image build needs, as the user configured it. Nothing here is validated yet: {@link
 * ImageBuilder} validates it once, before it writes anything. Make one with {@link #builder()}, where every value
 * is named; a record's constructor cannot be hidden, but its twenty positional arguments invite swapped values.
 *
 * @param baseDirectory the project base directory; relative sources resolve against it
 * @param outputDirectory where the OCI image layout is written
 * @param image the image name, e.g. {@code myapp} or {@code registry.example.org/team/myapp}
 * @param tags the tags as the user listed them; empty means {@code defaultTag}
 * @param defaultTag the tag when {@code tags} is empty: the project version, or {@code null} for none
 * @param platform {@code os/arch[/variant]}, or {@code null} for the host's
 * @param outputTimestamp the build timestamp in the forms of {@code project.build.outputTimestamp}, or {@code null}
 * @param sourceDateEpoch the {@code SOURCE_DATE_EPOCH} environment variable, or {@code null}
 * @param compression {@code gzip}, {@code zstd} or {@code none}
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
 * @param archiveFile where to write the image also as one tar that {@code docker load} and {@code podman load} take,
 *     or {@code null} for none; relative to {@code baseDirectory}
 * @param resultDirectory where to write {@code scratch-image.digest} and {@code scratch-image.json}, or {@code null}
 *     for neither
 * @param sbomFile where to write the image's SPDX SBOM, also put in the layout as a referrer of the image, or
 *     {@code null} for no SBOM; relative to {@code baseDirectory}
 * @param project the Maven project, whose package in the SBOM holds the files no Debian package owns; required with
 *     {@code sbomFile}
 * @param packageMetadata whether to add the package metadata of the Debian packages that own the image's files
 *     ({@code <packageMetadata>}); off unless set
 * @param accounts the accounts of the generated {@code /etc/passwd} and {@code /etc/group}; empty for no such files
 * @param accountsLayer the layer of the generated files and the homes, {@code null} for {@code app}
 * @param caCertificates whether to copy the sysroot's CA bundle into the image and point {@code SSL_CERT_FILE} at it
 * @param platforms the platforms of a multi-platform build, each with its sysroot, in the order of the image index;
 *     empty for a single-platform build ({@code platform} and {@code sysroot})
 * @param java a Java application to lay out with a jlink runtime ({@code <java>}), or {@code null} for none
 */
public record BuildRequest(
        Path baseDirectory,
        Path outputDirectory,
        String image,
        List<String> tags,
        String defaultTag,
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
        List<String> layers,
        Path archiveFile,
        Path resultDirectory,
        Path sbomFile,
        MavenCoordinates project,
        boolean packageMetadata,
        List<AccountSpec> accounts,
        String accountsLayer,
        boolean caCertificates,
        List<PlatformSpec> platforms,
        JavaSpec java) {

    public BuildRequest {
        platforms = Copies.list(platforms);
        accounts = Copies.list(accounts);
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

    /** @return a builder with nothing set */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this request's values, to change some of them */
    public Builder toBuilder() {
        return builder().baseDirectory(baseDirectory).outputDirectory(outputDirectory).image(image).tags(tags)
                .defaultTag(defaultTag).platform(platform).outputTimestamp(outputTimestamp)
                .sourceDateEpoch(sourceDateEpoch).compression(compression).binaries(binaries).files(files)
                .directories(directories).symlinks(symlinks).container(container).annotations(annotations)
                .hostArchitecture(hostArchitecture).libraries(libraries).sysroot(sysroot)
                .compressionLevel(compressionLevel).layers(layers).archiveFile(archiveFile)
                .resultDirectory(resultDirectory).sbomFile(sbomFile).project(project)
                .packageMetadata(packageMetadata).accounts(accounts).accountsLayer(accountsLayer)
                .caCertificates(caCertificates).platforms(platforms).java(java);
    }

    /**
     * Named setters for a {@link BuildRequest}. What is not set stays {@code null}, so that validation quotes what
     * the user wrote; the request turns unset lists and maps into empty ones, and an unset container into
     * {@link ContainerSpec#empty()}. Lists keep {@code null} elements: an empty {@code <binary/>} arrives as one.
     */
    public static final class Builder {
        private Path baseDirectory;
        private Path outputDirectory;
        private String image;
        private List<String> tags;
        private String defaultTag;
        private String platform;
        private List<PlatformSpec> platforms;
        private String outputTimestamp;
        private String sourceDateEpoch;
        private String compression;
        private List<BinarySpec> binaries;
        private List<FileSpec> files;
        private List<DirectorySpec> directories;
        private List<SymlinkSpec> symlinks;
        private ContainerSpec container;
        private Map<String, String> annotations;
        private String hostArchitecture;
        private List<String> libraries;
        private String sysroot;
        private String compressionLevel;
        private List<String> layers;
        private Path archiveFile;
        private Path resultDirectory;
        private Path sbomFile;
        private MavenCoordinates project;
        private boolean packageMetadata;
        private List<AccountSpec> accounts;
        private String accountsLayer;
        private boolean caCertificates;
        private JavaSpec java;

        private Builder() {}

        /** @param baseDirectory the project base directory, against which relative sources resolve */
        public Builder baseDirectory(Path baseDirectory) {
            this.baseDirectory = baseDirectory;
            return this;
        }

        /** @param outputDirectory where the OCI image layout is written */
        public Builder outputDirectory(Path outputDirectory) {
            this.outputDirectory = outputDirectory;
            return this;
        }

        /** @param image the image name, without a tag */
        public Builder image(String image) {
            this.image = image;
            return this;
        }

        /** @param tags the tags as listed; empty or {@code null} means the default tag */
        public Builder tags(List<String> tags) {
            this.tags = tags;
            return this;
        }

        /** @param defaultTag the project version, the tag when no tags are listed */
        public Builder defaultTag(String defaultTag) {
            this.defaultTag = defaultTag;
            return this;
        }

        /** @param platform {@code os/arch[/variant]} */
        public Builder platform(String platform) {
            this.platform = platform;
            return this;
        }

        /** @param outputTimestamp the build timestamp, as {@code project.build.outputTimestamp} takes it */
        public Builder outputTimestamp(String outputTimestamp) {
            this.outputTimestamp = outputTimestamp;
            return this;
        }

        /** @param sourceDateEpoch the {@code SOURCE_DATE_EPOCH} environment variable */
        public Builder sourceDateEpoch(String sourceDateEpoch) {
            this.sourceDateEpoch = sourceDateEpoch;
            return this;
        }

        /** @param compression the layers' compression: {@code gzip}, {@code zstd} or {@code none} */
        public Builder compression(String compression) {
            this.compression = compression;
            return this;
        }

        /** @param binaries executables to copy, replacing those set before */
        public Builder binaries(List<BinarySpec> binaries) {
            this.binaries = binaries == null ? null : new ArrayList<>(binaries);
            return this;
        }

        /** @param binary one more executable to copy */
        public Builder addBinary(BinarySpec binary) {
            binaries = added(binaries, binary);
            return this;
        }

        /** @param files other files to copy, replacing those set before */
        public Builder files(List<FileSpec> files) {
            this.files = files == null ? null : new ArrayList<>(files);
            return this;
        }

        /** @param file one more file to copy */
        public Builder addFile(FileSpec file) {
            files = added(files, file);
            return this;
        }

        /** @param directories empty directories and host trees, replacing those set before */
        public Builder directories(List<DirectorySpec> directories) {
            this.directories = directories == null ? null : new ArrayList<>(directories);
            return this;
        }

        /** @param directory one more empty directory or host tree */
        public Builder addDirectory(DirectorySpec directory) {
            directories = added(directories, directory);
            return this;
        }

        /** @param symlinks symbolic links to create, replacing those set before */
        public Builder symlinks(List<SymlinkSpec> symlinks) {
            this.symlinks = symlinks == null ? null : new ArrayList<>(symlinks);
            return this;
        }

        /** @param symlink one more symbolic link */
        public Builder addSymlink(SymlinkSpec symlink) {
            symlinks = added(symlinks, symlink);
            return this;
        }

        /** @param container the runtime configuration */
        public Builder container(ContainerSpec container) {
            this.container = container;
            return this;
        }

        /** @param annotations annotations of the manifest */
        public Builder annotations(Map<String, String> annotations) {
            this.annotations = annotations;
            return this;
        }

        /** @param hostArchitecture the JVM's {@code os.arch} */
        public Builder hostArchitecture(String hostArchitecture) {
            this.hostArchitecture = hostArchitecture;
            return this;
        }

        /** @param libraries extra shared libraries, by soname or absolute path in the sysroot */
        public Builder libraries(List<String> libraries) {
            this.libraries = libraries;
            return this;
        }

        /** @param sysroot where shared libraries are looked up */
        public Builder sysroot(String sysroot) {
            this.sysroot = sysroot;
            return this;
        }

        /** @param compressionLevel the level of the compression */
        public Builder compressionLevel(String compressionLevel) {
            this.compressionLevel = compressionLevel;
            return this;
        }

        /** @param layers the order of the layers, bottom first */
        public Builder layers(List<String> layers) {
            this.layers = layers;
            return this;
        }

        /** @param archiveFile where to write the image as one tar, or {@code null} for no archive */
        public Builder archiveFile(Path archiveFile) {
            this.archiveFile = archiveFile;
            return this;
        }

        /** @param packageMetadata whether to add the package metadata; off unless set */
        public Builder packageMetadata(boolean packageMetadata) {
            this.packageMetadata = packageMetadata;
            return this;
        }

        /** @param resultDirectory where to write the result files, or {@code null} for none */
        public Builder resultDirectory(Path resultDirectory) {
            this.resultDirectory = resultDirectory;
            return this;
        }

        /** @param accounts the accounts of the generated /etc/passwd and /etc/group, replacing those set before */
        public Builder accounts(List<AccountSpec> accounts) {
            this.accounts = accounts == null ? null : new ArrayList<>(accounts);
            return this;
        }

        /** @param account one more account */
        public Builder addAccount(AccountSpec account) {
            accounts = added(accounts, account);
            return this;
        }

        /** @param accountsLayer the layer of the generated account files and the homes */
        public Builder accountsLayer(String accountsLayer) {
            this.accountsLayer = accountsLayer;
            return this;
        }

        /** @param caCertificates whether to copy the sysroot's CA bundle and set {@code SSL_CERT_FILE} */
        public Builder caCertificates(boolean caCertificates) {
            this.caCertificates = caCertificates;
            return this;
        }

        /** @param platforms the platforms of a multi-platform build, replacing those set before */
        public Builder platforms(List<PlatformSpec> platforms) {
            this.platforms = platforms == null ? null : new ArrayList<>(platforms);
            return this;
        }

        /** @param platform one more platform of a multi-platform build */
        public Builder addPlatform(PlatformSpec platform) {
            platforms = added(platforms, platform);
            return this;
        }

        /** @param java a Java application to lay out with a jlink runtime, or {@code null} for none */
        public Builder java(JavaSpec java) {
            this.java = java;
            return this;
        }

        /** @param sbomFile where to write the SPDX SBOM of the image, or {@code null} for no SBOM */
        public Builder sbomFile(Path sbomFile) {
            this.sbomFile = sbomFile;
            return this;
        }

        /** @param project the Maven project that builds the image, for the SBOM */
        public Builder project(MavenCoordinates project) {
            this.project = project;
            return this;
        }

        /** @return the request; it copies the lists, so this builder can go on */
        public BuildRequest build() {
            return new BuildRequest(baseDirectory, outputDirectory, image, tags, defaultTag, platform, outputTimestamp,
                    sourceDateEpoch, compression, binaries, files, directories, symlinks, container, annotations,
                    hostArchitecture, libraries, sysroot, compressionLevel, layers, archiveFile, resultDirectory,
                    sbomFile, project, packageMetadata, accounts, accountsLayer, caCertificates, platforms, java);
        }

        private static <T> List<T> added(List<T> list, T element) {
            List<T> result = list == null ? new ArrayList<>() : list;
            result.add(element);
            return result;
        }
    }
}
