package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.scratchimage.core.PlanningFixtures.binary;
import static org.scratchimage.core.PlanningFixtures.file;
import static org.scratchimage.core.PlanningFixtures.requestIn;
import static org.scratchimage.core.PlanningFixtures.symlink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.elf.ElfFile;
import org.scratchimage.core.elf.Gcc;
import org.scratchimage.core.elf.SyntheticElf;
import org.scratchimage.core.image.ImagePlan;
import org.scratchimage.core.image.LayerEntry;
import org.scratchimage.core.image.Platform;
import org.scratchimage.core.image.RegularFileEntry;

/** The planner with shared-library resolution: platform from ELF headers, libraries added, errors named. */
class SharedLibrariesTest {
    private static final int EM_AARCH64 = 183;

    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();
    private final List<String> infos = new ArrayList<>();

    private ImagePlan plan(BuildRequest.Builder fixtures) throws Exception {
        return ImagePlanner.plan(fixtures.build(), new BuildListener() {
            @Override
            public void debug(String message) {}

            @Override
            public void info(String message) {
                infos.add(message);
            }

            @Override
            public void warn(String message) {
                warnings.add(message);
            }
        });
    }

    private static Map<String, LayerEntry> byPath(ImagePlan plan) {
        return plan.entries().stream().collect(Collectors.toMap(LayerEntry::path, Function.identity()));
    }

    @Test
    void aDynamicallyLinkedProgramDeclaredAloneGetsItsLoaderAndLibraries() throws Exception {
        Gcc.requireGcc();
        Gcc.compile(dir, "#include <stdio.h>\nint main(void) { puts(\"hi\"); return 0; }", "-o", "hello");
        BuildRequest.Builder fixtures = requestIn(dir).addBinary(binary("hello", "/usr/bin/hello"));
        fixtures.platform(null);
        String interpreter = ElfFile.read(dir.resolve("hello")).orElseThrow().interpreter();

        ImagePlan plan = plan(fixtures);

        Map<String, LayerEntry> entries = byPath(plan);
        assertThat(entries.get(interpreter.substring(1))).isInstanceOf(RegularFileEntry.class);
        assertThat(entries.get(interpreter.substring(1)).mode()).isEqualTo(0755);
        assertThat(entries.keySet()).anyMatch(p -> p.endsWith("/libc.so.6"));
        assertThat(plan.platform()).isEqualTo(new Platform("linux", "amd64", null));
        assertThat(infos).anyMatch(i -> i.startsWith("Shared libraries: ") && i.contains("for 1 programs"));
    }

    @Test
    void resolveLibrariesFalseAddsNothing() throws Exception {
        Gcc.requireGcc();
        Gcc.compile(dir, "int main(void) { return 0; }", "-o", "hello");
        BuildRequest.Builder fixtures = requestIn(dir);
        fixtures.addBinary(BinarySpec.builder().source("hello").path("/hello").resolveLibraries(false).build());

        ImagePlan plan = plan(fixtures);

        assertThat(byPath(plan)).containsOnlyKeys("", "hello");
    }

    @Test
    void aMissingLibraryFailsNamingDeclarationProgramSonameAndDirectories() throws Exception {
        Gcc.requireGcc();
        Files.createDirectories(dir.resolve("lib"));
        Gcc.compile(dir, "int greet(void) { return 1; }", "-shared", "-fPIC", "-Wl,-soname,libgreet.so.1",
                "-o", "lib/libgreet.so.1");
        Gcc.compile(dir, "int greet(void); int main(void) { return greet(); }", "-Llib", "-l:libgreet.so.1",
                "-Wl,--enable-new-dtags,-rpath,$ORIGIN/lib", "-o", "hello");
        Files.delete(dir.resolve("lib/libgreet.so.1"));
        BuildRequest.Builder fixtures = requestIn(dir).addBinary(binary("hello", "/app/hello"));

        InvalidConfigurationException e = catchThrowableOfType(InvalidConfigurationException.class, () -> plan(fixtures));

        assertThat(e.element()).isEqualTo("<binaries>/<binary>[1]");
        assertThat(e.getMessage()).contains("/app/hello").contains("needs libgreet.so.1")
                .contains("$ORIGIN/lib (RUNPATH, /app/lib)").contains("/usr/lib").contains("Fix: ")
                .contains("<libraries>");
    }

    @Test
    void aProgramWithAnEmptyInterpreterPathIsReportedAsAnUnreadableElfFile() throws Exception {
        Path program = Files.write(dir.resolve("x"), new SyntheticElf(64, true, 62).interpreter("").bytes());
        BuildRequest.Builder fixtures = requestIn(dir).addBinary(binary("x", "/bin/x"));

        InvalidConfigurationException e = catchThrowableOfType(InvalidConfigurationException.class, () -> plan(fixtures));

        assertThat(e.element()).isEqualTo("<binaries>/<binary>[1]");
        assertThat(e.value()).isEqualTo(program.toString());
        assertThat(e.getMessage()).contains("starts like an ELF file but cannot be read: " + program
                + " is not a readable ELF file: the interpreter path (PT_INTERP) is empty").doesNotContain("needs ,");
    }

    @Test
    void aProgramOfAnotherArchitectureThanThePlatformIsRefused() throws Exception {
        Files.write(dir.resolve("app"), new SyntheticElf(64, true, EM_AARCH64).bytes());
        BuildRequest.Builder fixtures = requestIn(dir).addBinary(binary("app", "/app"));
        fixtures.platform("linux/amd64");

        InvalidConfigurationException e = catchThrowableOfType(InvalidConfigurationException.class, () -> plan(fixtures));

        assertThat(e.element()).isEqualTo("<binaries>/<binary>[1]");
        assertThat(e.value()).isEqualTo("/app");
        assertThat(e.getMessage()).contains("arm64").contains("linux/amd64").contains("Fix: set <platform> to linux/arm64");
    }

    @Test
    void programsOfTwoArchitecturesInOneImageAreRefusedNamingBoth() throws Exception {
        Files.write(dir.resolve("a"), new SyntheticElf(64, true, EM_AARCH64).bytes());
        Files.write(dir.resolve("b"), new SyntheticElf(64, true, 62).bytes());
        BuildRequest.Builder fixtures = requestIn(dir).addBinary(binary("a", "/a")).addBinary(binary("b", "/b"));
        fixtures.platform(null);

        InvalidConfigurationException e = catchThrowableOfType(InvalidConfigurationException.class, () -> plan(fixtures));

        assertThat(e.getMessage()).contains("/a").contains("/b").contains("arm64").contains("amd64");
    }

    @Test
    void thePlatformComesFromTheProgramsNotTheHost() throws Exception {
        Files.write(dir.resolve("app"), new SyntheticElf(64, true, EM_AARCH64).bytes());
        BuildRequest.Builder fixtures = requestIn(dir).addBinary(binary("app", "/app"));
        fixtures.platform(null);
        fixtures.hostArchitecture("amd64");

        assertThat(plan(fixtures).platform()).isEqualTo(new Platform("linux", "arm64", null));
    }

    @Test
    void withoutProgramsThePlatformIsTheHosts() throws Exception {
        Files.writeString(dir.resolve("conf"), "x=1\n");
        BuildRequest.Builder fixtures = requestIn(dir);
        fixtures.addFile(file("conf", "/etc/conf"));
        fixtures.platform(null);
        fixtures.hostArchitecture("aarch64");

        assertThat(plan(fixtures).platform()).isEqualTo(new Platform("linux", "arm64", null));
    }

    @Test
    void aScriptWhoseInterpreterIsMissingIsAWarningNamingBoth() throws Exception {
        Files.writeString(dir.resolve("run"), "#!/bin/sh\necho hi\n");
        Files.writeString(dir.resolve("ok"), "#!/bin/tool -x\n");
        Files.writeString(dir.resolve("tool"), "not a program\n");
        BuildRequest.Builder fixtures = requestIn(dir).addBinary(binary("run", "/usr/bin/run"))
                .addBinary(binary("ok", "/ok"))
                .addBinary(binary("tool", "/usr/bin/tool"));
        fixtures.addSymlink(symlink("/bin", "usr/bin"));

        plan(fixtures);

        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("/usr/bin/run").contains("/bin/sh").contains("<binaries>/<binary>[1]");
    }

    @Test
    void extraLibrariesComeFromTheSysrootWithTheirClosure() throws Exception {
        Path sysroot = Files.createDirectories(dir.resolve("sysroot/usr/lib/aarch64-linux-gnu")).getParent().getParent()
                .getParent();
        Files.write(sysroot.resolve("usr/lib/aarch64-linux-gnu/libnss_dns.so.2"),
                new SyntheticElf(64, true, EM_AARCH64).soname("libnss_dns.so.2").needed("libresolv.so.2").bytes());
        Files.write(sysroot.resolve("usr/lib/aarch64-linux-gnu/libresolv.so.2"),
                new SyntheticElf(64, true, EM_AARCH64).soname("libresolv.so.2").bytes());
        BuildRequest.Builder fixtures = requestIn(dir);
        fixtures.platform("linux/arm64");
        fixtures.sysroot("sysroot");
        fixtures.libraries(List.of("libnss_dns.so.2"));

        Map<String, LayerEntry> entries = byPath(plan(fixtures));

        assertThat(entries).containsKeys("usr/lib/aarch64-linux-gnu/libnss_dns.so.2",
                "usr/lib/aarch64-linux-gnu/libresolv.so.2");
        assertThat(((RegularFileEntry) entries.get("usr/lib/aarch64-linux-gnu/libresolv.so.2")).source())
                .isEqualTo(sysroot.resolve("usr/lib/aarch64-linux-gnu/libresolv.so.2").toRealPath());
    }

    @Test
    void aSysrootThatIsNotADirectoryIsRefused() throws Exception {
        BuildRequest.Builder fixtures = requestIn(dir);
        fixtures.sysroot("missing");
        fixtures.libraries(List.of("libnss_dns.so.2"));

        InvalidConfigurationException e = catchThrowableOfType(InvalidConfigurationException.class, () -> plan(fixtures));

        assertThat(e.element()).isEqualTo("<sysroot>");
        assertThat(e.value()).isEqualTo("missing");
    }

    @Test
    void aLibraryUnderAnImageSymlinkGoesWhereTheLinkPoints() throws Exception {
        Path sysroot = Files.createDirectories(dir.resolve("sysroot/usr/lib"));
        Files.write(sysroot.resolve("libx.so.1"), new SyntheticElf(64, true, EM_AARCH64).soname("libx.so.1").bytes());
        Files.write(dir.resolve("app"), new SyntheticElf(64, true, EM_AARCH64).needed("libx.so.1").bytes());
        Files.setPosixFilePermissions(dir.resolve("app"), PosixFilePermissions.fromString("rwxr-xr-x"));
        BuildRequest.Builder fixtures = requestIn(dir).addBinary(binary("app", "/app"));
        fixtures.platform(null);
        fixtures.sysroot("sysroot");
        fixtures.addSymlink(symlink("/lib", "usr/lib"));

        Map<String, LayerEntry> entries = byPath(plan(fixtures));

        // Found as /lib/libx.so.1; the image's own /lib -> usr/lib link decides where the file lands.
        assertThat(entries).containsKey("usr/lib/libx.so.1").doesNotContainKey("lib/libx.so.1");
    }

    @Test
    void anElfFileDeclaredAsAFileIsDataAndDoesNotDecideThePlatform() throws Exception {
        Files.write(dir.resolve("arm.so"), new SyntheticElf(64, true, EM_AARCH64).bytes());
        BuildRequest.Builder fixtures = requestIn(dir);
        fixtures.addFile(file("arm.so", "/usr/share/firmware/arm.so"));
        fixtures.platform("linux/amd64");

        assertThat(plan(fixtures).platform()).isEqualTo(new Platform("linux", "amd64", null));
    }

    @Test
    void resolveLibrariesOnADirectoryWithoutSourceIsRefused() throws Exception {
        BuildRequest.Builder fixtures = requestIn(dir);
        fixtures.addDirectory(DirectorySpec.builder().path("/tmp").resolveLibraries(false).build());

        InvalidConfigurationException e = catchThrowableOfType(InvalidConfigurationException.class, () -> plan(fixtures));

        assertThat(e.element()).isEqualTo("<directories>/<directory>[1]/<resolveLibraries>");
        assertThat(e.value()).isEqualTo("false");
    }
}
