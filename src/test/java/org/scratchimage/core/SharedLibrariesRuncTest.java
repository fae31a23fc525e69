package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.PlanningFixtures.binary;
import static org.scratchimage.core.PlanningFixtures.requestIn;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.elf.ElfFile;
import org.scratchimage.core.elf.Gcc;
import org.scratchimage.core.tar.ExternalTools;

/**
 * Programs compiled here, resolved against a sysroot made here, and run under runc: a build that passes must give a
 * program that runs, which is what the loader's search rules are for.
 */
class SharedLibrariesRuncTest {
    @TempDir
    Path dir;

    @BeforeEach
    void tools() throws Exception {
        Gcc.requireGcc();
        ExternalTools.require("umoci");
        ExternalTools.require("runc");
        ExternalTools.requireRoot("umoci unpack and runc run");
    }

    /** Defect 9 of issue 10: the program's DT_RPATH also serves the libraries of its libraries, as in glibc. */
    @Test
    void aProgramsRpathFindsTheLibrariesOfItsLibrariesAndTheImageRuns() throws Exception {
        Path root = sysrootWithHostLibc();
        Path x = Files.createDirectories(root.resolve("opt/x"));
        Gcc.compile(dir, "int b(void) { return 42; }", "-shared", "-fPIC", "-Wl,-soname,libb.so", "-o",
                x.resolve("libb.so").toString());
        Gcc.compile(dir, "int b(void); int a(void) { return b(); }", "-shared", "-fPIC", "-Wl,-soname,liba.so",
                "-L" + x, "-lb", "-o", x.resolve("liba.so").toString());
        Gcc.compile(dir, "#include <stdio.h>\nint a(void); int main(void) { printf(\"a says %d\\n\", a()); return 0; }",
                "-L" + x, "-la", "-Wl,-rpath-link," + x, "-Wl,--disable-new-dtags,-rpath,/opt/x", "-o", "prog");
        ElfFile prog = ElfFile.read(dir.resolve("prog")).orElseThrow();
        assertThat(prog.rpath()).isEqualTo("/opt/x");
        assertThat(ElfFile.read(x.resolve("liba.so")).orElseThrow().rpath()).isNull();

        String out = buildAndRun(requestIn(dir).sysroot(root.toString()).addBinary(binary("prog", "/app/prog")),
                "/app/prog");

        assertThat(out).contains("a says 42");
    }

    /**
     * Defect 10 of issue 10: a library that Debian's multiarch loader would never find in the sysroot (it is only in
     * /usr/lib64, which that loader does not search) fails the build naming the library and the directory, as the
     * program would fail on the sysroot itself. Listed in the sysroot's ld.so.conf, it goes where the loader looks
     * and the image runs.
     */
    @Test
    void aLibraryWhereTheLoaderNeverLooksFailsTheBuildAndThroughLdSoConfRuns() throws Exception {
        Path root = sysrootWithHostLibc();
        Path lib64 = Files.createDirectories(root.resolve("usr/lib64"));
        Gcc.compile(dir, "int greet(void) { return 7; }", "-shared", "-fPIC", "-Wl,-soname,libgreet.so.1", "-o",
                lib64.resolve("libgreet.so.1").toString());
        Gcc.compile(dir, "#include <stdio.h>\nint greet(void); int main(void) { printf(\"greet %d\\n\", greet()); }",
                "-L" + lib64, "-l:libgreet.so.1", "-o", "hello");
        List<String> loaderPath = hostLoaderDirectories();
        ExternalTools.requireThat(!loaderPath.contains("/usr/lib64"), "the host's loader searches /usr/lib64 ("
                + loaderPath + "): this test needs a loader that does not, such as Debian's multiarch one");
        BuildRequest.Builder request = requestIn(dir).sysroot(root.toString()).addBinary(binary("hello", "/app/hello"));

        InvalidConfigurationException e = PlanningFixtures.assertInvalid(() -> build(request, "/app/hello"),
                "<binaries>/<binary>[1]", "/app/hello");

        assertThat(e.getMessage()).contains("needs libgreet.so.1").contains("/usr/lib64").contains("ld.so.conf");

        Files.writeString(Files.createDirectories(root.resolve("etc")).resolve("ld.so.conf"), "/usr/lib64\n");
        assertThat(buildAndRun(request, "/app/hello")).contains("greet 7");
    }

    /**
     * A sysroot holding copies of the host's loader and the libraries a C program needs, at the paths the host's
     * loader reports (asked with {@code ld.so --list}, the loader itself, not our resolver). libc names the loader as
     * {@code DT_NEEDED} too: it gets a link beside libc, as on a Debian system.
     */
    private Path sysrootWithHostLibc() throws Exception {
        Gcc.compile(dir, "#include <stdio.h>\nint main(void) { puts(\"probe\"); return 0; }", "-o", "probe");
        String interpreter = ElfFile.read(dir.resolve("probe")).orElseThrow().interpreter();
        Path root = Files.createDirectories(dir.resolve("sysroot"));
        copyIn(root, interpreter);
        String list = ExternalTools.run(List.of("env", interpreter, "--list", dir.resolve("probe").toString()))
                .assertSuccess().out();
        for (String line : list.lines().toList()) {
            int arrow = line.indexOf("=> /");
            if (arrow >= 0) {
                String path = line.substring(arrow + 3, line.lastIndexOf(" ("));
                copyIn(root, path);
                Path beside = root.resolve(path.substring(1)).resolveSibling(Path.of(interpreter).getFileName());
                if (!Files.exists(beside)) {
                    Files.createSymbolicLink(beside, beside.getParent().relativize(root.resolve(interpreter.substring(1))));
                }
            }
        }
        return root;
    }

    private static void copyIn(Path root, String path) throws Exception {
        Path target = root.resolve(path.substring(1));
        Files.createDirectories(target.getParent());
        Files.copy(Path.of(path).toRealPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The host loader's built-in directories, from {@code ld.so --help} ("(system search path)"). */
    private List<String> hostLoaderDirectories() throws Exception {
        String interpreter = ElfFile.read(dir.resolve("probe")).orElseThrow().interpreter();
        return ExternalTools.run(List.of("env", interpreter, "--help")).out().lines()
                .filter(line -> line.contains("(system search path)")).map(line -> line.trim().split(" ")[0])
                .toList();
    }

    private BuildResult build(BuildRequest.Builder request, String entrypoint) throws Exception {
        request.outputDirectory(dir.resolve("out")).tags(List.of("t"))
                .container(ContainerSpec.builder().entrypoint(List.of(entrypoint)).build());
        return new ImageBuilder(line -> {}).build(request.build());
    }

    /** Builds the image, unpacks it with umoci and runs it with runc; returns what the program printed. */
    private String buildAndRun(BuildRequest.Builder request, String entrypoint) throws Exception {
        build(request, entrypoint);
        Path bundle = dir.resolve("bundle");
        ExternalTools.run(List.of("rm", "-rf", bundle.toString())).assertSuccess();
        ExternalTools.run(List.of("umoci", "unpack", "--image", dir.resolve("out") + ":t", bundle.toString()))
                .assertSuccess();
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(bundle.resolve("config.json").toFile());
        ((ObjectNode) config.path("process")).put("terminal", false);
        json.writeValue(bundle.resolve("config.json").toFile(), config);
        String id = "scratch-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try {
            ExternalTools.Result run = ExternalTools.run(List.of("runc", "run", "--bundle", bundle.toString(), id));
            assertThat(run.exitCode()).as("runc run: %s %s", run.out(), run.stderr()).isZero();
            return run.out();
        } finally {
            ExternalTools.run(List.of("runc", "delete", "-f", id));
        }
    }
}
