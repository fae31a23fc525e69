package org.scratchimage.core.packages;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The dpkg database of a fixture sysroot, written by the test, read as the image's files need it. */
class DpkgReaderTest {
    private static final String LIBFOO = """
            Package: libfoo1
            Status: install ok installed
            Priority: optional
            Section: libs
            Installed-Size: 120
            Maintainer: Jérôme Packager <jerome@example.org>
            Architecture: amd64
            Multi-Arch: same
            Source: foo (1.2-3)
            Version: 1.2-3+b1
            Depends: libc6 (>= 2.34)
            Conffiles:
             /etc/foo.conf 0123456789abcdef0123456789abcdef
            Description: the foo library
             It does foo,
             .
             and more.
            """;
    private static final String GONE = """
            Package: gone
            Status: deinstall ok config-files
            Architecture: amd64
            Version: 1.0
            """;
    private static final String BAR = """
            Package: bar
            Status: install ok installed
            Maintainer: Bar <bar@example.org>
            Architecture: all
            Version: 2.0
            """;

    @TempDir
    Path sysroot;

    private final List<String> warnings = new ArrayList<>();

    @BeforeEach
    void mergedUsrSysroot() throws IOException {
        // The package lists /usr/lib/...; the image takes the file as /lib/..., as a merged-/usr host resolves it.
        write("usr/lib/x86_64-linux-gnu/libfoo.so.1.2", "foo's code");
        write("lib/x86_64-linux-gnu/libfoo.so.1.2", "foo's code");
        write("usr/bin/bar", "#!/bin/sh\n");
        write("var/lib/dpkg/status", LIBFOO + "\n" + GONE + "\n" + BAR);
        write("var/lib/dpkg/info/libfoo1:amd64.list", """
                /.
                /usr
                /usr/lib/x86_64-linux-gnu/libfoo.so.1.2
                /usr/lib/x86_64-linux-gnu/libfoo.so.1
                /usr/share/doc/libfoo1/copyright
                """);
        write("var/lib/dpkg/info/libfoo1:amd64.md5sums", """
                1d7c2a1e3bd4f3e8a4e7f2f6d4c0b9a1  usr/lib/x86_64-linux-gnu/libfoo.so.1.2
                99999999999999999999999999999999  usr/share/doc/libfoo1/changelog.gz
                """);
        write("var/lib/dpkg/info/gone.list", "/lib/x86_64-linux-gnu/libfoo.so.1.2\n");
        write("var/lib/dpkg/info/bar.list", "/usr/bin/bar\n");
        write("usr/share/doc/libfoo1/copyright", """
                Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
                Upstream-Name: foo

                Files: *
                Copyright: 2020 Foo
                License: LGPL-2.1+ with OpenSSL exception

                Files: debian/*
                License: GPL-2+ or Expat

                Files: tests/*
                License: public-domain

                License: LGPL-2.1+
                 The text.
                """);
        write("usr/lib/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nVERSION_ID=\"12\"\nID=debian\n");
        Files.createDirectories(sysroot.resolve("etc"));
        Files.createSymbolicLink(sysroot.resolve("etc/os-release"), Path.of("../usr/lib/os-release"));
        write("etc/debian_version", "12.11\n");
    }

    @Test
    void aFileListedUnderUsrOwnsTheImagesFileUnderLib() {
        PackageScan scan = read(List.of(file("lib/x86_64-linux-gnu/libfoo.so.1", "lib/x86_64-linux-gnu/libfoo.so.1.2")));

        assertThat(warnings).isEmpty();
        DebianPackage foo = scan.metadata().ownerOf("lib/x86_64-linux-gnu/libfoo.so.1");
        assertThat(foo).isNotNull();
        assertThat(foo.name()).isEqualTo("libfoo1");
        assertThat(foo.version()).isEqualTo("1.2-3+b1");
        assertThat(foo.architecture()).isEqualTo("amd64");
        assertThat(foo.source()).isEqualTo("foo");
        assertThat(foo.maintainer()).isEqualTo("Jérôme Packager <jerome@example.org>");
        assertThat(foo.licenses()).containsExactly("LGPL-2.1-or-later", "GPL-2.0-or-later", "MIT");
        assertThat(scan.metadata().osId()).isEqualTo("debian");
        assertThat(scan.metadata().osVersionId()).isEqualTo("12");
        assertThat(scan.packages()).isEqualTo(1);
        Map<String, MetadataFile> files = byPath(scan);
        assertThat(files.keySet()).containsExactly("etc/debian_version", "etc/os-release",
                "usr/share/doc/libfoo1/copyright", "var/lib/dpkg/status.d/libfoo1",
                "var/lib/dpkg/status.d/libfoo1.md5sums");
        // Only the image's file, under its image path; the package's other files stay out.
        assertThat(text(files.get("var/lib/dpkg/status.d/libfoo1.md5sums")))
                .isEqualTo("1d7c2a1e3bd4f3e8a4e7f2f6d4c0b9a1  lib/x86_64-linux-gnu/libfoo.so.1\n");
        // The host's paragraph as it is, but for the host's conffiles.
        assertThat(text(files.get("var/lib/dpkg/status.d/libfoo1"))).isEqualTo(LIBFOO.replace("""
                Conffiles:
                 /etc/foo.conf 0123456789abcdef0123456789abcdef
                """, ""));
        // The link is resolved inside the sysroot; the image gets the file.
        assertThat(files.get("etc/os-release").source()).isEqualTo(sysroot.resolve("usr/lib/os-release"));
        assertThat(files.get("etc/debian_version").source()).isEqualTo(sysroot.resolve("etc/debian_version"));
    }

    @Test
    void aFileListedUnderLibOwnsTheImagesFileUnderUsrLib() throws IOException {
        write("var/lib/dpkg/info/libfoo1:amd64.list", "/lib/x86_64-linux-gnu/libfoo.so.1.2\n");
        write("var/lib/dpkg/info/libfoo1:amd64.md5sums",
                "1d7c2a1e3bd4f3e8a4e7f2f6d4c0b9a1  lib/x86_64-linux-gnu/libfoo.so.1.2\n");

        PackageScan scan = read(List.of(file("usr/lib/x86_64-linux-gnu/libfoo.so.1",
                "usr/lib/x86_64-linux-gnu/libfoo.so.1.2")));

        assertThat(scan.metadata().ownerOf("usr/lib/x86_64-linux-gnu/libfoo.so.1").name()).isEqualTo("libfoo1");
        assertThat(text(byPath(scan).get("var/lib/dpkg/status.d/libfoo1.md5sums")))
                .isEqualTo("1d7c2a1e3bd4f3e8a4e7f2f6d4c0b9a1  usr/lib/x86_64-linux-gnu/libfoo.so.1\n");
    }

    @Test
    void onlyInstalledPackagesOwnFiles() throws IOException {
        // "gone" lists the file too, but only its configuration files are left.
        write("var/lib/dpkg/status", GONE + "\n" + BAR);

        PackageScan scan = read(List.of(file("lib/libfoo.so.1", "lib/x86_64-linux-gnu/libfoo.so.1.2")));

        assertThat(scan).isSameAs(PackageScan.NONE);
        assertThat(warnings).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aFileTwoPackagesListBelongsToTheFirstOfTheStatusFile(boolean barFirst) throws IOException {
        write("var/lib/dpkg/info/libfoo1:amd64.list", "/usr/bin/bar\n");
        write("var/lib/dpkg/status", barFirst ? BAR + "\n" + LIBFOO : LIBFOO + "\n" + BAR);

        PackageScan scan = read(List.of(file("usr/bin/bar", "usr/bin/bar")));

        assertThat(scan.metadata().owners().get("usr/bin/bar").name()).isEqualTo(barFirst ? "bar" : "libfoo1");
    }

    @Test
    void theDatabaseReadOnAThreadOfItsOwnGivesTheSameScanAndItsWarningsOnTheCallersThread() throws IOException {
        write("var/lib/dpkg/status", LIBFOO + "\nPackage: broken\nthis line is no field\n\n" + BAR);
        List<DpkgReader.ImageFile> files = List.of(file("lib/libfoo.so.1", "lib/x86_64-linux-gnu/libfoo.so.1.2"),
                file("usr/bin/bar", "usr/bin/bar"));
        PackageScan here = read(files);
        List<String> warnedHere = List.copyOf(warnings);
        warnings.clear();
        List<Thread> warnedOn = new ArrayList<>();

        PackageScan loaded = DpkgReader.read(DpkgDatabase.load(sysroot), files, message -> {
            warnings.add(message);
            warnedOn.add(Thread.currentThread());
        }, message -> { });

        assertThat(loaded.metadata()).isEqualTo(here.metadata());
        assertThat(byPath(loaded).keySet()).isEqualTo(byPath(here).keySet());
        assertThat(warnings).isEqualTo(warnedHere).hasSize(1);
        assertThat(warnedOn).containsOnly(Thread.currentThread());
    }

    @Test
    void filesNoPackageOwnsAddNothing() {
        PackageScan scan = read(List.of(file("app/run", "opt/app/run"),
                new DpkgReader.ImageFile("app/lib", sysroot.resolveSibling("usr/bin/bar"), true)));

        assertThat(scan).isSameAs(PackageScan.NONE);
    }

    @Test
    void aSysrootWithoutDpkgDatabaseAddsNothingAndWarnsOfNothing() throws IOException {
        Files.delete(sysroot.resolve("var/lib/dpkg/status"));

        assertThat(read(List.of(file("usr/bin/bar", "usr/bin/bar")))).isSameAs(PackageScan.NONE);
        assertThat(warnings).isEmpty();
    }

    @Test
    void aMalformedParagraphIsLeftOutWithAWarningNamingTheFileAndTheOthersAreRead() throws IOException {
        write("var/lib/dpkg/status", LIBFOO + "\nPackage: broken\nthis line is no field\n\n" + BAR);

        PackageScan scan = read(List.of(file("lib/libfoo.so.1", "lib/x86_64-linux-gnu/libfoo.so.1.2"),
                file("usr/bin/bar", "usr/bin/bar")));

        assertThat(warnings).singleElement().asString()
                .contains(sysroot.resolve("var/lib/dpkg/status").toString(), "line 20", "left out");
        assertThat(scan.metadata().owners().keySet()).containsExactly("lib/libfoo.so.1", "usr/bin/bar");
    }

    @Test
    void anUnreadableListLeavesThatPackageOutWithAWarningNamingTheFile() throws IOException {
        // A directory where the file should be: unreadable as a file even to root.
        Files.delete(sysroot.resolve("var/lib/dpkg/info/bar.list"));
        Files.createDirectories(sysroot.resolve("var/lib/dpkg/info/bar.list"));

        PackageScan scan = read(List.of(file("lib/libfoo.so.1", "lib/x86_64-linux-gnu/libfoo.so.1.2"),
                file("usr/bin/bar", "usr/bin/bar")));

        assertThat(warnings).singleElement().asString()
                .contains(sysroot.resolve("var/lib/dpkg/info/bar.list").toString(), "bar is left out");
        assertThat(scan.metadata().owners().keySet()).containsExactly("lib/libfoo.so.1");
    }

    @Test
    void aPackageNameThatIsNoSafeFileNameIsRefused() throws IOException {
        write("var/lib/dpkg/status", BAR.replace("Package: bar", "Package: ../../../etc/bar") + "\n"
                + BAR.replace("Package: bar", "Package: a/b"));

        PackageScan scan = read(List.of(file("usr/bin/bar", "usr/bin/bar")));

        assertThat(scan).isSameAs(PackageScan.NONE);
        assertThat(warnings).hasSize(2).allSatisfy(warning -> assertThat(warning).contains("is not a safe file name"));
        assertThat(warnings.get(0)).contains("\"../../../etc/bar\"");
    }

    @Test
    void aLinkInTheSysrootNeverLeadsOutOfIt() throws IOException {
        // An absolute link is taken relative to the sysroot, as in a chroot: the host's /etc/passwd stays out.
        write("var/lib/dpkg/status", BAR);
        Files.createDirectories(sysroot.resolve("usr/share/doc/bar"));
        Files.createSymbolicLink(sysroot.resolve("usr/share/doc/bar/copyright"), Path.of("/etc/passwd"));
        Files.delete(sysroot.resolve("etc/os-release"));
        Files.delete(sysroot.resolve("usr/lib/os-release"));
        Files.createSymbolicLink(sysroot.resolve("etc/os-release"), Path.of("../../../../../../../../usr/lib/os-release"));

        PackageScan scan = read(List.of(file("usr/bin/bar", "usr/bin/bar")));

        assertThat(byPath(scan).keySet()).containsExactly("etc/debian_version", "var/lib/dpkg/status.d/bar");
        assertThat(scan.metadata().osId()).isNull();
    }

    @Test
    void aDeclaredLinkIsOwnedByThePackageOfItsTarget() throws IOException {
        Files.createDirectories(sysroot.resolve("usr/local/bin"));
        Files.createSymbolicLink(sysroot.resolve("usr/local/bin/bar"), Path.of("/usr/bin/bar"));

        PackageScan scan = read(List.of(new DpkgReader.ImageFile("bin/bar", sysroot.resolve("usr/local/bin/bar"), true)));

        assertThat(scan.metadata().ownerOf("bin/bar").name()).isEqualTo("bar");
        assertThat(scan.metadata().ownerOf("bin/bar").licenses()).isEmpty();
    }

    @Test
    void twoArchitecturesOfOnePackageGetTwoStatusFiles() throws IOException {
        write("var/lib/dpkg/status", LIBFOO + "\n" + LIBFOO.replace("Architecture: amd64", "Architecture: i386"));
        write("var/lib/dpkg/info/libfoo1:i386.list", "/usr/lib/i386-linux-gnu/libfoo.so.1.2\n");
        write("usr/lib/i386-linux-gnu/libfoo.so.1.2", "foo's 32-bit code");

        PackageScan scan = read(List.of(file("lib/x86_64-linux-gnu/libfoo.so.1", "lib/x86_64-linux-gnu/libfoo.so.1.2"),
                file("lib/i386-linux-gnu/libfoo.so.1", "usr/lib/i386-linux-gnu/libfoo.so.1.2")));

        assertThat(byPath(scan).keySet()).contains("var/lib/dpkg/status.d/libfoo1:amd64",
                "var/lib/dpkg/status.d/libfoo1:amd64.md5sums", "var/lib/dpkg/status.d/libfoo1:i386");
        assertThat(scan.packages()).isEqualTo(2);
    }

    @Test
    void theFilesOrderChangesNothingNotEvenTheOrderOfTheDecisions() throws IOException {
        write("var/lib/dpkg/status", LIBFOO + "\n" + BAR);
        List<DpkgReader.ImageFile> files = List.of(file("lib/x86_64-linux-gnu/libfoo.so.1",
                "lib/x86_64-linux-gnu/libfoo.so.1.2"), file("usr/bin/bar", "usr/bin/bar"), file("app/run", "opt/run"));
        List<DpkgReader.ImageFile> reversed = new ArrayList<>(files);
        Collections.reverse(reversed);
        List<String> decisions = new ArrayList<>();
        List<String> reversedDecisions = new ArrayList<>();

        PackageScan scan = DpkgReader.read(sysroot, files, warnings::add, decisions::add);
        PackageScan reversedScan = DpkgReader.read(sysroot, reversed, warnings::add, reversedDecisions::add);

        assertThat(reversedScan.metadata()).isEqualTo(scan.metadata());
        assertThat(reversedScan.files()).extracting(MetadataFile::path)
                .isEqualTo(scan.files().stream().map(MetadataFile::path).toList());
        assertThat(decisions).anyMatch(line -> line.startsWith("Package libfoo1 "));
        assertThat(reversedDecisions).isEqualTo(decisions);
    }

    @Test
    void aCopyrightFileThatIsNotUtf8IsStillCopiedAndItsLicensesRead() throws IOException {
        Files.write(sysroot.resolve("usr/share/doc/libfoo1/copyright"), ("Format: https://www.debian.org/doc/"
                + "packaging-manuals/copyright-format/1.0/\n\nFiles: *\nCopyright: 1999 Ren\u00e9\nLicense: Zlib\n")
                .getBytes(StandardCharsets.ISO_8859_1));

        PackageScan scan = read(List.of(file("lib/libfoo.so.1", "lib/x86_64-linux-gnu/libfoo.so.1.2")));

        assertThat(warnings).isEmpty();
        assertThat(byPath(scan)).containsKey("usr/share/doc/libfoo1/copyright");
        assertThat(scan.metadata().ownerOf("lib/libfoo.so.1").licenses()).containsExactly("Zlib");
    }

    @Test
    void spellingsPairEachMergedDirectoryWithItsUsrTwin() {
        assertThat(DpkgReader.spellings("/lib/x86_64-linux-gnu/libc.so.6"))
                .containsExactly("/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6");
        assertThat(DpkgReader.spellings("/usr/sbin/nginx")).containsExactly("/usr/sbin/nginx", "/sbin/nginx");
        assertThat(DpkgReader.spellings("/bin/ls")).containsExactly("/bin/ls", "/usr/bin/ls");
        assertThat(DpkgReader.spellings("/lib64/ld-linux-x86-64.so.2"))
                .containsExactly("/lib64/ld-linux-x86-64.so.2", "/usr/lib64/ld-linux-x86-64.so.2");
        assertThat(DpkgReader.spellings("/usr/share/doc/x")).containsExactly("/usr/share/doc/x");
        assertThat(DpkgReader.spellings("/library/x")).containsExactly("/library/x");
    }

    private PackageScan read(List<DpkgReader.ImageFile> files) {
        return DpkgReader.read(sysroot, files, warnings::add, message -> { });
    }

    private DpkgReader.ImageFile file(String imagePath, String sysrootPath) {
        return new DpkgReader.ImageFile(imagePath, sysroot.resolve(sysrootPath), false);
    }

    private static Map<String, MetadataFile> byPath(PackageScan scan) {
        Map<String, MetadataFile> files = new LinkedHashMap<>();
        scan.files().forEach(file -> files.put(file.path(), file));
        return files;
    }

    private static String text(MetadataFile file) {
        return new String(file.content(), StandardCharsets.UTF_8);
    }

    private void write(String path, String content) throws IOException {
        Path file = sysroot.resolve(path).normalize();
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
