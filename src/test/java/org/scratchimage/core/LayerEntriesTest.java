package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.PlanningFixtures.assertInvalid;
import static org.scratchimage.core.PlanningFixtures.binary;
import static org.scratchimage.core.PlanningFixtures.emptyDirectory;
import static org.scratchimage.core.PlanningFixtures.file;
import static org.scratchimage.core.PlanningFixtures.requestIn;
import static org.scratchimage.core.PlanningFixtures.symlink;
import static org.scratchimage.core.PlanningFixtures.tree;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.tar.ExternalTools;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scratchimage.core.image.DirectoryEntry;
import org.scratchimage.core.image.LayerEntry;
import org.scratchimage.core.image.RegularFileEntry;
import org.scratchimage.core.image.SymlinkEntry;

/** Entry collection: defaults, parents, order, host trees, and every mistake a declaration can hold. */
class LayerEntriesTest {
    @TempDir
    Path base;

    private BuildRequest.Builder request;

    @BeforeEach
    void emptyRequest() {
        request = requestIn(base);
    }

    private List<LayerEntry> collect() throws Exception {
        return LayerEntries.collect(request.build(), line -> {});
    }

    private Map<String, LayerEntry> collectByPath() throws Exception {
        return collect().stream().collect(Collectors.toMap(LayerEntry::path, Function.identity()));
    }

    private Path write(String relative, String content) throws IOException {
        Path file = base.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private static void chmod(Path path, String octal) throws Exception {
        run("chmod", octal, path.toString());
    }

    private static void mkfifo(Path path) throws Exception {
        run("mkfifo", path.toString());
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command)).isZero();
    }

    // ---- defaults ----

    @Test
    void anEmptyRequestHoldsOnlyTheRoot() throws Exception {
        assertThat(collect()).containsExactly(new DirectoryEntry("", 0755, 0, 0, "the image root"));
    }

    @Test
    void binariesFilesAndDirectoriesGetTheirDefaultModesAndRootOwnership() throws Exception {
        Path app = write("src/app", "#!/bin/sh\necho hi\n");
        Path conf = write("src/app.conf", "key=value\n");
        // Host permissions must not leak: the binary is not executable on the host, the file is.
        chmod(app, "600");
        chmod(conf, "777");
        request.addBinary(binary("src/app", "/bin/app")).addFile(file(conf.toString(), "/etc/app.conf"))
                .addDirectory(emptyDirectory("/data"));

        Map<String, LayerEntry> entries = collectByPath();

        RegularFileEntry binary = (RegularFileEntry) entries.get("bin/app");
        assertThat(binary.mode()).isEqualTo(0755);
        assertThat(binary.uid()).isZero();
        assertThat(binary.gid()).isZero();
        assertThat(binary.size()).isEqualTo("#!/bin/sh\necho hi\n".length());
        assertThat(binary.source()).isEqualTo(app);
        RegularFileEntry file = (RegularFileEntry) entries.get("etc/app.conf");
        assertThat(file.mode()).isEqualTo(0644);
        assertThat(file.uid()).isZero();
        assertThat(file.gid()).isZero();
        assertThat(entries.get("data")).isEqualTo(new DirectoryEntry("data", 0755, 0, 0,
                "<directories>/<directory>[1]"));
    }

    @Test
    void declaredModesAndOwnersAreKept() throws Exception {
        write("app.conf", "x");
        request.addFile(FileSpec.builder().source("app.conf").path("/etc/app.conf").mode("0640").uid("0").gid("1000")
                .build());
        request.addBinary(BinarySpec.builder().source("app.conf").path("/bin/su").mode("4755").uid("0").gid("0")
                .build());
        request.addDirectory(DirectorySpec.builder().path("/tmp").mode("1777").uid("").gid("").build());
        request.addDirectory(DirectorySpec.builder().path("/shared").mode("2775").uid("1000").gid("1000").build());

        Map<String, LayerEntry> entries = collectByPath();

        assertThat(entries.get("etc/app.conf").mode()).isEqualTo(0640);
        assertThat(entries.get("etc/app.conf").gid()).isEqualTo(1000L);
        assertThat(entries.get("bin/su").mode()).isEqualTo(2048 + 493);
        assertThat(entries.get("tmp").mode()).isEqualTo(512 + 511);
        assertThat(entries.get("shared").mode()).isEqualTo(1024 + 509);
        assertThat(entries.get("shared").uid()).isEqualTo(1000L);
    }

    @Test
    void missingParentsAreAddedAsRootOwned0755DirectoriesAndTheRootComesFirst() throws Exception {
        write("app", "x");
        request.addBinary(BinarySpec.builder().source("app").path("/usr/local/bin/app").mode("0700").uid("1000")
                .gid("1000").build());
        request.addSymlink(symlink("/opt/a/b/link", "x"));

        List<LayerEntry> entries = collect();

        assertThat(entries).extracting(LayerEntry::path).containsExactly(
                "", "opt", "opt/a", "opt/a/b", "opt/a/b/link",
                "usr", "usr/local", "usr/local/bin", "usr/local/bin/app");
        for (String parent : List.of("", "opt", "opt/a", "opt/a/b", "usr", "usr/local", "usr/local/bin")) {
            LayerEntry entry = entries.stream().filter(e -> e.path().equals(parent)).findFirst().orElseThrow();
            assertThat(entry).isInstanceOf(DirectoryEntry.class);
            assertThat(entry.mode()).as(parent).isEqualTo(0755);
            assertThat(entry.uid()).as(parent).isZero();
            assertThat(entry.gid()).as(parent).isZero();
        }
    }

    @Test
    void aDeclaredRootDirectoryKeepsItsModeAndStaysFirst() throws Exception {
        request.addDirectory(DirectorySpec.builder().path("/").mode("0700").build());
        request.addSymlink(symlink("/a", "b"));

        List<LayerEntry> entries = collect();

        assertThat(entries).extracting(LayerEntry::path).containsExactly("", "a");
        assertThat(entries.get(0).mode()).isEqualTo(0700);
    }

    @Test
    void anExplicitParentDirectoryIsNotReplacedByTheDefault() throws Exception {
        request.addDirectory(DirectorySpec.builder().path("/opt").mode("0700").uid("7").gid("8").build());
        request.addSymlink(symlink("/opt/link", "x"));

        assertThat(collectByPath().get("opt")).isEqualTo(new DirectoryEntry("opt", 0700, 7, 8,
                "<directories>/<directory>[1]"));
    }

    // ---- order ----

    /** An ordering written independently of the code: ISO-8859-1 maps each byte to the char of the same value. */
    private static final Comparator<String> BY_UTF8_BYTES = Comparator.comparing(
            path -> new String(path.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));

    @Test
    void entriesAreSortedByTheUtf8BytesOfTheirPaths() throws Exception {
        // UTF-16 order (String.compareTo) puts U+1F600 (D83D DE00) before U+FF21; UTF-8 order puts it after.
        for (String link : List.of("/z", "/a.b", "/a-b", "/\uD83D\uDE00/x", "/\uFF21", "/a/b/c", "/A", "/a b", "/é/ü")) {
            request.addSymlink(symlink(link, "target"));
        }

        List<String> paths = collect().stream().map(LayerEntry::path).collect(Collectors.toList());

        assertThat(paths).isSortedAccordingTo(BY_UTF8_BYTES);
        assertThat(paths).containsExactly("", "A", "a", "a b", "a-b", "a.b", "a/b", "a/b/c", "z", "é", "é/ü",
                "\uFF21", "\uD83D\uDE00", "\uD83D\uDE00/x");
    }

    @Test
    void treeEntriesWithNonAsciiNamesAreSortedByUtf8Bytes() throws Exception {
        ExternalTools.requireThat("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding")),
                "file names are not UTF-8 in this JVM (sun.jnu.encoding=" + System.getProperty("sun.jnu.encoding")
                        + "); run with LANG=C.UTF-8, as .ci/run does");
        for (String name : List.of("z", "é", "\uFF21", "\uD83D\uDE00", "a-b", "a.b", "a/b")) {
            write("tree/" + name, name);
        }
        request.addDirectory(tree("tree", "/"));

        List<String> paths = collect().stream().map(LayerEntry::path).collect(Collectors.toList());

        assertThat(paths).isSortedAccordingTo(BY_UTF8_BYTES);
        assertThat(paths).containsExactly("", "a", "a-b", "a.b", "a/b", "z", "é", "\uFF21", "\uD83D\uDE00");
    }

    // ---- copied trees ----

    @Test
    void aTreeKeepsSymlinksAsSymlinksWithTheirExactTargetsAndNeverFollowsThem() throws Exception {
        Path tree = Files.createDirectories(base.resolve("rootfs"));
        write("rootfs/bin/busybox", "busybox");
        Path outside = Files.createDirectories(base.resolve("outside"));
        write("outside/secret", "secret");
        mkfifo(outside.resolve("fifo"));
        Files.createSymbolicLink(tree.resolve("bin/ls"), Path.of("busybox"));
        Files.createSymbolicLink(tree.resolve("passwd"), Path.of("../../etc/passwd"));
        Files.createSymbolicLink(tree.resolve("dangling"), Path.of("no/such/file"));
        Files.createSymbolicLink(tree.resolve("escape"), outside);
        Files.createSymbolicLink(tree.resolve("fifo"), outside.resolve("fifo"));
        Files.createSymbolicLink(tree.resolve("loop"), Path.of("loop"));
        // Path.of would normalise "dir//x/" to "dir/x"; ln keeps the text as given.
        run("ln", "-s", "dir//x/", tree.resolve("unnormalised").toString());
        request.addDirectory(tree("rootfs", "/"));

        Map<String, LayerEntry> entries = collectByPath();

        assertThat(entries.keySet()).containsExactlyInAnyOrder(
                "", "bin", "bin/busybox", "bin/ls", "passwd", "dangling", "escape", "fifo", "loop", "unnormalised");
        assertThat(entries.get("bin/ls")).isInstanceOf(SymlinkEntry.class);
        assertThat(((SymlinkEntry) entries.get("bin/ls")).target()).isEqualTo("busybox");
        assertThat(((SymlinkEntry) entries.get("passwd")).target()).isEqualTo("../../etc/passwd");
        assertThat(((SymlinkEntry) entries.get("dangling")).target()).isEqualTo("no/such/file");
        assertThat(((SymlinkEntry) entries.get("escape")).target()).isEqualTo(outside.toString());
        assertThat(((SymlinkEntry) entries.get("fifo")).target()).isEqualTo(outside.resolve("fifo").toString());
        assertThat(((SymlinkEntry) entries.get("loop")).target()).isEqualTo("loop");
        assertThat(((SymlinkEntry) entries.get("unnormalised")).target()).isEqualTo("dir//x/");
        assertThat(entries.get("escape").mode()).isEqualTo(0777);
        Path realTree = tree.toRealPath();
        assertThat(entries.values()).noneMatch(e -> e instanceof RegularFileEntry file
                && !file.source().startsWith(realTree));
    }

    @Test
    void treeFileModesComeFromTheOwnerExecuteBitOnly() throws Exception {
        Map<String, String> hostModes = Map.of(
                "u700", "700", "u744", "744", "u777", "777", "u100", "100", "setuid", "4755",
                "u600", "600", "u644", "644", "u666", "666", "g011", "611", "u000", "000");
        for (Map.Entry<String, String> file : hostModes.entrySet()) {
            chmod(write("tree/" + file.getKey(), "x"), file.getValue());
        }
        Path sub = Files.createDirectories(base.resolve("tree/private"));
        write("tree/private/f", "x");
        chmod(sub, "700");
        Path sticky = Files.createDirectories(base.resolve("tree/sticky"));
        write("tree/sticky/f", "x");
        chmod(sticky, "3777");
        request.addDirectory(tree("tree", "/t"));

        Map<String, LayerEntry> entries = collectByPath();

        for (String executable : List.of("u700", "u744", "u777", "u100", "setuid")) {
            assertThat(entries.get("t/" + executable).mode()).as(executable).isEqualTo(0755);
        }
        for (String plain : List.of("u600", "u644", "u666", "g011", "u000")) {
            assertThat(entries.get("t/" + plain).mode()).as(plain).isEqualTo(0644);
        }
        assertThat(entries.get("t/private").mode()).isEqualTo(0755);
        assertThat(entries.get("t/sticky").mode()).isEqualTo(0755);
        assertThat(entries.get("t").mode()).isEqualTo(0755);
    }

    @Test
    void fileModeAndDirectoryModeOverrideTheTreeDefaultsAndUidGidApplyToEverything() throws Exception {
        chmod(write("tree/bin/tool", "x"), "755");
        chmod(write("tree/etc/conf", "x"), "644");
        Files.createSymbolicLink(base.resolve("tree/bin/alias"), Path.of("tool"));
        Files.createDirectories(base.resolve("tree/empty"));
        request.addDirectory(DirectorySpec.builder().source("tree").path("/opt/app").mode("0750").uid("1000")
                .gid("2000").fileMode("0600").directoryMode("0700").build());

        Map<String, LayerEntry> entries = collectByPath();

        assertThat(entries.get("opt/app/bin/tool").mode()).isEqualTo(0600);
        assertThat(entries.get("opt/app/etc/conf").mode()).isEqualTo(0600);
        for (String dir : List.of("opt/app/bin", "opt/app/etc", "opt/app/empty")) {
            assertThat(entries.get(dir)).as(dir).isInstanceOf(DirectoryEntry.class);
            assertThat(entries.get(dir).mode()).as(dir).isEqualTo(0700);
        }
        assertThat(entries.get("opt/app").mode()).isEqualTo(0750);
        for (String path : List.of("opt/app", "opt/app/bin", "opt/app/bin/tool", "opt/app/bin/alias",
                "opt/app/etc", "opt/app/etc/conf", "opt/app/empty")) {
            assertThat(entries.get(path).uid()).as(path).isEqualTo(1000L);
            assertThat(entries.get(path).gid()).as(path).isEqualTo(2000L);
        }
        // Outside the tree, parents are the defaults.
        assertThat(entries.get("opt")).isEqualTo(new DirectoryEntry("opt", 0755, 0, 0, entries.get("opt").origin()));
    }

    private void writeFilterTree() throws IOException {
        for (String name : List.of("a.conf", "a.bak", "x.txt", "sub/b.conf", "sub/c.bak", "sub/deep/d.txt",
                "other/e.txt")) {
            write("tree/" + name, name);
        }
    }

    @Test
    void excludesLeaveOutMatchingFilesAtEveryDepth() throws Exception {
        writeFilterTree();
        request.addDirectory(DirectorySpec.builder().source("tree").path("/").excludes(List.of("**/*.bak")).build());

        assertThat(collect()).extracting(LayerEntry::path).containsExactly(
                "", "a.conf", "other", "other/e.txt", "sub", "sub/b.conf", "sub/deep", "sub/deep/d.txt", "x.txt");
    }

    @Test
    void includesSelectFilesAndStillAddTheirParentsWithTheTreeAttributes() throws Exception {
        writeFilterTree();
        request.addDirectory(DirectorySpec.builder().source("tree").path("/srv").uid("5").gid("6")
                .directoryMode("0710").includes(List.of("**/*.conf")).build());

        List<LayerEntry> entries = collect();

        assertThat(entries).extracting(LayerEntry::path).containsExactly(
                "", "srv", "srv/a.conf", "srv/sub", "srv/sub/b.conf");
        assertThat(entries.get(3)).isEqualTo(new DirectoryEntry("srv/sub", 0710, 5, 6, entries.get(3).origin()));
    }

    @Test
    void includesAndExcludesCombine() throws Exception {
        writeFilterTree();
        request.addDirectory(DirectorySpec.builder().source("tree").path("/").includes(List.of("sub/"))
                .excludes(List.of("**/deep/**")).build());

        assertThat(collect()).extracting(LayerEntry::path).containsExactly("", "sub", "sub/b.conf", "sub/c.bak");
    }

    @Test
    void anExplicitDirectoryWinsOverTheSameDirectoryInATree() throws Exception {
        write("tree/etc/conf", "x");
        // Declared after the tree, to show that the declaration order does not matter.
        request.addDirectory(tree("tree", "/"));
        request.addDirectory(DirectorySpec.builder().path("/etc").mode("0700").uid("3").gid("4").build());

        Map<String, LayerEntry> entries = collectByPath();

        assertThat(entries.get("etc")).isEqualTo(new DirectoryEntry("etc", 0700, 3, 4, "<directories>/<directory>[2]"));
        assertThat(entries.get("etc/conf")).isInstanceOf(RegularFileEntry.class);
    }

    @Test
    void twoTreesMayShareADirectoryWithTheSameAttributes() throws Exception {
        write("one/lib/a", "a");
        write("two/lib/b", "b");
        request.addDirectory(tree("one", "/")).addDirectory(tree("two", "/"));

        List<LayerEntry> entries = collect();

        assertThat(entries).extracting(LayerEntry::path).containsExactly("", "lib", "lib/a", "lib/b");
        assertThat(entries.get(0)).isInstanceOf(DirectoryEntry.class);
        assertThat(entries.get(1).mode()).isEqualTo(0755);
    }

    @Test
    void aTreeRootWinsOverTheSameDirectoryInsideAnotherTree() throws Exception {
        write("one/opt/lib/a", "a");
        write("two/lib/b", "b");
        request.addDirectory(DirectorySpec.builder().source("one").path("/").directoryMode("0700").build());
        request.addDirectory(DirectorySpec.builder().source("two").path("/opt").mode("0750").directoryMode("0700")
                .build());

        Map<String, LayerEntry> entries = collectByPath();

        assertThat(entries.keySet()).containsExactlyInAnyOrder("", "opt", "opt/lib", "opt/lib/a", "opt/lib/b");
        assertThat(entries.get("opt")).isEqualTo(new DirectoryEntry("opt", 0750, 0, 0, "<directories>/<directory>[2]"));
        assertThat(entries.get("opt/lib").mode()).isEqualTo(0700);
    }

    @Test
    void twoTreesSharingADirectoryWithDifferentModesAreRejectedNamingBoth() throws Exception {
        write("one/opt/lib/a", "a");
        write("two/lib/b", "b");
        request.addDirectory(DirectorySpec.builder().source("one").path("/").directoryMode("0755").build());
        request.addDirectory(DirectorySpec.builder().source("two").path("/opt").directoryMode("0700").build());

        InvalidConfigurationException e =
                assertInvalid(this::collect, "<directories>/<directory>[2]/<path>", "/opt/lib");
        assertThat(e.getMessage()).contains("<directories>/<directory>[1]").contains("0755").contains("0700");
        assertThat(e.fix()).contains("<directoryMode>");
    }

    @Test
    void twoTreesAtTheSamePathWithDifferentRootModesAreRejectedNamingBoth() throws Exception {
        write("one/a", "a");
        write("two/b", "b");
        request.addDirectory(DirectorySpec.builder().source("one").path("/opt").mode("0755").build());
        request.addDirectory(DirectorySpec.builder().source("two").path("/opt").mode("0700").build());

        InvalidConfigurationException e = assertInvalid(this::collect, "<directories>/<directory>[2]/<path>", "/opt");
        assertThat(e.getMessage()).contains("<directories>/<directory>[1]").contains("0755").contains("0700");
        assertThat(e.fix()).contains("<mode>");
    }

    @Test
    void aTreeDirectoryAndAnExplicitFileAtTheSamePathAreRejected() throws Exception {
        write("tree/bin/app/readme", "x");
        write("app", "x");
        request.addDirectory(tree("tree", "/")).addBinary(binary("app", "/bin/app"));

        InvalidConfigurationException e = assertInvalid(this::collect, "<directories>/<directory>[1]/<path>",
                "/bin/app");
        assertThat(e.getMessage()).contains("<binaries>/<binary>[1]").contains("twice");
    }

    @Test
    void aBinaryWhoseSourceIsAHostSymlinkIsCopiedAsTheTargetsContent() throws Exception {
        Path real = write("real/busybox", "0123456789abcdef");
        Path link = Files.createSymbolicLink(base.resolve("busybox-link"), Path.of("real/busybox"));
        request.addBinary(binary("busybox-link", "/bin/busybox"));
        request.addFile(file(link.toString(), "/etc/copy"));

        Map<String, LayerEntry> entries = collectByPath();

        RegularFileEntry binary = (RegularFileEntry) entries.get("bin/busybox");
        assertThat(binary.source()).isEqualTo(link);
        assertThat(binary.size()).isEqualTo(16).isEqualTo(Files.size(real));
        assertThat(binary.mode()).isEqualTo(0755);
        assertThat(entries.get("etc/copy")).isInstanceOf(RegularFileEntry.class);
        assertThat(entries.get("etc/copy").mode()).isEqualTo(0644);
    }

    @Test
    void aTreeWhoseRootIsASymlinkIsCopied() throws Exception {
        write("real-tree/file", "x");
        Files.createSymbolicLink(base.resolve("tree-link"), Path.of("real-tree"));
        request.addDirectory(tree("tree-link", "/srv"));

        assertThat(collect()).extracting(LayerEntry::path).containsExactly("", "srv", "srv/file");
    }

    @Test
    void setuidAndStickyBitsOnlyWhereDeclared() throws Exception {
        chmod(write("tree/bin/su", "x"), "4755");
        chmod(Files.createDirectories(base.resolve("tree/tmp")), "1777");
        write("tree/tmp/keep", "x");
        chmod(write("su", "x"), "4755");
        request.addDirectory(tree("tree", "/"));
        request.addBinary(binary("su", "/usr/bin/su"));
        request.addBinary(BinarySpec.builder().source("su").path("/usr/bin/sudo").mode("4755").build());
        request.addDirectory(DirectorySpec.builder().path("/var/tmp").mode("1777").build());

        Map<String, LayerEntry> entries = collectByPath();

        assertThat(entries.get("bin/su").mode()).isEqualTo(0755);
        assertThat(entries.get("tmp").mode()).isEqualTo(0755);
        assertThat(entries.get("usr/bin/su").mode()).isEqualTo(0755);
        assertThat(entries.get("usr/bin/sudo").mode()).isEqualTo(04755);
        assertThat(entries.get("var/tmp").mode()).isEqualTo(01777);
    }

    @Test
    void aFifoInsideATreeIsRejected() throws Exception {
        write("tree/ok", "x");
        mkfifo(Files.createDirectories(base.resolve("tree/run")).resolve("pipe"));
        request.addDirectory(tree("tree", "/"));

        InvalidConfigurationException e = assertInvalid(this::collect, "<directories>/<directory>[1]/<source>", "tree");
        assertThat(e.getMessage()).contains("pipe").contains("fifo");
    }

    @Test
    void anExcludedFifoIsNotAnError() throws Exception {
        write("tree/ok", "x");
        mkfifo(base.resolve("tree/pipe"));
        request.addDirectory(DirectorySpec.builder().source("tree").path("/").excludes(List.of("pipe")).build());

        assertThat(collect()).extracting(LayerEntry::path).containsExactly("", "ok");
    }

    @ParameterizedTest
    @ValueSource(strings = {".wh.file", "sub/.wh..wh..opq", ".wh.dir/file"})
    void aWhiteoutNameInsideATreeIsRejected(String name) throws Exception {
        write("tree/ok", "x");
        write("tree/" + name, "x");
        request.addDirectory(tree("tree", "/"));

        InvalidConfigurationException e = assertInvalid(this::collect, "<directories>/<directory>[1]/<source>", "tree");
        assertThat(e.getMessage()).contains(".wh.");
    }

    @Test
    void aTreeNameThatIsNotValidUtf8IsRejectedInsteadOfRenamed() throws Exception {
        write("tree/ok", "x");
        // printf writes the raw byte 0xE9 (Latin-1 é), which no Java String can carry into a file name.
        run("sh", "-c", "printf x > \"$1/$(printf 'caf\\351')\"", "sh", base.resolve("tree").toString());
        request.addDirectory(tree("tree", "/"));

        InvalidConfigurationException e = assertInvalid(this::collect, "<directories>/<directory>[1]/<source>", "tree");
        assertThat(e.getMessage()).contains("caf").contains("not valid");
    }

    @Test
    void aTreeSymlinkTargetThatIsNotValidUtf8IsRejected() throws Exception {
        write("tree/ok", "x");
        run("sh", "-c", "ln -s \"$(printf 'caf\\351')\" \"$1/link\"", "sh", base.resolve("tree").toString());
        request.addDirectory(tree("tree", "/"));

        InvalidConfigurationException e = assertInvalid(this::collect, "<directories>/<directory>[1]/<source>", "tree");
        assertThat(e.getMessage()).contains("link").contains("not valid");
    }

    @Test
    void anExcludedWhiteoutNameIsNotAnError() throws Exception {
        write("tree/ok", "x");
        write("tree/.wh.old", "x");
        request.addDirectory(DirectorySpec.builder().source("tree").path("/").excludes(List.of("**/.wh.*")).build());

        assertThat(collect()).extracting(LayerEntry::path).containsExactly("", "ok");
    }

    // ---- mistakes in sources ----

    @Test
    void aMissingSourceElementIsRejected() {
        request.addBinary(BinarySpec.builder().path("/bin/app").build());

        assertInvalid(this::collect, "<binaries>/<binary>[1]/<source>", "");
    }

    @Test
    void aSourceThatDoesNotExistIsRejectedWithTheResolvedPath() {
        request.addFile(file("src/missing.conf", "/etc/app.conf"));

        InvalidConfigurationException e = assertInvalid(this::collect, "<files>/<file>[1]/<source>",
                "src/missing.conf");
        assertThat(e.getMessage()).contains(base.resolve("src/missing.conf").toString()).contains("does not exist");
    }

    @Test
    void aDirectoryGivenAsBinaryOrFileIsRejected() throws Exception {
        Files.createDirectories(base.resolve("bin"));
        request.addBinary(binary("bin", "/bin/app"));
        InvalidConfigurationException e = assertInvalid(this::collect, "<binaries>/<binary>[1]/<source>", "bin");
        assertThat(e.fix()).contains("<directory>");

        request = requestIn(base).addFile(file("bin", "/etc/app"));
        assertInvalid(this::collect, "<files>/<file>[1]/<source>", "bin");
    }

    @Test
    void aDanglingHostSymlinkAsSourceIsRejected() throws Exception {
        Files.createSymbolicLink(base.resolve("dangling"), Path.of("nowhere"));
        request.addBinary(binary("dangling", "/bin/app"));

        InvalidConfigurationException e = assertInvalid(this::collect, "<binaries>/<binary>[1]/<source>", "dangling");
        assertThat(e.getMessage()).contains("symbolic link");
    }

    @Test
    void aFifoAsSourceIsRejected() throws Exception {
        mkfifo(base.resolve("pipe"));
        request.addFile(file("pipe", "/etc/pipe"));

        InvalidConfigurationException e = assertInvalid(this::collect, "<files>/<file>[1]/<source>", "pipe");
        assertThat(e.getMessage()).contains("not a regular file");
    }

    @Test
    void aTreeSourceThatIsMissingOrAFileIsRejected() throws Exception {
        request.addDirectory(tree("no-such-dir", "/srv"));
        assertInvalid(this::collect, "<directories>/<directory>[1]/<source>", "no-such-dir");

        write("plain", "x");
        request = requestIn(base).addDirectory(tree("plain", "/srv"));
        InvalidConfigurationException e = assertInvalid(this::collect, "<directories>/<directory>[1]/<source>",
                "plain");
        assertThat(e.getMessage()).contains("not a directory");
    }

    @Test
    void anUnreadableSourceIsRejected() throws Exception {
        Path secret = write("secret", "x");
        chmod(secret, "000");
        request.addBinary(binary("secret", "/bin/secret"));

        if (!Files.isReadable(secret)) {
            assertInvalid(this::collect, "<binaries>/<binary>[1]/<source>", "secret");
            return;
        }
        // Root reads anything: check in a JVM without the capabilities that let it.
        String[] result = probeWithoutReadOverride("binary", "secret");
        assertThat(result).containsExactly("ERROR", "<binaries>/<binary>[1]/<source>", "secret", result[3]);
        assertThat(result[3]).contains("\"secret\"").contains("not readable").contains("Fix: ");
    }

    @Test
    void anUnreadableFileInsideATreeIsRejectedBeforeAnythingIsWritten() throws Exception {
        write("tree/ok", "x");
        chmod(write("tree/sub/secret", "x"), "000");
        request.addDirectory(tree("tree", "/"));

        if (!Files.isReadable(base.resolve("tree/sub/secret"))) {
            InvalidConfigurationException e = assertInvalid(this::collect, "<directories>/<directory>[1]/<source>",
                    "tree");
            assertThat(e.getMessage()).contains("secret");
            return;
        }
        String[] result = probeWithoutReadOverride("tree", "tree");
        assertThat(result).containsExactly("ERROR", "<directories>/<directory>[1]/<source>", "tree", result[3]);
        assertThat(result[3]).contains("secret").contains("Fix: ");
    }

    @Test
    void anUnreadableDirectoryInsideATreeIsRejected() throws Exception {
        write("tree/ok", "x");
        write("tree/locked/inner", "x");
        chmod(base.resolve("tree/locked"), "000");
        request.addDirectory(tree("tree", "/"));

        if (!Files.isReadable(base.resolve("tree/locked"))) {
            assertInvalid(this::collect, "<directories>/<directory>[1]/<source>", "tree");
            return;
        }
        String[] result = probeWithoutReadOverride("tree", "tree");
        assertThat(result).containsExactly("ERROR", "<directories>/<directory>[1]/<source>", "tree", result[3]);
        assertThat(result[3]).contains("locked").contains("Fix: ");
    }

    /**
     * Runs {@link UnreadableProbe} in a child JVM whose root user lacks CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH, so
     * that mode 000 means unreadable even for root. Skips loudly (fails under CI=true) if that is not possible.
     */
    private String[] probeWithoutReadOverride(String kind, String source) throws Exception {
        Path setpriv = Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
                .map(dir -> Path.of(dir, "setpriv")).filter(Files::isExecutable).findFirst().orElse(null);
        ExternalTools.requireThat(setpriv != null,
                "running as root and setpriv (util-linux) is missing, so an unreadable file cannot be made");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(setpriv.toString(), "--bounding-set", "-dac_override,-dac_read_search",
                java.toString(), "-cp", System.getProperty("java.class.path"), UnreadableProbe.class.getName(), kind,
                base.toString(), source)
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        String[] lines = output.split("\n");
        ExternalTools.requireThat(!lines[0].equals("READABLE"),
                "the file stays readable even without CAP_DAC_OVERRIDE: " + output);
        assertThat(lines).as(output).hasSize(2);
        assertThat(lines[0]).isEqualTo("UNREADABLE");
        return lines[1].split("\t", -1);
    }

    /** Collects a binary or a tree as a user without read override and prints the outcome, tab-separated. */
    static final class UnreadableProbe {
        public static void main(String[] args) throws Exception {
            Path base = Path.of(args[1]);
            BuildRequest.Builder request = requestIn(base);
            Path checked;
            if (args[0].equals("binary")) {
                request.addBinary(binary(args[2], "/bin/probe"));
                checked = base.resolve(args[2]);
            } else {
                request.addDirectory(tree(args[2], "/"));
                checked = null;
            }
            System.out.println(checked == null || !Files.isReadable(checked) ? "UNREADABLE" : "READABLE");
            try {
                List<LayerEntry> entries = LayerEntries.collect(request.build(), line -> {});
                System.out.println("OK\t" + entries);
            } catch (InvalidConfigurationException e) {
                System.out.println("ERROR\t" + e.element() + "\t" + e.value() + "\t" + e.getMessage());
            } catch (Exception e) {
                System.out.println("EXCEPTION\t" + e);
            }
        }
    }

    // ---- mistakes in paths ----

    @ParameterizedTest
    @ValueSource(strings = {"bin/app", "", "/bin/../app", "/bin/./app", "/bin//app", "/bin/.wh.app", "//"})
    void aBadPathIsRejectedForEveryKindOfDeclaration(String path) throws Exception {
        write("app", "x");

        request.addBinary(binary("app", path));
        assertInvalid(this::collect, "<binaries>/<binary>[1]/<path>", path);
        request = requestIn(base).addFile(file("app", path));
        assertInvalid(this::collect, "<files>/<file>[1]/<path>", path);
        request = requestIn(base).addSymlink(symlink(path, "x"));
        assertInvalid(this::collect, "<symlinks>/<symlink>[1]/<path>", path);
        request = requestIn(base).addDirectory(emptyDirectory(path));
        assertInvalid(this::collect, "<directories>/<directory>[1]/<path>", path);
    }

    @Test
    void aMissingPathIsRejected() throws Exception {
        write("app", "x");
        request.addBinary(binary("app", null));

        assertInvalid(this::collect, "<binaries>/<binary>[1]/<path>", "");
    }

    @Test
    void theRootIsRejectedForAFileABinaryAndASymlink() throws Exception {
        write("app", "x");
        request.addFile(file("app", "/"));
        assertInvalid(this::collect, "<files>/<file>[1]/<path>", "/");

        request = requestIn(base).addBinary(binary("app", "/"));
        assertInvalid(this::collect, "<binaries>/<binary>[1]/<path>", "/");

        request = requestIn(base).addSymlink(symlink("/", "x"));
        assertInvalid(this::collect, "<symlinks>/<symlink>[1]/<path>", "/");
    }

    @Test
    void aPathDeclaredTwiceIsRejectedNamingBothDeclarations() throws Exception {
        write("app", "x");
        request.addFile(file("app", "/bin/app")).addBinary(binary("app", "/bin/app/"));

        InvalidConfigurationException e = assertInvalid(this::collect, "<binaries>/<binary>[1]/<path>", "/bin/app");
        assertThat(e.getMessage()).contains("<files>/<file>[1]").contains("twice");
    }

    @Test
    void twoSymlinksOrTwoEmptyDirectoriesAtOnePathAreRejected() throws Exception {
        request.addSymlink(symlink("/bin/sh", "busybox")).addSymlink(symlink("/bin/ls", "busybox"))
                .addSymlink(symlink("/bin/sh", "dash"));
        InvalidConfigurationException e = assertInvalid(this::collect, "<symlinks>/<symlink>[3]/<path>", "/bin/sh");
        assertThat(e.getMessage()).contains("<symlinks>/<symlink>[1]");

        request = requestIn(base).addDirectory(emptyDirectory("/tmp")).addDirectory(emptyDirectory("/tmp"));
        e = assertInvalid(this::collect, "<directories>/<directory>[2]/<path>", "/tmp");
        assertThat(e.getMessage()).contains("<directories>/<directory>[1]");
    }

    @Test
    void aPathBelowADeclaredSymlinkIsRejected() throws Exception {
        write("app", "x");
        request.addSymlink(symlink("/lib", "usr/lib")).addBinary(binary("app", "/lib/x/app"));

        InvalidConfigurationException e = assertInvalid(this::collect, "<binaries>/<binary>[1]/<path>", "/lib/x/app");
        assertThat(e.getMessage()).contains("<symlinks>/<symlink>[1]").contains("symbolic link");
    }

    @Test
    void aPathBelowASymlinkFromATreeIsRejected() throws Exception {
        Files.createDirectories(base.resolve("tree"));
        Files.createSymbolicLink(base.resolve("tree/lib"), Path.of("usr/lib"));
        write("app", "x");
        request.addDirectory(tree("tree", "/")).addBinary(binary("app", "/lib/app"));

        InvalidConfigurationException e = assertInvalid(this::collect, "<binaries>/<binary>[1]/<path>", "/lib/app");
        assertThat(e.getMessage()).contains("symbolic link");
    }

    @Test
    void aPathBelowAFileIsRejected() throws Exception {
        write("app", "x");
        request.addFile(file("app", "/etc/app")).addSymlink(symlink("/etc/app/conf", "x"));

        InvalidConfigurationException e = assertInvalid(this::collect, "<symlinks>/<symlink>[1]/<path>",
                "/etc/app/conf");
        assertThat(e.getMessage()).contains("<files>/<file>[1]").contains("a file");
    }

    @Test
    void anEmptySymlinkTargetIsRejected() {
        request.addSymlink(symlink("/bin/sh", ""));
        assertInvalid(this::collect, "<symlinks>/<symlink>[1]/<target>", "");

        request = requestIn(base).addSymlink(symlink("/bin/sh", null));
        assertInvalid(this::collect, "<symlinks>/<symlink>[1]/<target>", "");
    }

    @Test
    void aSymlinkTargetIsStoredExactlyAsWritten() throws Exception {
        request.addSymlink(symlink("/a", "../../etc/passwd")).addSymlink(symlink("/b", "/bin//busybox/"))
                .addSymlink(symlink("/c", " spaced "));

        Map<String, LayerEntry> entries = collectByPath();

        assertThat(((SymlinkEntry) entries.get("a")).target()).isEqualTo("../../etc/passwd");
        assertThat(((SymlinkEntry) entries.get("b")).target()).isEqualTo("/bin//busybox/");
        assertThat(((SymlinkEntry) entries.get("c")).target()).isEqualTo(" spaced ");
    }

    // ---- mistakes in modes, ids and tree settings ----

    @ParameterizedTest
    @ValueSource(strings = {"8", "12345", "rwx"})
    void aBadModeIsRejected(String mode) throws Exception {
        write("app", "x");
        request.addBinary(BinarySpec.builder().source("app").path("/bin/app").mode(mode).build());
        assertInvalid(this::collect, "<binaries>/<binary>[1]/<mode>", mode);

        request = requestIn(base);
        request.addFile(FileSpec.builder().source("app").path("/etc/app").mode(mode).build());
        assertInvalid(this::collect, "<files>/<file>[1]/<mode>", mode);

        request = requestIn(base);
        request.addDirectory(DirectorySpec.builder().path("/tmp").mode(mode).build());
        assertInvalid(this::collect, "<directories>/<directory>[1]/<mode>", mode);

        Files.createDirectories(base.resolve("tree"));
        request = requestIn(base);
        request.addDirectory(DirectorySpec.builder().source("tree").path("/srv").fileMode(mode).build());
        assertInvalid(this::collect, "<directories>/<directory>[1]/<fileMode>", mode);

        request = requestIn(base);
        request.addDirectory(DirectorySpec.builder().source("tree").path("/srv").directoryMode(mode).build());
        assertInvalid(this::collect, "<directories>/<directory>[1]/<directoryMode>", mode);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "abc", "99999999999"})
    void aBadUidOrGidIsRejected(String id) throws Exception {
        write("app", "x");
        request.addBinary(BinarySpec.builder().source("app").path("/bin/app").uid(id).build());
        assertInvalid(this::collect, "<binaries>/<binary>[1]/<uid>", id);

        request = requestIn(base);
        request.addFile(FileSpec.builder().source("app").path("/etc/app").gid(id).build());
        assertInvalid(this::collect, "<files>/<file>[1]/<gid>", id);

        request = requestIn(base);
        request.addDirectory(DirectorySpec.builder().path("/tmp").uid(id).build());
        assertInvalid(this::collect, "<directories>/<directory>[1]/<uid>", id);
    }

    @Test
    void includesOnADirectoryWithoutSourceAreRejected() {
        request.addDirectory(DirectorySpec.builder().path("/srv").includes(List.of("**")).build());
        assertInvalid(this::collect, "<directories>/<directory>[1]/<includes>", null);

        request = requestIn(base);
        request.addDirectory(DirectorySpec.builder().path("/srv").excludes(List.of("*.bak")).build());
        assertInvalid(this::collect, "<directories>/<directory>[1]/<includes>", null);
    }

    @Test
    void treeModesOnADirectoryWithoutSourceAreRejected() {
        request.addDirectory(DirectorySpec.builder().path("/srv").fileMode("0644").build());
        assertInvalid(this::collect, "<directories>/<directory>[1]/<fileMode>", "0644");

        request = requestIn(base);
        request.addDirectory(DirectorySpec.builder().path("/srv").directoryMode("0755").build());
        assertInvalid(this::collect, "<directories>/<directory>[1]/<directoryMode>", "0755");
    }

    @Test
    void anEmptyDeclarationIsRejected() {
        request.addBinary(null);
        assertInvalid(this::collect, "<binaries>/<binary>[1]", null);

        request = requestIn(base);
        request.addSymlink(null);
        assertInvalid(this::collect, "<symlinks>/<symlink>[1]", null);
    }
}
