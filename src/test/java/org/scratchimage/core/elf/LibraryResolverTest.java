package org.scratchimage.core.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
                    // The host loader's own built-in path, read from its bytes.
                    assertThat(e.searched()).contains("/lib", "/usr/lib").endsWith("/usr/lib");
                    assertThat(e.loader()).isEqualTo(elf.interpreter());
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
        // libc's DT_NEEDED names the interpreter, which is loaded already: glibc matches it by name.
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

    /**
     * Defect 2 of issue 10: a sysroot library that is itself a link, absolute or relative with enough {@code ../},
     * resolves inside the sysroot, while a host file of the same path exists and must not be taken.
     */
    @Test
    void aSysrootLibrarysOwnLinkIsFollowedInsideTheSysrootNeverOnTheHost() throws Exception {
        Path host = Files.createDirectories(dir.resolve("host/opt/x"));
        Path root = Files.createDirectories(dir.resolve("sysroot"));
        Path inside = Files.createDirectories(root.resolve(host.toString().substring(1)));
        for (String name : List.of("libabs.so.1", "librel.so.1", "ld-linux-aarch64.so.1")) {
            Files.write(host.resolve(name), arm64(name).rpath("/the/host/copy").bytes());
            Files.write(inside.resolve(name), arm64(name).rpath("/the/sysroot/copy").bytes());
        }
        Path lib = Files.createDirectories(root.resolve("usr/lib"));
        Files.createDirectories(root.resolve("lib"));
        // Absolute: a path that exists on the host, and also at sysroot + that path.
        Files.createSymbolicLink(lib.resolve("libabs.so.1"), host.resolve("libabs.so.1"));
        Files.createSymbolicLink(root.resolve("lib/ld-linux-aarch64.so.1"), host.resolve("ld-linux-aarch64.so.1"));
        // Relative, with more ../ than the sysroot is deep: on the host it reaches the host file.
        Path relative = Path.of("../".repeat(lib.getNameCount()) + host.toString().substring(1) + "/librel.so.1");
        Files.createSymbolicLink(lib.resolve("librel.so.1"), relative);
        assertThat(lib.resolve("librel.so.1").toRealPath()).isEqualTo(host.resolve("librel.so.1").toRealPath());
        // Dangling inside the sysroot (only the host has the target): not found there, the next directory serves.
        Path hostOnly = Files.createDirectories(dir.resolve("host/only"));
        Files.write(hostOnly.resolve("libdangle.so.1"), arm64("libdangle.so.1").rpath("/the/host/copy").bytes());
        Files.createSymbolicLink(root.resolve("lib/libdangle.so.1"), hostOnly.resolve("libdangle.so.1"));
        Files.write(lib.resolve("libdangle.so.1"), arm64("libdangle.so.1").rpath("/the/sysroot/copy").bytes());
        Path program = Files.write(dir.resolve("app"), new SyntheticElf(64, true, EM_AARCH64)
                .interpreter("/lib/ld-linux-aarch64.so.1").needed("libabs.so.1", "librel.so.1", "libdangle.so.1")
                .bytes());
        ElfFile elf = ElfFile.read(program).orElseThrow();

        Map<String, LibraryResolver.Library> libraries = byPath(new LibraryResolver(root, elf).resolve(
                List.of(new LibraryResolver.Program("/app", program, elf, "x")), List.of(), imageOf(Set.of("/app"))));

        for (String path : List.of("/usr/lib/libabs.so.1", "/usr/lib/librel.so.1", "/lib/ld-linux-aarch64.so.1",
                "/usr/lib/libdangle.so.1")) {
            Path copied = libraries.get(path).hostFile();
            assertThat(copied).as(path).startsWith(root.toRealPath());
            assertThat(ElfFile.read(copied).orElseThrow().rpath()).as(path).isEqualTo("/the/sysroot/copy");
        }
        assertThat(libraries).doesNotContainKey("/lib/libdangle.so.1");
    }

    /** Defect 9 of issue 10: glibc's rule, DT_RPATH of the object and of each object that loaded it. */
    @Test
    void anRpathReachesTheLibrariesOfItsLibrariesUnlessTheyHaveARunpath() throws Exception {
        Path root = Files.createDirectories(dir.resolve("sysroot"));
        Path x = Files.createDirectories(root.resolve("opt/x"));
        Path y = Files.createDirectories(root.resolve("opt/y"));
        Files.createDirectories(root.resolve("usr/lib"));
        Files.write(x.resolve("liba.so"), arm64("liba.so").needed("libb.so").bytes());
        // libb has a RUNPATH: it takes no RPATH, neither its own nor inherited, for its own libraries...
        Files.write(x.resolve("libb.so"), arm64("libb.so").runpath("/opt/y").needed("libc2.so").bytes());
        Files.write(y.resolve("libc2.so"), arm64("libc2.so").needed("libd.so").bytes());
        // ...but libc2, loaded by libb, has none: the chain libc2 <- libb <- liba <- app is searched, and app's RPATH
        // still counts (libb's own RPATH is void, its RUNPATH never inherited).
        Files.write(x.resolve("libd.so"), arm64("libd.so").bytes());
        Path program = Files.write(dir.resolve("app"), new SyntheticElf(64, true, EM_AARCH64).rpath("/opt/x")
                .needed("liba.so").bytes());
        ElfFile elf = ElfFile.read(program).orElseThrow();

        Map<String, LibraryResolver.Library> libraries = byPath(new LibraryResolver(root, elf).resolve(
                List.of(new LibraryResolver.Program("/app", program, elf, "x")), List.of(), imageOf(Set.of("/app"))));

        assertThat(libraries).containsOnlyKeys("/opt/x/liba.so", "/opt/x/libb.so", "/opt/y/libc2.so", "/opt/x/libd.so");

        // A library with a RUNPATH does not see the program's RPATH.
        Files.write(x.resolve("libb.so"), arm64("libb.so").runpath("/opt/y").needed("libd.so").bytes());
        ElfFile again = ElfFile.read(program).orElseThrow();
        assertThatThrownBy(() -> new LibraryResolver(root, again).resolve(
                List.of(new LibraryResolver.Program("/app", program, again, "x")), List.of(), imageOf(Set.of("/app"))))
                .isInstanceOfSatisfying(LibraryNotFoundException.class, e -> {
                    assertThat(e.program()).isEqualTo("/opt/x/libb.so");
                    assertThat(e.library()).isEqualTo("libd.so");
                    assertThat(e.searched()).noneMatch(s -> s.contains("/opt/x"));
                });
    }

    /**
     * Defect 10 of issue 10: Debian's multiarch loader has no lib64 in its built-in path; a library found only there
     * would be placed where it never looks, so the build fails naming the library and the directory.
     */
    @Test
    void aLibraryOnlyWhereADebianLoaderNeverLooksIsReportedWithThatDirectory() throws Exception {
        Path root = loaderSysroot("/lib/ld-linux-aarch64.so.1",
                "/lib/aarch64-linux-gnu/\0/usr/lib/aarch64-linux-gnu/\0/lib/\0/usr/lib/\0");
        Files.createDirectories(root.resolve("usr/lib/aarch64-linux-gnu"));
        Files.createDirectories(root.resolve("usr/lib64"));
        Files.write(root.resolve("usr/lib64/libgreet.so.1"), arm64("libgreet.so.1").bytes());
        Path program = arm64Program("/lib/ld-linux-aarch64.so.1", "libgreet.so.1");
        ElfFile elf = ElfFile.read(program).orElseThrow();

        assertThatThrownBy(() -> new LibraryResolver(root, elf).resolve(
                List.of(new LibraryResolver.Program("/app", program, elf, "x")), List.of(), imageOf(Set.of("/app"))))
                .isInstanceOfSatisfying(LibraryNotFoundException.class, e -> {
                    assertThat(e.library()).isEqualTo("libgreet.so.1");
                    assertThat(e.searched()).containsExactly("/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
                            "/lib", "/usr/lib");
                    assertThat(e.elsewhere()).containsExactly("/usr/lib64");
                    assertThat(e.loader()).isEqualTo("/lib/ld-linux-aarch64.so.1");
                });
    }

    /** A Fedora-style loader searches only lib64: what ld.so.conf finds goes there, and nothing to /lib. */
    @Test
    void aLib64LoaderGetsItsLibrariesInLib64EvenWhenTheSysrootHasOtherFolders() throws Exception {
        Path root = loaderSysroot("/lib/ld-linux-aarch64.so.1", "/lib64/\0/usr/lib64/\0");
        Files.createDirectories(root.resolve("lib/aarch64-linux-gnu"));
        Files.createDirectories(root.resolve("usr/lib64"));
        Files.createDirectories(root.resolve("opt/vendor"));
        Files.writeString(root.resolve("etc/ld.so.conf"), "/opt/vendor\n");
        Files.write(root.resolve("usr/lib64/libc.so.6"), arm64("libc.so.6").bytes());
        Files.write(root.resolve("opt/vendor/libvendor.so.1"), arm64("libvendor.so.1").bytes());
        Path program = arm64Program("/lib/ld-linux-aarch64.so.1", "libvendor.so.1", "libc.so.6");
        ElfFile elf = ElfFile.read(program).orElseThrow();

        Map<String, LibraryResolver.Library> libraries = byPath(new LibraryResolver(root, elf).resolve(
                List.of(new LibraryResolver.Program("/app", program, elf, "x")), List.of(), imageOf(Set.of("/app"))));

        // Found through ld.so.conf: in the first of the loader's directories that the sysroot has.
        assertThat(libraries).containsOnlyKeys("/lib/ld-linux-aarch64.so.1", "/usr/lib64/libc.so.6",
                "/usr/lib64/libvendor.so.1");
    }

    /** musl searches /lib, /usr/local/lib and /usr/lib, and reads no ld.so.conf. */
    @Test
    void aMuslLoaderIsSearchedWithItsOwnPathAndNoLdSoConf() throws Exception {
        Path root = loaderSysroot("/lib/ld-musl-aarch64.so.1", "/lib:/usr/local/lib:/usr/lib\0");
        Files.createDirectories(root.resolve("usr/local/lib"));
        Files.createDirectories(root.resolve("usr/lib64"));
        Files.createDirectories(root.resolve("opt/vendor"));
        Files.writeString(root.resolve("etc/ld.so.conf"), "/opt/vendor\n");
        Files.write(root.resolve("usr/local/lib/liblocal.so.1"), arm64("liblocal.so.1").bytes());
        Files.write(root.resolve("opt/vendor/libvendor.so.1"), arm64("libvendor.so.1").bytes());
        Path program = arm64Program("/lib/ld-musl-aarch64.so.1", "liblocal.so.1");
        ElfFile elf = ElfFile.read(program).orElseThrow();

        Map<String, LibraryResolver.Library> libraries = byPath(new LibraryResolver(root, elf).resolve(
                List.of(new LibraryResolver.Program("/app", program, elf, "x")), List.of(), imageOf(Set.of("/app"))));
        assertThat(libraries).containsOnlyKeys("/lib/ld-musl-aarch64.so.1", "/usr/local/lib/liblocal.so.1");

        Path vendor = arm64Program("/lib/ld-musl-aarch64.so.1", "libvendor.so.1");
        ElfFile vendorElf = ElfFile.read(vendor).orElseThrow();
        assertThatThrownBy(() -> new LibraryResolver(root, vendorElf).resolve(
                List.of(new LibraryResolver.Program("/app", vendor, vendorElf, "x")), List.of(), imageOf(Set.of("/app"))))
                .isInstanceOfSatisfying(LibraryNotFoundException.class,
                        e -> assertThat(e.searched()).containsExactly("/lib", "/usr/local/lib", "/usr/lib"));
    }

    /** A sysroot holding a loader at {@code interpreter} whose bytes carry {@code builtInPath}, NUL-separated or not. */
    private Path loaderSysroot(String interpreter, String builtInPath) throws Exception {
        Path root = Files.createDirectories(dir.resolve("sysroot"));
        Path loader = root.resolve(interpreter.substring(1));
        Files.createDirectories(loader.getParent());
        Files.createDirectories(root.resolve("etc"));
        byte[] elf = arm64(loader.getFileName().toString()).bytes();
        byte[] strings = ("\0" + builtInPath + "\0").getBytes(StandardCharsets.UTF_8);
        byte[] bytes = Arrays.copyOf(elf, elf.length + strings.length);
        System.arraycopy(strings, 0, bytes, elf.length, strings.length);
        Files.write(loader, bytes);
        return root;
    }

    private Path arm64Program(String interpreter, String... needed) throws Exception {
        return Files.write(dir.resolve("app-" + needed[0]), new SyntheticElf(64, true, EM_AARCH64)
                .interpreter(interpreter).needed(needed).bytes());
    }

    private static SyntheticElf arm64(String soname) {
        return new SyntheticElf(64, true, EM_AARCH64).soname(soname);
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
