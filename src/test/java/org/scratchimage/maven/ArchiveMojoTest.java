package org.scratchimage.maven;

import static org.apache.maven.api.plugin.testing.MojoExtension.getVariableValueFromObject;
import static org.apache.maven.api.plugin.testing.MojoExtension.setVariableValueToObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code <archive>}, {@code <archiveFile>} and {@code <attach>}, and the result files every build writes, through the
 * mojo as Maven configures it, against the real core and archive writer.
 */
@MojoTest
class ArchiveMojoTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private Path layout;
    private Path target;
    private Path archive;
    private MavenProject project;

    @BeforeEach
    void paths() {
        layout = temp.resolve("target/oci");
        target = temp.resolve("target");
        archive = target.resolve("mojo-busybox-2.0-image.tar");
    }

    /** The mojo writing into {@code temp}, with a project of its own to attach to. */
    private BuildMojo configured(BuildMojo mojo, String archiving) throws Exception {
        setVariableValueToObject(mojo, "outputDirectory", layout.toFile());
        setVariableValueToObject(mojo, "buildDirectory", target.toFile());
        setVariableValueToObject(mojo, "archive", archiving);
        setVariableValueToObject(mojo, "archiveFile", archive.toFile());
        project = TestProjects.pom("mojo-busybox", "2.0");
        setVariableValueToObject(mojo, "project", project);
        return mojo;
    }

    private static RecordingLog run(BuildMojo mojo) throws Exception {
        RecordingLog log = new RecordingLog();
        mojo.setLog(log);
        mojo.execute();
        return log;
    }

    @Test
    @Basedir("/unit/busybox")
    @InjectMojo(goal = "build")
    void theArchiveIsWrittenAttachedAsImageTarAndNamedInTheResultFiles(BuildMojo mojo) throws Exception {
        RecordingLog log = run(configured(mojo, "true"));

        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        String manifestDigest = index.path("manifests").get(0).path("digest").asText();
        JsonNode manifest = blob(manifestDigest);
        JsonNode config = blob(manifest.path("config").path("digest").asText());
        // The tar holds the layout's blobs, and a manifest.json that Docker before 25 reads, pointing at them, with
        // the names as Docker normalises them.
        Map<String, byte[]> entries = tar(archive);
        assertThat(entries).containsKeys("oci-layout", "index.json", "manifest.json", "repositories",
                "blobs/sha256/" + manifestDigest.substring(7));
        JsonNode dockerManifest = JSON.readTree(entries.get("manifest.json"));
        assertThat(dockerManifest.get(0).path("Config").asText())
                .isEqualTo("blobs/sha256/" + manifest.path("config").path("digest").asText().substring(7));
        assertThat(dockerManifest.get(0).path("RepoTags").toString())
                .isEqualTo("[\"docker.io/library/mojo-busybox:2.0\"]");
        assertThat(log.lines).anyMatch(l -> l.startsWith("[info] Archive " + archive + ": ")
                && l.endsWith("loads as mojo-busybox:2.0"));

        List<Artifact> attached = project.getAttachedArtifacts();
        assertThat(attached).hasSize(1);
        assertThat(attached.get(0).getClassifier()).isEqualTo("image");
        assertThat(attached.get(0).getType()).isEqualTo("tar");
        assertThat(attached.get(0).getFile()).isEqualTo(archive.toFile());

        assertThat(target.resolve("scratch-image.digest")).hasContent(manifestDigest + "\n");
        assertThat(Files.readString(target.resolve("scratch-image.digest"))).isEqualTo(manifestDigest + "\n");
        JsonNode result = JSON.readTree(target.resolve("scratch-image.json").toFile());
        List<String> keys = new ArrayList<>();
        result.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("image", "tags", "digest", "platform", "layers", "archive", "pushed");
        assertThat(result.path("image").asText()).isEqualTo("mojo-busybox");
        assertThat(result.path("tags").toString()).isEqualTo("[\"2.0\"]");
        assertThat(result.path("digest").asText()).isEqualTo(manifestDigest);
        assertThat(result.path("platform").asText()).isEqualTo("linux/amd64");
        assertThat(result.path("archive").asText()).isEqualTo(archive.toRealPath().toString());
        assertThat(result.path("pushed")).isEmpty();
        JsonNode layer = result.path("layers").get(0);
        assertThat(result.path("layers")).hasSize(1);
        assertThat(layer.path("name").asText()).isEqualTo("app");
        assertThat(layer.path("digest").asText()).isEqualTo(manifest.path("layers").get(0).path("digest").asText());
        assertThat(layer.path("size").asLong()).isEqualTo(manifest.path("layers").get(0).path("size").asLong());
        assertThat(layer.path("diff_id").asText()).isEqualTo(config.path("rootfs").path("diff_ids").get(0).asText());
        assertThat(Files.readString(target.resolve("scratch-image.json"))).endsWith("}\n").doesNotContain(" ");
    }

    @Test
    @Basedir("/unit/busybox")
    @InjectMojo(goal = "build")
    void anUnchangedBuildKeepsTheArchiveAndOneDeletedOrChangedIsWrittenAgain(BuildMojo mojo) throws Exception {
        configured(mojo, "true");
        run(mojo);
        Path real = archive.toRealPath();
        byte[] bytes = Files.readAllBytes(archive);
        Object inode = Files.getAttribute(archive, "unix:ino", LinkOption.NOFOLLOW_LINKS);
        FileTime mtime = Files.getLastModifiedTime(archive);

        RecordingLog unchanged = run(mojo);

        assertThat(unchanged.lines).anyMatch(l -> l.startsWith("[info] Image up to date: "))
                .contains("[info] Archive up to date: " + real);
        assertThat(Files.getAttribute(archive, "unix:ino", LinkOption.NOFOLLOW_LINKS)).isEqualTo(inode);
        assertThat(Files.getLastModifiedTime(archive)).isEqualTo(mtime);
        // Attached on every build, the up-to-date ones included: each Maven session installs it.
        assertThat(project.getAttachedArtifacts()).extracting(Artifact::getFile).contains(archive.toFile());

        Files.delete(archive);
        RecordingLog deleted = run(mojo);
        assertThat(deleted.lines).anyMatch(l -> l.startsWith("[info] Image up to date: "))
                .anyMatch(l -> l.startsWith("[info] Archive " + real + ": "));
        assertThat(archive).hasBinaryContent(bytes);

        Files.write(archive, new byte[bytes.length]);
        RecordingLog overwritten = run(mojo);
        assertThat(overwritten.lines).anyMatch(l -> l.startsWith("[info] Archive " + real + ": "));
        assertThat(archive).hasBinaryContent(bytes);

        // Only touched: its stamp is no longer the one the build recorded, so it is not trusted.
        Files.setLastModifiedTime(archive, FileTime.fromMillis(0));
        RecordingLog touched = run(mojo);
        assertThat(touched.lines).anyMatch(l -> l.startsWith("[info] Archive " + real + ": "));
        assertThat(archive).hasBinaryContent(bytes);

        // A new image: the layout and the archive are both written again, the archive with the new tags.
        setVariableValueToObject(mojo, "tags", List.of("2.0", "latest"));
        RecordingLog retagged = run(mojo);
        assertThat(retagged.lines).anyMatch(l -> l.startsWith("[info] Built image mojo-busybox:2.0,latest "))
                .anyMatch(l -> l.startsWith("[info] Archive " + real + ": ")
                        && l.endsWith("loads as mojo-busybox:2.0, mojo-busybox:latest"));
        assertThat(JSON.readTree(tar(archive).get("manifest.json")).get(0).path("RepoTags").toString())
                .isEqualTo("[\"docker.io/library/mojo-busybox:2.0\",\"docker.io/library/mojo-busybox:latest\"]");
    }

    @Test
    @Basedir("/unit/busybox")
    @InjectMojo(goal = "build")
    void anArchiveThatCannotBeWrittenSaysTheImageWasBuiltAndTheNextBuildWritesIt(BuildMojo mojo) throws Exception {
        // The archive's folder is a file: the layout commits, then the archive cannot be written.
        java.nio.file.Files.createDirectories(target);
        java.nio.file.Files.writeString(target.resolve("out"), "a file, not a folder");
        archive = target.resolve("out/app-image.tar");
        configured(mojo, "true");

        assertThatThrownBy(() -> run(mojo))
                .isInstanceOf(org.apache.maven.plugin.MojoExecutionException.class)
                .hasMessageStartingWith("The image was built into " + layout + ", but writing " + archive
                        + " after it failed: ")
                .hasMessageContaining("The next build writes it again");
        assertThat(layout.resolve("index.json")).exists();
        assertThat(project.getAttachedArtifacts()).isEmpty();
    }

    @Test
    @Basedir("/unit/busybox")
    @InjectMojo(goal = "build")
    void withoutArchiveNothingIsWrittenOrAttachedButTheResultFiles(BuildMojo mojo) throws Exception {
        run(configured(mojo, "false"));

        assertThat(archive).doesNotExist();
        assertThat(project.getAttachedArtifacts()).isEmpty();
        JsonNode result = JSON.readTree(target.resolve("scratch-image.json").toFile());
        assertThat(result.has("archive")).isFalse();
        assertThat(target.resolve("scratch-image.digest")).hasContent(result.path("digest").asText());
    }

    @Test
    @Basedir("/unit/busybox")
    @InjectMojo(goal = "build")
    void attachFalseWritesTheArchiveWithoutAttachingIt(BuildMojo mojo) throws Exception {
        configured(mojo, "true");
        setVariableValueToObject(mojo, "attach", " FALSE ");

        run(mojo);

        assertThat(archive).isRegularFile();
        assertThat(project.getAttachedArtifacts()).isEmpty();
    }

    @Test
    @Basedir("/unit/busybox")
    @InjectMojo(goal = "build")
    void zstdLayersInTheArchiveAreWarnedAboutForDockerBefore25(BuildMojo mojo) throws Exception {
        configured(mojo, "true");
        setVariableValueToObject(mojo, "compression", "zstd");

        RecordingLog log = run(mojo);

        assertThat(log.lines).filteredOn(l -> l.startsWith("[warn] The archive ")).singleElement().asString()
                .contains("zstd", "Docker before 25", "Fix: set <compression>gzip</compression>");
        setVariableValueToObject(mojo, "compression", "gzip");
        assertThat(run(mojo).lines).noneMatch(l -> l.startsWith("[warn] The archive "));
    }

    @Test
    @Basedir("/unit/busybox")
    @InjectMojo(goal = "build")
    void aRebuildKeepsThePushedReferencesOfTheSameManifestAndDropsThemForANewOne(BuildMojo mojo) throws Exception {
        run(configured(mojo, "false"));
        Path file = target.resolve("scratch-image.json");
        String digest = JSON.readTree(file.toFile()).path("digest").asText();
        String pushed = "registry.example.org/team/app:2.0@" + digest;
        // What scratch:push adds to the file.
        Files.writeString(file, Files.readString(file).replace("\"pushed\":[]", "\"pushed\":[\"" + pushed + "\"]"));
        FileTime before = Files.getLastModifiedTime(file);

        RecordingLog unchanged = run(mojo);

        assertThat(unchanged.lines).anyMatch(l -> l.startsWith("[info] Image up to date: "));
        assertThat(JSON.readTree(file.toFile()).path("pushed").toString()).isEqualTo("[\"" + pushed + "\"]");
        assertThat(Files.getLastModifiedTime(file)).as("not even rewritten").isEqualTo(before);

        // The same manifest, now with an archive: the file is rewritten, and still says where it was pushed.
        setVariableValueToObject(mojo, "archive", "true");
        run(mojo);
        assertThat(JSON.readTree(file.toFile()).path("pushed").toString()).isEqualTo("[\"" + pushed + "\"]");
        assertThat(JSON.readTree(file.toFile()).path("archive").asText()).isEqualTo(archive.toRealPath().toString());

        setVariableValueToObject(mojo, "outputTimestamp", "1700000001");
        run(mojo);
        JsonNode rebuilt = JSON.readTree(file.toFile());
        assertThat(rebuilt.path("digest").asText()).isNotEqualTo(digest);
        assertThat(rebuilt.path("pushed")).isEmpty();
        assertThat(target.resolve("scratch-image.digest")).hasContent(rebuilt.path("digest").asText());
    }

    private JsonNode blob(String digest) throws Exception {
        return JSON.readTree(layout.resolve("blobs/sha256").resolve(digest.substring(7)).toFile());
    }

    /** @return the archive's regular files by name, with their bytes */
    static Map<String, byte[]> tar(Path file) throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (entry.isFile()) {
                    entries.put(entry.getName(), tar.readAllBytes());
                }
            }
        }
        return entries;
    }
}
