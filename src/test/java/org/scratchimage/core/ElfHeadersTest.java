package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.PlanningFixtures.requestIn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.elf.SyntheticElf;

/**
 * A build takes the ELF headers of unchanged files from the last build's {@code .<name>.scratch-elf}: only the files
 * whose stamps changed are opened (issue 18, W6), and a changed file is read again.
 */
class ElfHeadersTest {
    private static final int EM_AARCH64 = 183;
    private static final int EM_X86_64 = 62;

    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();

    @Test
    void anUnchangedProgramsHeaderComesFromTheLastBuildNotFromTheFile() throws Exception {
        BuildRequest request = treeWithProgram(EM_AARCH64);
        BuildResult first = build(request);
        assertThat(first.image().plan().platform().architecture()).isEqualTo("arm64");
        Path headers = first.layout().resolveSibling(".oci.scratch-elf");
        assertThat(Files.readString(headers)).startsWith(ElfHeaders.HEADER + "\n")
                .contains(dir.resolve("tree/bin/app").toRealPath() + "\t").contains("\theader\telf\t64\ttrue\t183\t");
        // What the last build read, made to say x86-64: only a header taken from the record can say so.
        Files.writeString(headers, Files.readString(headers).replace("\t183\t", "\t62\t"));
        Files.writeString(dir.resolve("tree/data.txt"), "changed\n");

        BuildResult second = build(request);

        assertThat(second.image().plan().platform().architecture()).isEqualTo("amd64");
    }

    @Test
    void aChangedProgramIsReadAgain() throws Exception {
        BuildRequest request = treeWithProgram(EM_AARCH64);
        build(request);
        program(EM_X86_64);

        BuildResult second = build(request);

        assertThat(second.image().plan().platform().architecture()).isEqualTo("amd64");
        assertThat(Files.readString(second.layout().resolveSibling(".oci.scratch-elf"))).contains("\t62\t")
                .doesNotContain("\t183\t");
    }

    @Test
    void aDamagedRecordIsIgnored() throws Exception {
        BuildRequest request = treeWithProgram(EM_AARCH64);
        BuildResult first = build(request);
        Path headers = first.layout().resolveSibling(".oci.scratch-elf");
        Files.writeString(headers, ElfHeaders.HEADER + "\nnot\ta record\n");
        Files.writeString(dir.resolve("tree/data.txt"), "changed\n");

        BuildResult second = build(request);

        assertThat(second.image().plan().platform().architecture()).isEqualTo("arm64");
        assertThat(Files.readString(headers)).contains("\t183\t");
        assertThat(log).anyMatch(line -> line.startsWith("Reading every ELF header again: " + headers));
    }

    private BuildRequest treeWithProgram(int machine) throws Exception {
        Files.createDirectories(dir.resolve("tree/bin"));
        Files.writeString(dir.resolve("tree/data.txt"), "data\n");
        program(machine);
        return requestIn(dir).platform(null).addDirectory(DirectorySpec.builder().source("tree").path("/")
                .resolveLibraries(false).build()).build();
    }

    private void program(int machine) throws Exception {
        Path app = dir.resolve("tree/bin/app");
        Files.write(app, new SyntheticElf(64, true, machine).bytes());
        Files.setPosixFilePermissions(app, PosixFilePermissions.fromString("rwxr-xr-x"));
        Thread.sleep(Fingerprints.RACY_MILLIS + 50);
    }

    private BuildResult build(BuildRequest request) throws Exception {
        log.clear();
        return new ImageBuilder(BuildListener.of(log::add)).build(request);
    }
}
