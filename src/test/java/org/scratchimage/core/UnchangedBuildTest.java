package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.PlanningFixtures.binary;
import static org.scratchimage.core.PlanningFixtures.requestIn;
import static org.scratchimage.core.PlanningFixtures.tree;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scratchimage.core.PackageMetadataTest.FixtureSysroot;
import org.scratchimage.core.elf.SyntheticElf;

/**
 * An unchanged build is decided from the inputs the last one recorded, without planning; each kind of change, one at
 * a time, makes the build plan again and write the image it changed.
 */
class UnchangedBuildTest {
    private static final int EM_AARCH64 = 183;
    private static final String BY_INPUTS = "Up to date by the ";
    /** What the planning logs for each image it plans: never seen when the inputs decide. */
    private static final String PLANNED = "Image myapp for ";

    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();

    @Test
    void aBuildWithNothingChangedIsDecidedByItsInputsWithoutPlanning() throws Exception {
        BuildRequest request = settledTree().build();
        BuildResult first = build(request);
        log.clear();

        BuildResult second = build(request);

        assertThat(second.upToDate()).isTrue();
        assertThat(second.digest()).isEqualTo(first.digest());
        assertThat(second.image().layers()).extracting(BuildResult.Layer::name)
                .isEqualTo(first.image().layers().stream().map(BuildResult.Layer::name).toList());
        assertThat(second.plan().tags()).containsExactly("1.0");
        assertThat(log).anyMatch(line -> line.startsWith(BY_INPUTS)).noneMatch(line -> line.startsWith(PLANNED));
        assertThat(UnchangedBuild.file(first.layout())).isRegularFile();
    }

    @Test
    void aFileDatedBefore1970IsRecordedAndItsChangeNoticed() throws Exception {
        BuildRequest request = settledTree().build();
        Path conf = dir.resolve("tree/etc/app.conf");
        Files.setLastModifiedTime(conf, FileTime.from(Instant.parse("1960-01-01T00:00:00.5Z")));
        settle();
        BuildResult first = build(request);
        log.clear();
        assertThat(build(request).upToDate()).isTrue();
        assertThat(log).anyMatch(line -> line.startsWith(BY_INPUTS));
        Files.writeString(conf, "port=9090\n");
        Files.setLastModifiedTime(conf, FileTime.from(Instant.parse("1960-01-01T00:00:00.5Z")));

        assertPlannedAgainAndChanged(request, first, conf);
    }

    @Test
    void aFileRewrittenWithTheSameSizeAndMtimeIsNoticed() throws Exception {
        BuildRequest request = settledTree().build();
        BuildResult first = build(request);
        Path conf = dir.resolve("tree/etc/app.conf");
        FileTime mtime = Files.getLastModifiedTime(conf);
        Files.writeString(conf, "port=9090\n");
        Files.setLastModifiedTime(conf, mtime);

        assertPlannedAgainAndChanged(request, first, conf);
    }

    @Test
    void aFileAddedToAFolderOfATreeIsNoticed() throws Exception {
        BuildRequest request = settledTree().build();
        BuildResult first = build(request);
        Files.writeString(dir.resolve("tree/etc/new.conf"), "x\n");

        assertPlannedAgainAndChanged(request, first, dir.resolve("tree/etc").toRealPath());
    }

    @Test
    void aTreeWhoseLinkLeadsElsewhereIsNoticed() throws Exception {
        settledTree();
        Path copy = Files.createDirectories(dir.resolve("copy/etc"));
        Files.writeString(copy.resolve("app.conf"), "port=8080\n");
        Files.writeString(copy.resolve("extra.conf"), "x\n");
        Path link = Files.createSymbolicLink(dir.resolve("linked"), dir.resolve("tree"));
        BuildRequest request = requestIn(dir).addDirectory(tree("linked", "/")).build();
        settle();
        BuildResult first = build(request);
        Files.delete(link);
        Files.createSymbolicLink(link, dir.resolve("copy"));

        assertPlannedAgainAndChanged(request, first, link);
    }

    @Test
    void aLibraryAppearingInAnEarlierSearchFolderIsNoticed() throws Exception {
        Path sysroot = Files.createDirectories(dir.resolve("sysroot/usr/lib"));
        Files.write(sysroot.resolve("libx.so.1"), library("/usr/lib"));
        Files.createDirectories(dir.resolve("sysroot/lib/aarch64-linux-gnu"));
        BuildRequest request = arm64App().build();
        settle();
        BuildResult first = build(request);
        // The loader looks in /lib/aarch64-linux-gnu before /usr/lib: there, the same soname is another file.
        Path earlier = dir.resolve("sysroot/lib/aarch64-linux-gnu/libx.so.1");
        Files.write(earlier, library("/lib/aarch64-linux-gnu"));

        assertPlannedAgainAndChanged(request, first, earlier);
    }

    @Test
    void aChangedLdSoConfIsNoticed() throws Exception {
        Path sysroot = Files.createDirectories(dir.resolve("sysroot/usr/lib"));
        Files.write(sysroot.resolve("libx.so.1"), library("/usr/lib"));
        Files.createDirectories(dir.resolve("sysroot/opt/a"));
        Files.createDirectories(dir.resolve("sysroot/opt/b"));
        Files.write(dir.resolve("sysroot/opt/b/libx.so.1"), library("/opt/b"));
        Path conf = Files.createDirectories(dir.resolve("sysroot/etc")).resolve("ld.so.conf");
        Files.writeString(conf, "/opt/a\n");
        BuildRequest request = arm64App().build();
        settle();
        BuildResult first = build(request);
        // ld.so.conf's folders come before the loader's own: /opt/b now serves the soname.
        Files.writeString(conf, "/opt/b\n");

        assertPlannedAgainAndChanged(request, first, conf);
    }

    @Test
    void aChangedDpkgStatusIsNoticed() throws Exception {
        Path sysroot = FixtureSysroot.withTool(dir.resolve("sysroot"), "1.0-1");
        BuildRequest request = requestIn(dir).sysroot(sysroot.toString()).packageMetadata(true)
                .addFile(PlanningFixtures.file(sysroot.resolve("usr/bin/tool").toString(), "/usr/bin/tool")).build();
        settle();
        BuildResult first = build(request);
        FixtureSysroot.writeStatus(sysroot, "1.0-2");

        BuildResult second = assertPlannedAgainAndChanged(request, first, sysroot.resolve("var/lib/dpkg/status"));
        assertThat(second.plan().packages().ownerOf("usr/bin/tool").version()).isEqualTo("1.0-2");
    }

    @Test
    void aPackageListReplacedAsDpkgDoesIsNoticed() throws Exception {
        Path sysroot = FixtureSysroot.withTool(dir.resolve("sysroot"), "1.0-1");
        BuildRequest request = requestIn(dir).sysroot(sysroot.toString()).packageMetadata(true)
                .addFile(PlanningFixtures.file(sysroot.resolve("usr/bin/tool").toString(), "/usr/bin/tool")).build();
        settle();
        BuildResult first = build(request);
        // dpkg writes a .list anew and renames it into place: the info folder's stamp tells, not the status.
        Path info = sysroot.resolve("var/lib/dpkg/info");
        Files.writeString(info.resolve("tool.list-new"), "/usr/bin/other\n");
        Files.move(info.resolve("tool.list-new"), info.resolve("tool.list"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        BuildResult second = assertPlannedAgainAndChanged(request, first, info);
        assertThat(second.plan().packages().ownerOf("usr/bin/tool")).isNull();
    }

    @Test
    void aChangedRequestPlansAgain() throws Exception {
        BuildResult first = build(settledTree().build());
        log.clear();

        BuildResult second = build(settledTree().tags(List.of("2.0")).build());

        assertThat(log).noneMatch(line -> line.startsWith(BY_INPUTS)).anyMatch(line -> line.startsWith(PLANNED));
        assertThat(second.plan().tags()).containsExactly("2.0");
        // The tag is in index.json, not in the manifest: the layout is written again, the image is the same.
        assertThat(second.upToDate()).isFalse();
        assertThat(second.digest()).isEqualTo(first.digest());
    }

    @Test
    void aSourceChangedWhileTheBuildPlannedLeavesNoRecord() throws Exception {
        BuildRequest request = settledTree().build();
        // Stamped after the planning began, as a file rewritten during it would be: too recent to trust.
        Files.setLastModifiedTime(dir.resolve("tree/etc/app.conf"), FileTime.from(Instant.now().plusSeconds(60)));

        BuildResult first = build(request);

        assertThat(UnchangedBuild.file(first.layout())).doesNotExist();
        log.clear();
        build(request);
        assertThat(log).noneMatch(line -> line.startsWith(BY_INPUTS)).anyMatch(line -> line.startsWith(PLANNED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"head only", "cut short", "name before its folder", "not a number", "no stamp"})
    void aDamagedRecordIsNoRecordAndTheNextBuildWritesItAgain(String damage) throws Exception {
        BuildRequest request = settledTree().build();
        BuildResult first = build(request);
        Path record = UnchangedBuild.file(first.layout());
        String text = Files.readString(record);
        String firstFolder = text.substring(text.indexOf("\nD\t"), text.indexOf('\n', text.indexOf("\nD\t") + 1));
        String lastStamp = text.substring(text.lastIndexOf('\t'));
        Files.writeString(record, switch (damage) {
            case "head only" -> UnchangedBuild.HEADER + "\nrequest\tx\n";
            case "cut short" -> text.substring(0, text.length() - 5);
            case "name before its folder" -> text.replace(firstFolder, "");
            case "not a number" -> text.substring(0, text.length() - lastStamp.length()) + "\tx\n";
            case "no stamp" -> text.substring(0, text.lastIndexOf("\nL\t") + 1) + "L\tx\n";
            default -> throw new AssertionError(damage);
        });
        log.clear();

        BuildResult second = build(request);

        assertThat(second.upToDate()).isTrue();
        assertThat(log).anyMatch(line -> line.startsWith(PLANNED));
        if (!damage.equals("head only")) {
            assertThat(log).anyMatch(line -> line.startsWith("Planning again: " + record + " is not a record"));
        }
        assertThat(Files.readString(record)).startsWith(UnchangedBuild.HEADER + "\nrequest\t")
                .contains("D\t" + dir.resolve("tree/etc").toRealPath() + "\n").contains("\nL\tapp.conf\t");
        log.clear();
        build(request);
        assertThat(log).anyMatch(line -> line.startsWith(BY_INPUTS));
    }

    @Test
    void aDamagedLayoutIsStillNoticedWhenNoInputChanged() throws Exception {
        BuildRequest request = settledTree().build();
        BuildResult first = build(request);
        String layer = first.image().layers().get(0).digest().substring("sha256:".length());
        Files.delete(first.layout().resolve("blobs/sha256").resolve(layer));

        BuildResult second = build(request);

        assertThat(second.upToDate()).isFalse();
        assertThat(second.digest()).isEqualTo(first.digest());
        assertThat(first.layout().resolve("blobs/sha256").resolve(layer)).isRegularFile();
    }

    @Test
    void aDeletedSbomFileIsWrittenAgain() throws Exception {
        BuildRequest request = settledTree().sbomFile(dir.resolve("target/app-sbom.spdx.json"))
                .project(new org.scratchimage.core.sbom.MavenCoordinates("g", "a", "1")).build();
        BuildResult first = build(request);
        Path sbom = first.image().sbom().file();
        byte[] document = Files.readAllBytes(sbom);
        Files.delete(sbom);

        log.clear();
        BuildResult second = build(request);

        assertThat(second.upToDate()).isTrue();
        assertThat(sbom).hasBinaryContent(document);
        assertThat(log).anyMatch(line -> line.startsWith(BY_INPUTS)).noneMatch(line -> line.startsWith(PLANNED));
    }

    @Test
    void aDeletedArchiveOrResultFileIsWrittenAgainWithoutPlanning() throws Exception {
        BuildRequest request = settledTree().archiveFile(dir.resolve("target/app.tar"))
                .resultDirectory(dir.resolve("target")).build();
        BuildResult first = build(request);
        byte[] archive = Files.readAllBytes(dir.resolve("target/app.tar"));
        String digest = Files.readString(dir.resolve("target/scratch-image.digest"));
        Files.delete(dir.resolve("target/app.tar"));
        Files.delete(dir.resolve("target/scratch-image.digest"));
        log.clear();

        BuildResult second = build(request);

        assertThat(second.upToDate()).isTrue();
        assertThat(second.digest()).isEqualTo(first.digest());
        assertThat(dir.resolve("target/app.tar")).hasBinaryContent(archive);
        assertThat(dir.resolve("target/scratch-image.digest")).hasContent(digest);
        assertThat(log).anyMatch(line -> line.startsWith(BY_INPUTS)).noneMatch(line -> line.startsWith(PLANNED));
        log.clear();
        build(request);
        assertThat(log).contains("Archive up to date: " + dir.resolve("target/app.tar"));
    }

    @Test
    void aResultFileChangedAfterItWasTrustedIsWrittenAgain() throws Exception {
        BuildRequest request = settledTree().resultDirectory(dir.resolve("target")).build();
        build(request);
        Path digest = dir.resolve("target/scratch-image.digest");
        String written = Files.readString(digest);
        settle();
        // Found current by its content, and old enough: its stamp is trusted from now on.
        build(request);
        assertThat(Files.readString(UnchangedBuild.file(dir.resolve("target/oci")))).contains("\nR\t" + digest + "\t");
        FileTime mtime = Files.getLastModifiedTime(digest);
        Files.writeString(digest, written.replace('a', 'b').replace('0', '1'));
        Files.setLastModifiedTime(digest, mtime);
        log.clear();

        BuildResult third = build(request);

        assertThat(third.upToDate()).isTrue();
        // Its stamp differs: read, found stale, and written again, still without planning.
        assertThat(log).anyMatch(line -> line.startsWith(BY_INPUTS)).noneMatch(line -> line.startsWith(PLANNED));
        assertThat(digest).hasContent(written);
    }

    private BuildResult assertPlannedAgainAndChanged(BuildRequest request, BuildResult first, Path changed)
            throws Exception {
        log.clear();
        BuildResult second = build(request);
        assertThat(log).noneMatch(line -> line.startsWith(BY_INPUTS))
                .anyMatch(line -> line.startsWith(PLANNED));
        assertThat(second.upToDate()).isFalse();
        assertThat(second.digest()).isNotEqualTo(first.digest());
        // The first change found: the file, or the folder that lists it.
        assertThat(log).anyMatch(line -> line.equals("Planning again: " + changed + " changed since the last build")
                || line.equals("Planning again: " + changed.getParent() + " changed since the last build"));
        return second;
    }

    private BuildResult build(BuildRequest request) throws Exception {
        return new ImageBuilder(BuildListener.of(log::add)).build(request);
    }

    /** A tree {@code tree/etc/app.conf}, old enough to be trusted by its stamp. */
    private BuildRequest.Builder settledTree() throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("tree/etc"));
        if (!Files.exists(dir.resolve("tree/etc/app.conf"))) {
            Files.writeString(dir.resolve("tree/etc/app.conf"), "port=8080\n");
            settle();
        }
        return requestIn(dir).addDirectory(tree("tree", "/"));
    }

    /** An arm64 program needing {@code libx.so.1}, resolved in the sysroot {@code sysroot}. */
    private BuildRequest.Builder arm64App() throws IOException {
        Files.write(dir.resolve("app"), new SyntheticElf(64, true, EM_AARCH64).needed("libx.so.1").bytes());
        Files.setPosixFilePermissions(dir.resolve("app"), PosixFilePermissions.fromString("rwxr-xr-x"));
        BuildRequest.Builder request = requestIn(dir).addBinary(binary("app", "/app"));
        request.platform("linux/arm64");
        request.sysroot("sysroot");
        return request;
    }

    /** A library {@code libx.so.1}, told apart by its rpath. */
    private static byte[] library(String where) {
        return new SyntheticElf(64, true, EM_AARCH64).soname("libx.so.1").rpath(where).bytes();
    }

    /** Waits until a build trusts the stamps of what was just written (see {@link Fingerprints#RACY_MILLIS}). */
    private static void settle() throws InterruptedException {
        Thread.sleep(Fingerprints.RACY_MILLIS + 50);
    }
}
