package org.scratchimage.maven;

import static org.apache.maven.api.plugin.testing.MojoExtension.setVariableValueToObject;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.junit.jupiter.api.Test;
import org.scratchimage.core.tar.ExternalTools;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warnings and info lines a build gives where a user would otherwise be left to guess, as Maven's log shows them:
 * one argument with spaces in {@code <cmd>} or {@code <entrypoint>}, the 1970 timestamp, and why a layer was written.
 */
@MojoTest
class BuildMessagesTest {
    @TempDir
    Path temp;

    private RecordingLog run(BuildMojo mojo) throws Exception {
        RecordingLog log = new RecordingLog();
        mojo.setLog(log);
        mojo.execute();
        return log;
    }

    private BuildMojo into(BuildMojo mojo, String folder) throws Exception {
        setVariableValueToObject(mojo, "outputDirectory", temp.resolve(folder).toFile());
        return mojo;
    }

    @Test
    @Basedir("/unit/busybox")
    @InjectMojo(goal = "build")
    void aCmdOfOneArgumentWithSpacesIsWarnedOfWithOneArgPerArgument(BuildMojo mojo) throws Exception {
        // <cmd>-la /bin</cmd> gives the program the one argument "-la /bin".
        setVariableValueToObject(into(mojo, "oci"), "cmd", List.of("-la /bin"));

        RecordingLog log = run(mojo);

        assertThat(log.lines).contains("[warn] <cmd> \"-la /bin\" is one argument that holds spaces: the program"
                + " receives it as a single word, as no shell splits it. Fix: if you meant several arguments, write"
                + " one <arg> per argument: <cmd><arg>-la</arg><arg>/bin</arg></cmd>");
    }

    @Test
    @Basedir("/unit/busybox")
    @InjectMojo(goal = "build")
    void anEntrypointOfOneArgumentWithSpacesIsWarnedOf(BuildMojo mojo) throws Exception {
        setVariableValueToObject(into(mojo, "oci"), "entrypoint", List.of("/bin/app --port 8080"));

        RecordingLog log = run(mojo);

        assertThat(log.lines).filteredOn(line -> line.contains("holds spaces")).singleElement().asString()
                .startsWith("[warn] <entrypoint> \"/bin/app --port 8080\" is one argument that holds spaces")
                .endsWith("<entrypoint><arg>/bin/app</arg><arg>--port</arg><arg>8080</arg></entrypoint>");
    }

    @Test
    @Basedir("/unit/busybox")
    @InjectMojo(goal = "build")
    void severalArgumentsOrACommandLineForShDashCAreNotWarnedOf(BuildMojo mojo) throws Exception {
        // sh -c takes the whole command line as one argument, on purpose; so may a later argument hold a space.
        setVariableValueToObject(into(mojo, "oci"), "entrypoint", List.of("/bin/app", "-c"));
        setVariableValueToObject(mojo, "cmd", List.of("echo hello world"));
        RecordingLog log = run(mojo);
        setVariableValueToObject(mojo, "entrypoint", List.of("/bin/app", "a file name"));
        setVariableValueToObject(mojo, "cmd", List.of("--name", "a b"));
        log.lines.addAll(run(mojo).lines);

        assertThat(log.lines).noneMatch(line -> line.contains("holds spaces"));
    }

    @Test
    @Basedir("/unit/busybox")
    @InjectMojo(goal = "build")
    void withoutAnyTimestampOneInfoLineSaysTheImageIsFrom1970AndHowToDateIt(BuildMojo mojo) throws Exception {
        ExternalTools.requireThat(System.getenv("SOURCE_DATE_EPOCH") == null,
                "SOURCE_DATE_EPOCH is set for this JVM, so the image has a time: unset it to check the 1970 line");
        setVariableValueToObject(into(mojo, "oci"), "outputTimestamp", null);

        RecordingLog log = run(mojo);

        assertThat(log.lines).filteredOn(line -> line.contains("1970") && !line.startsWith("[debug] ")).containsExactly("[info] The image's time is"
                + " 1970-01-01T00:00:01Z: neither project.build.outputTimestamp nor SOURCE_DATE_EPOCH is set. To date"
                + " it, set <project.build.outputTimestamp> in the pom's <properties>, such as 2024-01-01T00:00:00Z"
                + " (the release plugin updates it), or SOURCE_DATE_EPOCH, such as $(git log -1 --format=%ct)");
    }

    @Test
    @Basedir("/unit/busybox")
    @InjectMojo(goal = "build")
    void aSetTimestampGivesNoSuchLine(BuildMojo mojo) throws Exception {
        RecordingLog log = run(into(mojo, "oci"));

        assertThat(log.lines).noneMatch(line -> line.contains("1970"));
        assertThat(log.lines).anyMatch(line -> line.contains("created 2023-11-14T22:13:20Z"));
    }

    @Test
    @Basedir("/unit/busybox")
    @InjectMojo(goal = "build")
    void aWrittenLayerSaysWhyAndAReusedOneKeepsItsLine(BuildMojo mojo) throws Exception {
        // A copy of the project, so that its source can change.
        Path project = Files.createDirectories(temp.resolve("project"));
        Files.writeString(project.resolve("app.sh"), "#!/bin/sh\necho one\n");
        Files.writeString(project.resolve("run.conf"), "x\n");
        setVariableValueToObject(into(mojo, "oci"), "basedir", project.toFile());
        ImageFile conf = new ImageFile();
        setVariableValueToObject(conf, "source", "run.conf");
        setVariableValueToObject(conf, "path", "/etc/run.conf");
        setVariableValueToObject(conf, "layer", "config");
        setVariableValueToObject(mojo, "files", List.of(conf));
        // Sources changed just before a build are not trusted by their stamps: let them settle.
        Thread.sleep(300);

        RecordingLog first = run(mojo);
        Files.writeString(project.resolve("app.sh"), "#!/bin/sh\necho two\n");
        RecordingLog second = run(mojo);

        assertThat(first.lines).filteredOn(line -> line.startsWith("[info] Layer "))
                .hasSize(2).allMatch(line -> line.endsWith(", written (no previous build)"));
        List<String> layers = second.lines.stream().filter(line -> line.startsWith("[info] Layer ")).toList();
        assertThat(layers).hasSize(2);
        assertThat(layers.get(0)).startsWith("[info] Layer config: ").endsWith(", reused");
        assertThat(layers.get(1)).startsWith("[info] Layer app: ").endsWith(", written (app.sh changed)");
    }
}
