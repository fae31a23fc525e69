package org.scratchimage.core.elf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.tar.ExternalTools;

class LoaderPathTest {
    @TempDir
    Path dir;

    /** The host's glibc loader read from its bytes gives what it says itself with {@code --help}. */
    @Test
    void theHostLoadersBuiltInPathIsWhatItReportsItself() throws Exception {
        Gcc.requireGcc();
        Gcc.compile(dir, "int main(void) { return 0; }", "-o", "probe");
        ElfFile probe = ElfFile.read(dir.resolve("probe")).orElseThrow();
        String interpreter = probe.interpreter();
        List<String> reported = ExternalTools.run(List.of("env", interpreter, "--help")).assertSuccess().out().lines()
                .filter(line -> line.endsWith("(system search path)")).map(line -> line.trim().split(" ")[0]).toList();

        LoaderPath loader = LoaderPath.of(interpreter, Path.of(interpreter), Path.of("/"), probe);

        assertThat(reported).isNotEmpty();
        assertThat(loader.directories()).isEqualTo(reported);
        assertThat(loader.readsLdSoConf()).isTrue();
    }

    @Test
    void glibcsSystemDirsAreFoundAmongOtherStrings() {
        byte[] fedora = bytes("\u0001\u0000/etc/ld.so.cache\u0000/lib64/\u0000/usr/lib64/\u0000\u0000/proc/self/\u0000");
        byte[] debian = bytes("x86_64\u0000/lib/i386-linux-gnu/\u0000/usr/lib/i386-linux-gnu/\u0000/lib/\u0000/usr/lib/\u0000");

        assertThat(LoaderPath.systemDirs(fedora)).containsExactly("/lib64", "/usr/lib64");
        assertThat(LoaderPath.systemDirs(debian)).containsExactly("/lib/i386-linux-gnu", "/usr/lib/i386-linux-gnu",
                "/lib", "/usr/lib");
        assertThat(LoaderPath.systemDirs(bytes("\u0000/lib/\u0000plain text /usr/lib/\u0000"))).isEmpty();
    }

    @Test
    void aMuslLoaderWithoutItsStringStillGetsMuslsPathAndNoLdSoConf() throws Exception {
        Path loader = Files.write(dir.resolve("ld-musl-x86_64.so.1"), new SyntheticElf(64, true, 62).bytes());
        ElfFile reference = ElfFile.read(loader).orElseThrow();

        LoaderPath path = LoaderPath.of("/lib/ld-musl-x86_64.so.1", loader, dir, reference);

        assertThat(path.directories()).containsExactly("/lib", "/usr/local/lib", "/usr/lib");
        assertThat(path.readsLdSoConf()).isFalse();
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.ISO_8859_1);
    }
}
