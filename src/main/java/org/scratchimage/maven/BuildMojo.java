package org.scratchimage.maven;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.inject.Inject;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.MavenProjectHelper;
import org.apache.maven.project.ProjectDependenciesResolver;
import org.scratchimage.core.AfterCommitException;
import org.scratchimage.core.BuildRequest;
import org.scratchimage.core.BuildResult;
import org.scratchimage.core.ContainerSpec;
import org.scratchimage.core.ImageBuilder;
import org.scratchimage.core.InvalidConfigurationException;
import org.scratchimage.core.image.Platform;
import org.scratchimage.core.sbom.MavenCoordinates;

/**
 * Builds a from-scratch container image from the declared binaries, files, directories and symbolic links,
 * and writes it as an OCI image layout. No Docker daemon, no network, no base image: the image holds what
 * is declared and nothing else, and the same configuration and input bytes always give the same digests.
 *
 * @since 0.1.0
 */
@Mojo(name = "build", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class BuildMojo extends AbstractScratchMojo {

    /** The project base directory, against which relative {@code <source>} paths resolve. */
    @Parameter(defaultValue = "${project.basedir}", readonly = true, required = true)
    private File basedir;

    /** The project version: the tag when {@code <tags>} is not set. */
    @Parameter(defaultValue = "${project.version}", readonly = true, required = true)
    private String projectVersion;

    /**
     * The image name, without a tag: {@code myapp}, {@code team/myapp} or {@code registry.example.org/team/myapp}.
     * Lowercase letters, digits and the separators {@code .}, {@code _}, {@code __}, {@code -} and {@code /}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "scratch.image", defaultValue = "${project.artifactId}", required = true)
    private String image;

    /**
     * The tags of the image; each becomes one entry of {@code index.json}. Default: the project version.
     * From the command line: {@code -Dscratch.tags=1.0,latest}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "scratch.tags")
    private List<String> tags;

    /**
     * The platform, {@code os/arch[/variant]} with Go's names: {@code linux/amd64}, {@code linux/arm64},
     * {@code linux/arm/v7}. Default: {@code linux/} and the architecture of the image's ELF programs (binaries and
     * files of copied trees), or, when there are none, of the JVM running Maven. Programs that contradict it fail
     * the build.
     *
     * @since 0.1.0
     */
    @Parameter(property = "scratch.platform")
    private String platform;

    /**
     * Builds one image per platform under one tag: an OCI image index that lists them, from which each runtime takes
     * its own. Each {@code <platform>} has a {@code <name>} ({@code os/arch[/variant]}, as {@code platform}) and a
     * {@code <sysroot>} (default {@code /}), the platform's root file system: absolute {@code <source>}s, shared
     * libraries, the package metadata and the CA bundle come from it; relative sources are the same for every
     * platform. A layer with the same content on several platforms is written and stored once. Not with
     * {@code platform} or {@code sysroot}. See docs/multi-platform.md.
     *
     * @since 0.1.0
     */
    @Parameter
    private List<ImagePlatform> platforms;

    /**
     * The timestamp of every file, of the config's {@code created} and of the {@code org.opencontainers.image.created}
     * annotation: seconds since the epoch, or ISO-8601 with an offset such as {@code 2023-11-14T22:13:20Z}. When it is
     * unset (or a single non-digit character) the {@code SOURCE_DATE_EPOCH} environment variable is used, else
     * 1970-01-01T00:00:01Z.
     *
     * @since 0.1.0
     */
    @Parameter(defaultValue = "${project.build.outputTimestamp}")
    private String outputTimestamp;

    /**
     * The compression of the layers: {@code gzip} (every runtime reads it), {@code zstd} (smaller and faster;
     * read by containerd, podman, skopeo and current Docker, not by older umoci and Docker versions) or {@code none}.
     *
     * @since 0.1.0
     */
    @Parameter(property = "scratch.compression", defaultValue = "gzip")
    private String compression;

    /**
     * The compression level: 1 to 9 for gzip (default 6), 1 to 19 for zstd (default 3). Not allowed with
     * {@code none}. The bytes of the layers depend on it, never on the number of threads that compress.
     *
     * @since 0.1.0
     */
    @Parameter(property = "scratch.compressionLevel")
    private String compressionLevel;

    /**
     * Executables copied from the host: {@code <binary><source>…</source><path>…</path></binary>}, mode 0755 unless
     * {@code <mode>} says otherwise; {@code <uid>} and {@code <gid>} default to 0.
     *
     * @since 0.1.0
     */
    @Parameter
    private List<ImageBinary> binaries;

    /**
     * Other files copied from the host: {@code <file><source>…</source><path>…</path></file>}, mode 0644 unless
     * {@code <mode>} says otherwise; {@code <uid>} and {@code <gid>} default to 0.
     *
     * @since 0.1.0
     */
    @Parameter
    private List<ImageFile> files;

    /**
     * Directories: {@code <directory><path>/tmp</path><mode>1777</mode></directory>} creates an empty one; with a
     * {@code <source>} a host tree is copied, filtered by Ant-style {@code <includes>} and {@code <excludes>}, with
     * {@code <fileMode>} and {@code <directoryMode>} to override the modes of what it holds.
     *
     * @since 0.1.0
     */
    @Parameter
    private List<ImageDirectory> directories;

    /**
     * Symbolic links: {@code <symlink><path>/bin/sh</path><target>busybox</target></symlink>}. The target is stored
     * exactly as written.
     *
     * @since 0.1.0
     */
    @Parameter
    private List<ImageSymlink> symlinks;

    /**
     * The program the container runs and its first arguments: {@code <entrypoint><arg>/bin/app</arg></entrypoint>}.
     *
     * @since 0.1.0
     */
    @Parameter
    private List<String> entrypoint;

    /**
     * Default arguments, appended to the entrypoint: {@code <cmd><arg>--help</arg></cmd>}.
     *
     * @since 0.1.0
     */
    @Parameter
    private List<String> cmd;

    /**
     * Environment variables: {@code <environment><PATH>/bin</PATH></environment>}. Written sorted by name.
     *
     * @since 0.1.0
     */
    @Parameter
    private Map<String, String> environment;

    /**
     * The working directory of the process, an absolute path.
     *
     * @since 0.1.0
     */
    @Parameter(property = "scratch.workingDirectory")
    private String workingDirectory;

    /**
     * The user the process runs as: {@code 65532}, {@code 65532:65532}, or a name that an {@code <account>} or the
     * image's own {@code /etc/passwd} defines. Ids go from 0 to 2147483647, without a sign.
     *
     * @since 0.1.0
     */
    @Parameter(property = "scratch.user")
    private String user;

    /**
     * Accounts of the image: {@code <account><name>nonroot</name><uid>65532</uid></account>}. When set, the build
     * generates {@code /etc/passwd} and {@code /etc/group} (root first unless declared, sorted by id, mode 0644) and a
     * home folder per account, owned by it with mode 0700; {@code <user>} may then name an account.
     *
     * @since 0.1.0
     */
    @Parameter
    private List<ImageAccount> accounts;

    /**
     * The layer of the generated {@code /etc/passwd}, {@code /etc/group} and home folders.
     *
     * @since 0.1.0
     */
    @Parameter(property = "scratch.accountsLayer", defaultValue = "app")
    private String accountsLayer;

    /**
     * Copies the sysroot's CA bundle ({@code /etc/ssl/certs/ca-certificates.crt}, else
     * {@code /etc/pki/tls/certs/ca-bundle.crt}, else {@code /etc/ssl/cert.pem}) to the same path in the image and sets
     * {@code SSL_CERT_FILE} to it unless {@code <environment>} does: {@code true} or {@code false}, in any case.
     *
     * @since 0.1.0
     */
    @Parameter(property = "scratch.caCertificates", defaultValue = "false")
    private String caCertificates;

    /**
     * Exposed ports: {@code <port>8080</port>} (tcp), {@code <port>53/udp</port>}.
     *
     * @since 0.1.0
     */
    @Parameter
    private List<String> ports;

    /**
     * Volumes, absolute paths: {@code <volume>/data</volume>}.
     *
     * @since 0.1.0
     */
    @Parameter
    private List<String> volumes;

    /**
     * Labels of the image configuration: {@code <labels><team>infra</team></labels>}.
     *
     * @since 0.1.0
     */
    @Parameter
    private Map<String, String> labels;

    /**
     * Annotations of the image manifest, such as {@code org.opencontainers.image.source}. The plugin sets
     * {@code org.opencontainers.image.created} itself, from the build timestamp.
     *
     * @since 0.1.0
     */
    @Parameter
    private Map<String, String> annotations;

    /**
     * The signal that stops the container: {@code SIGTERM}, {@code SIGINT}, a real-time signal as Docker names it
     * ({@code SIGRTMIN}, {@code SIGRTMIN+1} to {@code +15}, {@code SIGRTMAX-14} to {@code -1}, {@code SIGRTMAX}) or a
     * number from 1 to 64.
     *
     * @since 0.1.0
     */
    @Parameter(property = "scratch.stopSignal")
    private String stopSignal;

    /**
     * Shared libraries that no ELF header names, for what programs load with {@code dlopen} (NSS modules, gconv,
     * plugins): a soname such as {@code libnss_dns.so.2}, looked up like a {@code DT_NEEDED} entry, or an absolute
     * path inside {@code sysroot}. Each comes with its own libraries.
     *
     * @since 0.1.0
     */
    @Parameter
    private List<String> libraries;

    /**
     * Where shared libraries are looked up: the root of the target system, such as an arm64 root file system on an
     * amd64 host. Its {@code /etc/ld.so.conf} is read; links inside it never lead out of it.
     *
     * @since 0.1.0
     */
    @Parameter(property = "scratch.sysroot", defaultValue = "/")
    private String sysroot;

    /**
     * Adds, for the Debian packages of {@code sysroot} that own files of the image, what vulnerability scanners read:
     * {@code /var/lib/dpkg/status.d/<package>} and its {@code .md5sums}, the package's copyright file, and
     * {@code /etc/os-release} and {@code /etc/debian_version}, in the layer {@code metadata}: {@code true} or
     * {@code false}, in any case.
     *
     * @since 0.1.0
     */
    @Parameter(property = "scratch.packageMetadata", defaultValue = "true")
    private String packageMetadata;

    /**
     * The order of the layers, bottom first, such as {@code libraries}, {@code runtime}, {@code app}. Every layer a
     * {@code <layer>} names, {@code libraries} when shared libraries are resolved and {@code metadata} when package
     * metadata is added, must be listed; a listed layer that nothing goes to is left out. Without it:
     * {@code libraries}, {@code metadata}, the named layers in order of first use
     * in {@code <binaries>}, {@code <files>}, {@code <directories>} and {@code <symlinks>}, then {@code app} on top.
     * A layer whose inputs did not change since the last build is kept as it is: a registry that has it gets nothing.
     *
     * @since 0.1.0
     */
    @Parameter
    private List<String> layers;

    /**
     * Lays out the project as a Java application: a jlink runtime of the modules it uses in {@code /opt/java} (layer
     * {@code jre}, its native libraries in {@code libraries}), the release dependencies in {@code /app/libs} (layer
     * {@code dependencies}), the {@code -SNAPSHOT} ones there too (layer {@code snapshot-dependencies}) and the
     * project's jar as {@code /app/<artifactId>.jar} (layer {@code app}), with the entrypoint
     * {@code /opt/java/bin/java <jvmFlags> -cp <jars> <mainClass>}, {@code JAVA_HOME}, {@code PATH} and {@code /tmp}
     * unless set. {@code <mainClass>}, {@code <jvmFlags>}, {@code <modules>}, {@code <jdk>} and
     * {@code <qualifiedJarNames>}; see docs/java.md. Not with {@code <platforms>}.
     *
     * @since 0.1.0
     */
    @Parameter
    private ImageJava java;

    /**
     * Also writes the image as one tar that {@code docker load} (any version), {@code podman load} and
     * {@code ctr images import} take: {@code true} or {@code false}, in any case. The tar is an OCI image layout
     * and a {@code docker save} archive at once, each blob stored once, and byte for byte the same for the same
     * image. It is written again only when the image changed or the file is not the one the last build wrote.
     *
     * @since 0.1.0
     */
    @Parameter(property = "scratch.archive", defaultValue = "false")
    private String archive;

    /**
     * Where {@code <archive>} writes the tar. Not inside {@code <outputDirectory>}, not a source of the image nor
     * inside a copied tree, and not an existing directory.
     *
     * @since 0.1.0
     */
    @Parameter(property = "scratch.archiveFile",
            defaultValue = "${project.build.directory}/${project.build.finalName}-image.tar")
    private File archiveFile;

    /**
     * Attaches the archive that {@code <archive>} writes to the project, with classifier {@code image} and type
     * {@code tar}, and the SBOM that {@code <sbom>} writes, with classifier {@code sbom} and type {@code spdx.json},
     * so that {@code mvn install} and {@code mvn deploy} publish them: {@code true} or {@code false}, in any case.
     *
     * @since 0.1.0
     */
    @Parameter(property = "scratch.attach", defaultValue = "true")
    private String attach;

    /**
     * Writes an SPDX 2.3 SBOM of the image, which lists every regular file with its SHA-1 and SHA-256, the Debian
     * packages they come from and the project: {@code true} or {@code false}, in any case. It goes to
     * {@code ${project.build.directory}/${project.build.finalName}-sbom.spdx.json}, and into the layout as a referrer
     * of the image (artifact type {@code application/spdx+json}), which {@code scratch:push} pushes after the image.
     *
     * @since 0.1.0
     */
    @Parameter(property = "scratch.sbom", defaultValue = "true")
    private String sbom;

    /** The name of the project's artifacts, without extension: the SBOM is {@code <finalName>-sbom.spdx.json}. */
    @Parameter(defaultValue = "${project.build.finalName}", readonly = true, required = true)
    private String finalName;

    /** Where {@code scratch-image.digest} and {@code scratch-image.json} are written. */
    @Parameter(defaultValue = "${project.build.directory}", readonly = true, required = true)
    private File buildDirectory;

    /** The project, which the archive is attached to. */
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    /** The session: the builds in it claim their output folders there ({@link SessionClaims}). */
    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    /** This execution, which the error names when another one writes another image into the same folder. */
    @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
    private MojoExecution mojoExecution;

    @Inject
    private MavenProjectHelper projectHelper;

    /**
     * Resolves the runtime class path of {@code <java>}, and only then ({@link RuntimeClasspath}): the goal declares
     * no dependency resolution, which Maven would do before every build.
     */
    @Inject
    private ProjectDependenciesResolver dependenciesResolver;

    public BuildMojo() {
        super("build");
    }

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        // The switches are read first, so that a typo in any fails before anything is written.
        boolean certificates = flag("<caCertificates> (scratch.caCertificates)", caCertificates, false);
        boolean archiving = flag("<archive> (scratch.archive)", archive, false);
        boolean attaching = flag("<attach> (scratch.attach)", attach, true);
        boolean sbomming = flag("<sbom> (scratch.sbom)", sbom, true);
        boolean packages = flag("<packageMetadata> (scratch.packageMetadata)", packageMetadata, true);
        if (archiving && archiveFile == null) {
            throw new MojoFailureException("<archiveFile> (scratch.archiveFile) is empty while <archive> is true. Fix:"
                    + " name the tar to write, or remove <archiveFile> for"
                    + " ${project.build.directory}/${project.build.finalName}-image.tar");
        }
        BuildResult result;
        try {
            BuildRequest request = request(archiving, sbomming, packages, certificates);
            SessionClaims.claim(session, mojoExecution, request);
            result = new ImageBuilder(new MavenLogListener(getLog())).build(request);
        } catch (InvalidConfigurationException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (AfterCommitException e) {
            throw new MojoExecutionException("The image was built into " + outputDirectory() + ", but writing "
                    + e.file() + " after it failed: " + IoMessages.describe(e) + ". The next build writes it again."
                    + " Fix: check that the build user can write there, and that its file system has room", e);
        } catch (IOException e) {
            throw new MojoExecutionException("Could not build the image into " + outputDirectory() + ": "
                    + IoMessages.describe(e) + ". The previous image, if any, was left as it was. Fix: check that the"
                    + " build user can read the sources and write the folder, and that its file system has room", e);
        }
        getLog().info(BuildSummary.of(result));
        if (result.archive() != null && attaching) {
            projectHelper.attachArtifact(project, "tar", "image", result.archive().toFile());
            getLog().debug("Attached " + result.archive() + " to " + project.getId() + " as classifier image, type tar");
        }
        for (BuildResult.Image image : result.images()) {
            if (image.sbom() != null && attaching) {
                Platform platform = image.plan().platform();
                String classifier = result.index() == null ? "sbom" : "sbom-" + platform.os() + "-"
                        + platform.architecture() + (platform.variant() == null ? "" : "-" + platform.variant());
                projectHelper.attachArtifact(project, "spdx.json", classifier, image.sbom().file().toFile());
                getLog().debug("Attached " + image.sbom().file() + " to " + project.getId() + " as classifier "
                        + classifier + ", type spdx.json");
            }
        }
    }

    BuildRequest request(boolean archiving, boolean sbomming, boolean packages, boolean certificates)
            throws InvalidConfigurationException, MojoExecutionException, MojoFailureException {
        return BuildRequest.builder()
                .baseDirectory(basedir.toPath())
                .outputDirectory(outputDirectory().toPath())
                .image(image)
                .tags(tags)
                .defaultTag(projectVersion)
                .platform(platform)
                .platforms(Declarations.platforms(platforms))
                .outputTimestamp(outputTimestamp)
                .sourceDateEpoch(System.getenv("SOURCE_DATE_EPOCH"))
                .compression(compression)
                .binaries(Declarations.binaries(binaries))
                .files(Declarations.files(files))
                .directories(Declarations.directories(directories))
                .symlinks(Declarations.symlinks(symlinks))
                .accounts(Declarations.accounts(accounts))
                .accountsLayer(accountsLayer)
                .caCertificates(certificates)
                .container(ContainerSpec.builder().entrypoint(entrypoint).cmd(cmd).environment(environment)
                        .workingDirectory(workingDirectory).user(user).ports(ports).volumes(volumes).labels(labels)
                        .stopSignal(stopSignal).build())
                .annotations(annotations)
                .hostArchitecture(System.getProperty("os.arch"))
                .libraries(libraries)
                .sysroot(sysroot)
                .packageMetadata(packages)
                .compressionLevel(compressionLevel)
                .layers(layers)
                .archiveFile(archiving ? archiveFile.toPath() : null)
                .resultDirectory(buildDirectory == null ? null : buildDirectory.toPath())
                .sbomFile(sbomming ? new File(buildDirectory, finalName + "-sbom.spdx.json").toPath() : null)
                .project(new MavenCoordinates(project.getGroupId(), project.getArtifactId(), project.getVersion()))
                .java(JavaParameters.of(java, project, buildDirectory,
                        new RuntimeClasspath(dependenciesResolver, session)))
                .build();
    }
}
