package org.scratchimage.core.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibraryResolverTest {
    private static final int EM_AARCH64 = 183;
    private static final int EM_X86_64 = 62;

    @TempDir
    Path dir;

    /** An image holding only the given paths. */
    private static LibraryResolver.Image imageOf(Set<String> paths) {
        return new LibraryResolver.Image() {
            @Override
            public boolean contains(String path) {
                return paths.contains(path);
            }

            @Override
            public Optional<Path> regularFile(String path) {
                return Optional.empty();
            }

            @Override
            public boolean hasSoname(String soname) {
                return false;
            }
        };
    }

    private static Map<String, LibraryResolver.Library> byPath(List<LibraryResolver.Library> libraries) {
        return libraries.stream().collect(Collectors.toMap(LibraryResolver.Library::imagePath, Function.identity()));
    }

    @Test
    void aCompiledProgramGetsItsInterpreterItsRunpathLibraryAndLibc() throws Exception {
        Gcc.requireGcc();
        compileHelloWithLibrary();
        Path program = dir.resolve("bin/hello");
        ElfFile elf = ElfFile.read(program).orElseThrow();

        List<LibraryResolver.Library> added = new LibraryResolver(Path.of("/"), elf).resolve(
                List.of(new LibraryResolver.Program("/app/bin/hello", program, elf, "<binaries>/<binary>[1]")),
                List.of(), imageOf(Set.of("/app/bin/hello")));

        Map<String, LibraryResolver.Library> libraries = byPath(added);
        // $ORIGIN/../lib seen from the image path, filled from the host path's own ../lib.
        assertThat(libraries.get("/app/lib/libgreet.so.1").hostFile())
                .isEqualTo(dir.resolve("lib/libgreet.so.1").toRealPath());
        assertThat(libraries).containsKey(elf.interpreter());
        assertThat(libraries.keySet()).anyMatch(p -> p.endsWith("/libc.so.6"));
        // Each host file once: every other path to the same bytes is a link to the first copy.
        assertThat(added.stream().filter(l -> l.hostFile() != null).map(LibraryResolver.Library::hostFile))
                .doesNotHaveDuplicates();
        assertThat(libraries.get("/app/lib/libgreet.so.1").neededBy()).isEqualTo("/app/bin/hello");
    }

    @Test
    void aDeletedLibraryFailsNamingProgramSonameAndEveryDirectorySearched() throws Exception {
        Gcc.requireGcc();
        compileHelloWithLibrary();
        Files.delete(dir.resolve("lib/libgreet.so.1"));
        Path program = dir.resolve("bin/hello");
        ElfFile elf = ElfFile.read(program).orElseThrow();
        LibraryResolver resolver = new LibraryResolver(Path.of("/"), elf);

        assertThatThrownBy(() -> resolver.resolve(
                List.of(new LibraryResolver.Program("/app/bin/hello", program, elf, "<binaries>/<binary>[1]")),
                List.of(), imageOf(Set.of())))
                .isInstanceOfSatisfying(LibraryNotFoundException.class, e -> {
                    assertThat(e.program()).isEqualTo("/app/bin/hello");
                    assertThat(e.origin()).isEqualTo("<binaries>/<binary>[1]");
                    assertThat(e.library()).isEqualTo("libgreet.so.1");
                    assertThat(e.searched()).first().asString().contains("$ORIGIN/../lib").contains("/app/lib");
                    assertThat(e.searched()).containsAll(resolver.defaultDirectories());
                });
    }

    @Test
    void aLibraryTheImageAlreadyHoldsWhereTheLoaderLooksIsNotAdded() throws Exception {
        Gcc.requireGcc();
        compileHelloWithLibrary();
        Path program = dir.resolve("bin/hello");
        ElfFile elf = ElfFile.read(program).orElseThrow();

        List<LibraryResolver.Library> added = new LibraryResolver(Path.of("/"), elf).resolve(
                List.of(new LibraryResolver.Program("/app/bin/hello", program, elf, "x")),
                List.of(), imageOf(Set.of("/app/bin/hello", "/app/lib/libgreet.so.1")));

        assertThat(byPath(added)).doesNotContainKey("/app/lib/libgreet.so.1");
    }

    /** An arm64 sysroot on any host: links resolve inside it, other machines' files are passed over. */
    @Test
    void anArm64SysrootIsSearchedLikeItsOwnLoaderWould() throws Exception {
        Path root = Files.createDirectories(dir.resolve("sysroot"));
        Files.createDirectories(root.resolve("usr/lib/aarch64-linux-gnu"));
        Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));
        // An absolute link: followed inside the sysroot, never to the host's /usr/lib.
        Files.createSymbolicLink(root.resolve("lib64"), Path.of("/usr/lib/aarch64-linux-gnu"));
        Files.createDirectories(root.resolve("etc/ld.so.conf.d"));
        Files.writeString(root.resolve("etc/ld.so.conf"), "# comment\ninclude ld.so.conf.d/*.conf\n");
        Files.writeString(root.resolve("etc/ld.so.conf.d/a.conf"), "/opt/wrong\n");
        Files.writeString(root.resolve("etc/ld.so.conf.d/b.conf"), "/opt/vendor/lib\n");
        Files.createDirectories(root.resolve("opt/wrong"));
        Files.createDirectories(root.resolve("opt/vendor/lib"));
        // An amd64 libvendor first in the search order: the loader would skip it, so must we.
        Files.write(root.resolve("opt/wrong/libvendor.so.2"),
                new SyntheticElf(64, true, EM_X86_64).soname("libvendor.so.2").bytes());
        Files.write(root.resolve("opt/vendor/lib/libvendor.so.2"),
                new SyntheticElf(64, true, EM_AARCH64).soname("libvendor.so.2").needed("libc.so.6").bytes());
        Files.write(root.resolve("usr/lib/aarch64-linux-gnu/libc.so.6"),
                new SyntheticElf(64, true, EM_AARCH64).soname("libc.so.6").needed("ld-linux-aarch64.so.1").bytes());
        Files.write(root.resolve("usr/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1"),
                new SyntheticElf(64, true, EM_AARCH64).soname("ld-linux-aarch64.so.1").bytes());
        Path program = Files.write(dir.resolve("app"), new SyntheticElf(64, true, EM_AARCH64)
                .interpreter("/lib64/ld-linux-aarch64.so.1").needed("libvendor.so.2", "libc.so.6").bytes());
        ElfFile elf = ElfFile.read(program).orElseThrow();

        List<LibraryResolver.Library> added = new LibraryResolver(root, elf).resolve(
                List.of(new LibraryResolver.Program("/usr/bin/app", program, elf, "x")),
                List.of("/usr/lib/aarch64-linux-gnu/libc.so.6"), imageOf(Set.of("/usr/bin/app")));

        Map<String, LibraryResolver.Library> libraries = byPath(added);
        Path realLib = root.resolve("usr/lib/aarch64-linux-gnu").toRealPath();
        assertThat(libraries.get("/lib64/ld-linux-aarch64.so.1").hostFile())
                .isEqualTo(realLib.resolve("ld-linux-aarch64.so.1"));
        // Found through ld.so.conf only: placed in the first default directory, where the image's loader looks.
        assertThat(libraries.get("/lib/aarch64-linux-gnu/libvendor.so.2").hostFile())
                .isEqualTo(root.resolve("opt/vendor/lib/libvendor.so.2").toRealPath());
        assertThat(libraries.get("/lib/aarch64-linux-gnu/libc.so.6").hostFile()).isEqualTo(realLib.resolve("libc.so.6"));
        // The same host file asked for again under another path becomes a link to the first copy.
        LibraryResolver.Library again = libraries.get("/usr/lib/aarch64-linux-gnu/libc.so.6");
        assertThat(again.hostFile()).isNull();
        assertThat(again.linkTarget()).isEqualTo("/lib/aarch64-linux-gnu/libc.so.6");
        // libc's DT_NEEDED names the interpreter, which the image already holds in a default directory.
        assertThat(libraries).doesNotContainKey("/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1");
        assertThat(added.stream().filter(l -> l.hostFile() != null).map(LibraryResolver.Library::hostFile))
                .doesNotHaveDuplicates();
    }

    @Test
    void extraLibrariesByNameOrPathGetTheirOwnClosure() throws Exception {
        Path root = Files.createDirectories(dir.resolve("sysroot"));
        Path lib = Files.createDirectories(root.resolve("usr/lib"));
        Files.write(lib.resolve("libnss_dns.so.2"),
                new SyntheticElf(64, true, EM_AARCH64).soname("libnss_dns.so.2").needed("libresolv.so.2").bytes());
        Files.write(lib.resolve("libresolv.so.2"), new SyntheticElf(64, true, EM_AARCH64).soname("libresolv.so.2").bytes());
        Files.createDirectories(root.resolve("usr/lib/gconv"));
        Files.write(root.resolve("usr/lib/gconv/UTF-16.so"), new SyntheticElf(64, true, EM_AARCH64).bytes());
        ElfFile reference = ElfFile.read(lib.resolve("libresolv.so.2")).orElseThrow();

        List<LibraryResolver.Library> added = new LibraryResolver(root, reference)
                .resolve(List.of(), List.of("libnss_dns.so.2", "/usr/lib/gconv/UTF-16.so"), imageOf(Set.of()));

        assertThat(byPath(added)).containsOnlyKeys("/usr/lib/libnss_dns.so.2", "/usr/lib/libresolv.so.2",
                "/usr/lib/gconv/UTF-16.so");
        assertThat(byPath(added).get("/usr/lib/libnss_dns.so.2").neededBy()).isEqualTo("<libraries>/<library>[1] libnss_dns.so.2");
    }

    @Test
    void aMissingInterpreterIsReported() throws Exception {
        Path root = Files.createDirectories(dir.resolve("sysroot"));
        Path program = Files.write(dir.resolve("app"), new SyntheticElf(64, true, EM_AARCH64)
                .interpreter("/lib/ld-linux-aarch64.so.1").bytes());
        ElfFile elf = ElfFile.read(program).orElseThrow();
        LibraryResolver resolver = new LibraryResolver(root, elf);

        assertThatThrownBy(() -> resolver.resolve(List.of(new LibraryResolver.Program("/app", program, elf, "x")),
                List.of(), imageOf(Set.of())))
                .isInstanceOfSatisfying(LibraryNotFoundException.class,
                        e -> assertThat(e.library()).isEqualTo("/lib/ld-linux-aarch64.so.1"));
    }

    @Test
    void aSymlinkLoopInTheSysrootIsAnErrorNotAHang() throws Exception {
        Path root = Files.createDirectories(dir.resolve("sysroot"));
        Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("/a"));

        assertThatThrownBy(() -> Sysroot.resolve(root, "/a/x")).isInstanceOf(java.nio.file.FileSystemLoopException.class);
    }

    private void compileHelloWithLibrary() throws Exception {
        Files.createDirectories(dir.resolve("lib"));
        Files.createDirectories(dir.resolve("bin"));
        Gcc.compile(dir, "int greet(void) { return 42; }", "-shared", "-fPIC", "-Wl,-soname,libgreet.so.1",
                "-o", "lib/libgreet.so.1");
        Gcc.compile(dir, "int greet(void); int main(void) { return greet() == 42 ? 0 : 1; }",
                "-Llib", "-l:libgreet.so.1", "-Wl,--enable-new-dtags,-rpath,$ORIGIN/../lib", "-o", "bin/hello");
    }
}
