package org.scratchimage.maven;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.scratchimage.core.BinarySpec;
import org.scratchimage.core.BuildRequest;
import org.scratchimage.core.BuildResult;
import org.scratchimage.core.ContainerSpec;
import org.scratchimage.core.DirectorySpec;
import org.scratchimage.core.FileSpec;
import org.scratchimage.core.ImageBuilder;
import org.scratchimage.core.InvalidConfigurationException;
import org.scratchimage.core.Sizes;
import org.scratchimage.core.SymlinkSpec;
import org.scratchimage.core.Values;

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
     * The user the process runs as: {@code 65532}, {@code 65532:65532}, or a name that the image's own
     * {@code /etc/passwd} defines. Ids go from 0 to 2147483647, without a sign.
     *
     * @since 0.1.0
     */
    @Parameter(property = "scratch.user")
    private String user;

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
     * The order of the layers, bottom first, such as {@code libraries}, {@code runtime}, {@code app}. Every layer a
     * {@code <layer>} names, and {@code libraries} when shared libraries are resolved, must be listed; a listed
     * layer that nothing goes to is left out. Without it: {@code libraries}, the named layers in order of first use
     * in {@code <binaries>}, {@code <files>}, {@code <directories>} and {@code <symlinks>}, then {@code app} on top.
     * A layer whose inputs did not change since the last build is kept as it is: a registry that has it gets nothing.
     *
     * @since 0.1.0
     */
    @Parameter
    private List<String> layers;

    /** The session: the builds in it claim their output folders there ({@link SessionClaims}). */
    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    /** This execution, which the error names when another one writes another image into the same folder. */
    @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
    private MojoExecution mojoExecution;

    public BuildMojo() {
        super("build");
    }

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        BuildResult result;
        try {
            BuildRequest request = request();
            SessionClaims.claim(session, mojoExecution, request);
            result = new ImageBuilder(new MavenLogListener(getLog())).build(request);
        } catch (InvalidConfigurationException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("Could not build the image into " + outputDirectory() + ": " + describe(e)
                    + ". The previous image, if any, was left as it was. Fix: check that the build user can read the"
                    + " sources and write the folder, and that its file system has room", e);
        }
        if (result.upToDate()) {
            getLog().info(String.format(Locale.ROOT, "Image up to date: %s:%s for %s in %s: manifest %s",
                    result.plan().image(), String.join(",", result.plan().tags()), result.plan().platform(),
                    result.layout(), result.manifestDigest()));
            return;
        }
        long reused = result.layers().stream().filter(BuildResult.Layer::reused).count();
        getLog().info(String.format(Locale.ROOT,
                "Built image %s:%s for %s in %s: manifest %s, %d entries in %d %s (%s, %s), %d reused",
                result.plan().image(), String.join(",", result.plan().tags()), result.plan().platform(),
                result.layout(), result.manifestDigest(), result.entries(), result.layers().size(),
                result.layers().size() == 1 ? "layer" : "layers",
                Sizes.human(result.layersSize()), result.plan().compression().name().toLowerCase(Locale.ROOT),
                reused));
    }

    BuildRequest request() throws InvalidConfigurationException {
        return BuildRequest.builder()
                .baseDirectory(basedir.toPath())
                .outputDirectory(outputDirectory().toPath())
                .image(image)
                .tags(tags)
                .defaultTag(projectVersion)
                .platform(platform)
                .outputTimestamp(outputTimestamp)
                .sourceDateEpoch(System.getenv("SOURCE_DATE_EPOCH"))
                .compression(compression)
                .binaries(map(binaries, BinarySpec.builder().build(), (b, n) -> BinarySpec.builder().source(b.source)
                        .path(b.path).mode(b.mode).uid(b.uid).gid(b.gid)
                        .resolveLibraries(Values.flag("<binaries>/<binary>[" + n + "]/<resolveLibraries>",
                                b.resolveLibraries))
                        .layer(b.layer).build()))
                .files(map(files, FileSpec.builder().build(), (f, n) -> FileSpec.builder().source(f.source)
                        .path(f.path).mode(f.mode).uid(f.uid).gid(f.gid).layer(f.layer).build()))
                .directories(map(directories, DirectorySpec.builder().build(), (d, n) -> DirectorySpec.builder()
                        .source(d.source).path(d.path).mode(d.mode).uid(d.uid).gid(d.gid).fileMode(d.fileMode)
                        .directoryMode(d.directoryMode).includes(d.includes).excludes(d.excludes)
                        .resolveLibraries(Values.flag("<directories>/<directory>[" + n + "]/<resolveLibraries>",
                                d.resolveLibraries))
                        .layer(d.layer).build()))
                .symlinks(map(symlinks, SymlinkSpec.builder().build(), (s, n) -> SymlinkSpec.builder().path(s.path)
                        .target(s.target).layer(s.layer).build()))
                .container(ContainerSpec.builder().entrypoint(entrypoint).cmd(cmd).environment(environment)
                        .workingDirectory(workingDirectory).user(user).ports(ports).volumes(volumes).labels(labels)
                        .stopSignal(stopSignal).build())
                .annotations(annotations)
                .hostArchitecture(System.getProperty("os.arch"))
                .libraries(libraries)
                .sysroot(sysroot)
                .compressionLevel(compressionLevel)
                .layers(layers)
                .build();
    }

    /**
     * Maps each element of a list parameter to its declaration. An empty element such as {@code <binary/>} arrives
     * as an object with nothing set (or as {@code null}): it becomes {@code null}, which the build reports as
     * {@code <binaries>/<binary>[n] is empty}, not as a complaint about its first missing child.
     *
     * @param empty the declaration with nothing set, which an empty element maps to
     */
    private static <P, S extends Record> List<S> map(List<P> parameters, S empty, Declaration<P, S> toSpec)
            throws InvalidConfigurationException {
        List<S> specs = new ArrayList<>();
        if (parameters != null) {
            for (P parameter : parameters) {
                S spec = parameter == null ? null : toSpec.map(parameter, specs.size() + 1);
                specs.add(spec == null || sameComponents(empty, spec) ? null : spec);
            }
        }
        return specs;
    }

    /**
     * Compares two declarations component by component, so that a component added later is compared too. Not with
     * the record's own {@code equals}: its first call bootstraps {@code java.lang.runtime.ObjectMethods}, which cost
     * about 40 ms of every build, an up-to-date one included (measured with {@code -X} timestamps, 2026-11-30).
     */
    static boolean sameComponents(Record one, Record other) {
        try {
            for (RecordComponent component : one.getClass().getRecordComponents()) {
                Method accessor = component.getAccessor();
                if (!Objects.equals(accessor.invoke(one), accessor.invoke(other))) {
                    return false;
                }
            }
            return true;
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("The accessors of a public record cannot fail: " + e, e);
        }
    }

    /** Maps the {@code n}th element of a list parameter, counted from 1, to its declaration. */
    @FunctionalInterface
    private interface Declaration<P, S> {
        S map(P parameter, int n) throws InvalidConfigurationException;
    }

    /** Java's file system exceptions often carry only a path: say what happened to it. */
    static String describe(IOException e) {
        if (!(e instanceof FileSystemException fs)) {
            return e.getMessage();
        }
        String what;
        if (fs.getReason() != null) {
            what = fs.getReason();
        } else if (fs instanceof AccessDeniedException) {
            what = "permission denied";
        } else if (fs instanceof NoSuchFileException) {
            what = "no such file or directory";
        } else if (fs instanceof FileAlreadyExistsException) {
            what = "it already exists, or a parent of it is not a directory";
        } else if (fs instanceof NotDirectoryException) {
            what = "not a directory";
        } else if (fs instanceof DirectoryNotEmptyException) {
            what = "directory not empty";
        } else {
            what = fs.getClass().getSimpleName();
        }
        return fs.getFile() + (fs.getOtherFile() == null ? "" : " -> " + fs.getOtherFile()) + ": " + what;
    }
}
