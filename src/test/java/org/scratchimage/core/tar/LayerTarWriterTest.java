package org.scratchimage.core.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.scratchimage.core.image.DirectoryEntry;
import org.scratchimage.core.image.LayerEntry;
import org.scratchimage.core.image.RegularFileEntry;
import org.scratchimage.core.image.SymlinkEntry;

class LayerTarWriterTest {
    /** 2023-11-14T22:13:20Z */
    private static final long MTIME = 1_700_000_000L;
    private static final String MTIME_TEXT = "2023-11-14 22:13:20";

    @TempDir
    Path dir;

    // ---- a typical layer, read back by two independent readers ----

    private List<LayerEntry> sample() throws IOException {
        Path busybox = randomFile("busybox", 1000);
        Path conf = Files.writeString(dir.resolve("app.conf"), "key=value\n");
        Path empty = Files.createFile(dir.resolve("empty"));
        return List.of(
                new DirectoryEntry("", 0755, 0, 0, "root"),
                new DirectoryEntry("bin", 0755, 0, 0, "t"),
                new RegularFileEntry("bin/busybox", busybox, 1000, 04755, 0, 0, "t"),
                new SymlinkEntry("bin/ls", "busybox", 0, 0, "t"),
                new SymlinkEntry("bin/sh", "/bin/busybox", 0, 0, "t"),
                new DirectoryEntry("data", 02750, 65532, 65532, "t"),
                new DirectoryEntry("etc", 0755, 0, 0, "t"),
                new RegularFileEntry("etc/app.conf", conf, 10, 0640, 0, 1000, "t"),
                new RegularFileEntry("etc/empty", empty, 0, 0644, 0, 0, "t"),
                new DirectoryEntry("tmp", 01777, 0, 0, "t"));
    }

    @Test
    void commonsCompressReadsTypesModesOwnersTimesAndLinks() throws IOException {
        byte[] tar = write(MTIME, sample());

        List<TarArchiveEntry> entries = new ArrayList<>();
        Map<String, byte[]> contents = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar), "UTF-8")) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.add(e);
                contents.put(e.getName(), in.readAllBytes());
            }
        }
        assertThat(entries).extracting(TarArchiveEntry::getName).containsExactly(
                "./", "bin/", "bin/busybox", "bin/ls", "bin/sh", "data/", "etc/", "etc/app.conf", "etc/empty", "tmp/");
        assertThat(entries).extracting(TarArchiveEntry::getMode).containsExactly(
                0755, 0755, 04755, 0777, 0777, 02750, 0755, 0640, 0644, 01777);
        assertThat(entries).extracting(TarArchiveEntry::getLongUserId).containsExactly(
                0L, 0L, 0L, 0L, 0L, 65532L, 0L, 0L, 0L, 0L);
        assertThat(entries).extracting(TarArchiveEntry::getLongGroupId).containsExactly(
                0L, 0L, 0L, 0L, 0L, 65532L, 0L, 1000L, 0L, 0L);
        assertThat(entries).extracting(TarArchiveEntry::getLinkName).containsExactly(
                "", "", "", "busybox", "/bin/busybox", "", "", "", "", "");
        assertThat(entries).extracting(e -> e.isDirectory() ? 'd' : e.isSymbolicLink() ? 'l' : e.isFile() ? 'f' : '?')
                .containsExactly('d', 'd', 'f', 'l', 'l', 'd', 'd', 'f', 'f', 'd');
        for (TarArchiveEntry e : entries) {
            assertThat(e.getModTime().getTime()).as(e.getName()).isEqualTo(MTIME * 1000);
            assertThat(e.getUserName()).as(e.getName()).isEmpty();
            assertThat(e.getGroupName()).as(e.getName()).isEmpty();
            assertThat(e.getExtraPaxHeaders()).as(e.getName()).isEmpty();
        }
        assertThat(contents.get("bin/busybox")).isEqualTo(Files.readAllBytes(dir.resolve("busybox")));
        assertThat(contents.get("etc/app.conf")).asString(StandardCharsets.UTF_8).isEqualTo("key=value\n");
        assertThat(contents.get("etc/empty")).isEmpty();
    }

    @Test
    void gnuTarListsTheSameEntries() throws IOException {
        byte[] tar = write(MTIME, sample());

        assertThat(gnuList(tar)).containsExactly(
                "drwxr-xr-x 0/0 0 " + MTIME_TEXT + " ./",
                "drwxr-xr-x 0/0 0 " + MTIME_TEXT + " bin/",
                "-rwsr-xr-x 0/0 1000 " + MTIME_TEXT + " bin/busybox",
                "lrwxrwxrwx 0/0 0 " + MTIME_TEXT + " bin/ls -> busybox",
                "lrwxrwxrwx 0/0 0 " + MTIME_TEXT + " bin/sh -> /bin/busybox",
                "drwxr-s--- 65532/65532 0 " + MTIME_TEXT + " data/",
                "drwxr-xr-x 0/0 0 " + MTIME_TEXT + " etc/",
                "-rw-r----- 0/1000 10 " + MTIME_TEXT + " etc/app.conf",
                "-rw-r--r-- 0/0 0 " + MTIME_TEXT + " etc/empty",
                "drwxrwxrwt 0/0 0 " + MTIME_TEXT + " tmp/");
    }

    @Test
    void gnuTarExtractsModesOwnersTimesAndContent() throws IOException {
        ExternalTools.requireRoot("extracting with owners");
        byte[] tar = write(MTIME, sample());
        Path out = Files.createDirectory(dir.resolve("extracted"));

        ExternalTools.run(tar, List.of("tar", "-xpf", "-", "--numeric-owner", "-C", out.toString())).assertSuccess();

        assertThat(mode(out.resolve("bin/busybox"))).isEqualTo(04755);
        assertThat(mode(out.resolve("tmp"))).isEqualTo(01777);
        assertThat(mode(out.resolve("data"))).isEqualTo(02750);
        assertThat(mode(out.resolve("etc/app.conf"))).isEqualTo(0640);
        assertThat(Files.getAttribute(out.resolve("data"), "unix:uid")).isEqualTo(65532);
        assertThat(Files.getAttribute(out.resolve("etc/app.conf"), "unix:gid")).isEqualTo(1000);
        assertThat(Files.readSymbolicLink(out.resolve("bin/ls"))).hasToString("busybox");
        assertThat(Files.readSymbolicLink(out.resolve("bin/sh"))).hasToString("/bin/busybox");
        assertThat(Files.getLastModifiedTime(out.resolve("bin/ls"), LinkOption.NOFOLLOW_LINKS).toMillis())
                .isEqualTo(MTIME * 1000);
        assertThat(Files.getLastModifiedTime(out.resolve("etc")).toMillis()).isEqualTo(MTIME * 1000);
        assertThat(out.resolve("bin/busybox")).hasSameBinaryContentAs(dir.resolve("busybox"));
    }

    @Test
    void everyHeaderIsPlainUstarWithValidChecksumEmptyNamesAndTwoZeroBlocksAtTheEnd() throws IOException {
        List<LayerEntry> entries = sample();
        byte[] tar = write(MTIME, entries);

        // RawTar.parse checks checksums, magic, empty uname/gname, padding and the two final zero blocks.
        List<RawTar.Header> headers = RawTar.parse(tar);
        assertThat(headers).noneMatch(RawTar.Header::isPax);
        assertThat(headers).extracting(RawTar.Header::type).containsExactly(
                (byte) '5', (byte) '5', (byte) '0', (byte) '2', (byte) '2', (byte) '5', (byte) '5', (byte) '0',
                (byte) '0', (byte) '5');
        assertThat(headers.get(0).name()).isEqualTo("./");
        assertThat(headers).allSatisfy(h -> assertThat(h.mtime()).isEqualTo(MTIME));
        // Header, data padded to blocks, and nothing else: 10 headers, 1000 bytes -> 2 blocks, 10 -> 1 block.
        assertThat(tar).hasSize(512 * (10 + 2 + 1 + 2));
    }

    @Test
    void countsEntriesButNotPaxHeaders() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerTarWriter writer = new LayerTarWriter(out, MTIME);
        writer.write(new DirectoryEntry("", 0755, 0, 0, "t"));
        writer.write(new DirectoryEntry("caf\u00e9", 0755, 0, 0, "t"));
        writer.finish();

        assertThat(writer.entries()).isEqualTo(2);
        assertThat(RawTar.parse(out.toByteArray())).hasSize(3);
    }

    @Test
    void rejectsANegativeMtime() {
        assertThatThrownBy(() -> new LayerTarWriter(new ByteArrayOutputStream(), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- PAX only where ustar cannot hold the entry ----

    @Test
    void aNameOfExactly100BytesFitsTheNameField() throws IOException {
        String name = "n".repeat(100);
        List<RawTar.Header> headers = RawTar.parse(write(MTIME, file(name)));

        assertThat(headers).hasSize(1);
        assertThat(headers.get(0).name()).isEqualTo(name);
        assertThat(headers.get(0).prefix()).isEmpty();
    }

    static Stream<Arguments> splittableNames() {
        return Stream.of(
                // 101 bytes, the shortest name that needs a prefix
                Arguments.of("a/" + "b".repeat(99), false),
                Arguments.of("p".repeat(150) + "/" + "n".repeat(99), false),
                // 256 bytes: a full prefix, a slash and a full name
                Arguments.of("p".repeat(155) + "/" + "n".repeat(100), false),
                Arguments.of("usr/" + "s".repeat(80) + "/" + "d".repeat(60), true),
                Arguments.of("p".repeat(154) + "/" + "d".repeat(99), true));
    }

    @ParameterizedTest
    @MethodSource("splittableNames")
    void aLongNameThatSplitsIntoPrefixAndNameNeedsNoPax(String path, boolean directory) throws IOException {
        LayerEntry entry = directory ? new DirectoryEntry(path, 0755, 0, 0, "t") : file(path);
        String expected = directory ? path + "/" : path;
        byte[] tar = write(MTIME, entry);

        List<RawTar.Header> headers = RawTar.parse(tar);
        assertThat(headers).hasSize(1);
        RawTar.Header header = headers.get(0);
        assertThat(header.prefix()).isNotEmpty().hasSizeLessThanOrEqualTo(155);
        assertThat(header.name().getBytes(StandardCharsets.US_ASCII)).hasSizeLessThanOrEqualTo(100);
        assertThat(header.ustarPath()).isEqualTo(expected);
        assertThat(commonsNames(tar)).containsExactly(expected);
        assertThat(gnuNames(tar)).containsExactly(expected);
    }

    static Stream<Arguments> namesThatNeedPax() {
        String segments = "seg/".repeat(74) + "file"; // 300 bytes, slashes everywhere
        return Stream.of(
                Arguments.of(segments),
                Arguments.of("x".repeat(300)),
                // 257 bytes: one more than ustar holds
                Arguments.of("p".repeat(155) + "/" + "n".repeat(101)),
                // the only split leaves a 156-byte prefix
                Arguments.of("p".repeat(156) + "/b"),
                // no slash at all
                Arguments.of("n".repeat(101)),
                Arguments.of("etc/caf\u00e9.conf"),
                Arguments.of("usr/share/\u043f\u0440\u0438\u0432\u0435\u0442.txt"),
                Arguments.of("opt/\u65e5\u672c\u8a9e/\u30d5\u30a1\u30a4\u30eb"),
                Arguments.of("srv/\u0645\u0631\u062d\u0628\u0627"),
                Arguments.of("home/\ud83d\udc33whale"),
                Arguments.of("\u00e4"),
                Arguments.of("tab\there"));
    }

    @ParameterizedTest
    @MethodSource("namesThatNeedPax")
    void aNameUstarCannotHoldGetsAPaxPathRecordAndNothingElse(String path) throws IOException {
        byte[] tar = write(MTIME, file(path));

        List<RawTar.Header> headers = RawTar.parse(tar);
        assertThat(headers).hasSize(2);
        assertThat(headers.get(0).isPax()).isTrue();
        assertThat(headers.get(0).paxRecords()).containsExactly(Map.entry("path", path));
        assertThat(headers.get(1).type()).isEqualTo((byte) '0');
        assertThat(commonsNames(tar)).containsExactly(path);
        assertThat(gnuNames(tar)).containsExactly(path);
    }

    @Test
    void aNonAsciiDirectoryNameKeepsItsTrailingSlash() throws IOException {
        String path = "donn\u00e9es";
        byte[] tar = write(MTIME, new DirectoryEntry(path, 0755, 0, 0, "t"));

        List<RawTar.Header> headers = RawTar.parse(tar);
        assertThat(headers.get(0).paxRecords()).containsOnlyKeys("path");
        assertThat(headers.get(1).type()).isEqualTo((byte) '5');
        assertThat(commonsNames(tar)).containsExactly(path + "/");
        assertThat(gnuNames(tar)).containsExactly(path + "/");
    }

    @Test
    void aLinkTargetOfExactly100AsciiBytesNeedsNoPax() throws IOException {
        String target = "t".repeat(100);
        byte[] tar = write(MTIME, new SymlinkEntry("l", target, 0, 0, "t"));

        List<RawTar.Header> headers = RawTar.parse(tar);
        assertThat(headers).hasSize(1);
        assertThat(headers.get(0).linkName()).isEqualTo(target);
        assertThat(gnuList(tar)).containsExactly("lrwxrwxrwx 0/0 0 " + MTIME_TEXT + " l -> " + target);
    }

    static Stream<String> targetsThatNeedPax() {
        return Stream.of(
                "t".repeat(101),
                "../".repeat(20) + "usr/lib/x86_64-linux-gnu/libsomething.so.1.2.3.4",
                "busybox-\u00fc",
                "/opt/\u65e5\u672c\u8a9e/bin");
    }

    @ParameterizedTest
    @MethodSource("targetsThatNeedPax")
    void aLinkTargetUstarCannotHoldGetsAPaxLinkpathRecordAndNothingElse(String target) throws IOException {
        byte[] tar = write(MTIME, new SymlinkEntry("bin/link", target, 0, 0, "t"));

        List<RawTar.Header> headers = RawTar.parse(tar);
        assertThat(headers).hasSize(2);
        assertThat(headers.get(0).paxRecords()).containsExactly(Map.entry("linkpath", target));
        assertThat(headers.get(1).name()).isEqualTo("bin/link");
        assertThat(commonsLinkNames(tar)).containsExactly(target);
        assertThat(gnuList(tar)).containsExactly("lrwxrwxrwx 0/0 0 " + MTIME_TEXT + " bin/link -> " + target);
    }

    @Test
    void idsUpTo2097151FitUstar() throws IOException {
        byte[] tar = write(MTIME, new DirectoryEntry("d", 0755, 2_097_151, 2_097_151, "t"));

        List<RawTar.Header> headers = RawTar.parse(tar);
        assertThat(headers).hasSize(1);
        assertThat(headers.get(0).uid()).isEqualTo(2_097_151);
        assertThat(headers.get(0).gid()).isEqualTo(2_097_151);
    }

    @Test
    void aLargeUidGetsAPaxUidRecordOnly() throws IOException {
        byte[] tar = write(MTIME, new DirectoryEntry("d", 0755, 2_097_152, 7, "t"));

        List<RawTar.Header> headers = RawTar.parse(tar);
        assertThat(headers.get(0).paxRecords()).containsExactly(Map.entry("uid", "2097152"));
        assertThat(headers.get(1).gid()).isEqualTo(7);
        assertThat(gnuList(tar)).containsExactly("drwxr-xr-x 2097152/7 0 " + MTIME_TEXT + " d/");
    }

    @Test
    void aLargeGidGetsAPaxGidRecordOnly() throws IOException {
        byte[] tar = write(MTIME, new DirectoryEntry("d", 0755, 7, 4_294_967_294L, "t"));

        List<RawTar.Header> headers = RawTar.parse(tar);
        assertThat(headers.get(0).paxRecords()).containsExactly(Map.entry("gid", "4294967294"));
        assertThat(headers.get(1).uid()).isEqualTo(7);
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry entry = in.getNextEntry();
            assertThat(entry.getLongGroupId()).isEqualTo(4_294_967_294L);
            assertThat(entry.getLongUserId()).isEqualTo(7);
        }
        assertThat(gnuList(tar)).containsExactly("drwxr-xr-x 7/4294967294 0 " + MTIME_TEXT + " d/");
    }

    @Test
    void severalNeedsShareOnePaxHeaderWithExactlyTheirRecords() throws IOException {
        String path = "x".repeat(120) + "\u00e9";
        byte[] tar = write(MTIME, new SymlinkEntry(path, "\u00fc", 3_000_000, 3_000_001, "t"));

        List<RawTar.Header> headers = RawTar.parse(tar);
        assertThat(headers).hasSize(2);
        assertThat(headers.get(0).paxRecords()).containsOnly(
                Map.entry("path", path), Map.entry("linkpath", "\u00fc"),
                Map.entry("uid", "3000000"), Map.entry("gid", "3000001"));
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry entry = in.getNextEntry();
            assertThat(entry.getName()).isEqualTo(path);
            assertThat(entry.getLinkName()).isEqualTo("\u00fc");
            assertThat(entry.getLongUserId()).isEqualTo(3_000_000);
            assertThat(entry.getLongGroupId()).isEqualTo(3_000_001);
        }
    }

    @Test
    void theLargestOctalMtimeNeedsNoPax() throws IOException {
        long mtime = 077777777777L;
        List<RawTar.Header> headers = RawTar.parse(write(mtime, new DirectoryEntry("d", 0755, 0, 0, "t")));

        assertThat(headers).hasSize(1);
        assertThat(headers.get(0).mtime()).isEqualTo(mtime);
    }

    @Test
    void anMtimeAfterTheYear2242GetsAPaxMtimeRecordOnly() throws IOException {
        long mtime = 253_402_300_799L; // 9999-12-31T23:59:59Z
        byte[] tar = write(mtime, new DirectoryEntry("d", 0755, 0, 0, "t"));

        List<RawTar.Header> headers = RawTar.parse(tar);
        assertThat(headers.get(0).paxRecords()).containsExactly(Map.entry("mtime", "253402300799"));
        assertThat(headers.get(1).mtime()).isEqualTo(077777777777L);
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            assertThat(in.getNextEntry().getModTime().getTime()).isEqualTo(mtime * 1000);
        }
        assertThat(gnuList(tar)).containsExactly("drwxr-xr-x 0/0 0 9999-12-31 23:59:59 d/");
    }

    // ---- PAX record lengths at the digit boundaries ----

    /**
     * A "path" record is {@code "<L> path=<name>\n"}: 7 bytes plus the name plus the digits of L itself. When
     * adding a digit would overshoot, L skips a value (10, 100, 1000 cannot occur for this key).
     */
    static Stream<Arguments> recordLengths() {
        return Stream.of(
                Arguments.of(1, 9),
                Arguments.of(2, 11),
                Arguments.of(3, 12),
                Arguments.of(90, 99),
                Arguments.of(91, 101),
                Arguments.of(92, 102),
                Arguments.of(989, 999),
                Arguments.of(990, 1001),
                Arguments.of(991, 1002));
    }

    @ParameterizedTest
    @MethodSource("recordLengths")
    void paxRecordLengthsCountTheirOwnDigits(int nameBytes, int recordLength) throws IOException {
        // A control character makes even a one-byte name need PAX; the rest is ASCII filler.
        String path = "\u0001" + "a".repeat(nameBytes - 1);
        assertThat(path.getBytes(StandardCharsets.UTF_8)).hasSize(nameBytes);
        byte[] tar = write(MTIME, file(path));

        RawTar.Header pax = RawTar.parse(tar).get(0);
        assertThat(pax.data()).hasSize(recordLength);
        assertThat(RawTar.firstRecordLength(pax.data())).isEqualTo(recordLength);
        assertThat(new String(pax.data(), StandardCharsets.UTF_8)).isEqualTo(recordLength + " path=" + path + "\n");
        assertThat(pax.paxRecords()).containsExactly(Map.entry("path", path));
        assertThat(commonsNames(tar)).containsExactly(path);
    }

    @Test
    void paxRecordLengthsAddUpWhenThereAreSeveral() throws IOException {
        // path: " path=" + 91 bytes + "\n" = 98 bytes of body, 101 with its length (100 cannot occur);
        // linkpath: " linkpath=" + 89 bytes + "\n" = 100 bytes of body, 103 with its length.
        String target = "\u00e9" + "t".repeat(87);
        byte[] tar = write(MTIME, new SymlinkEntry("\u00e9" + "p".repeat(89), target, 0, 0, "t"));

        RawTar.Header pax = RawTar.parse(tar).get(0);
        String records = new String(pax.data(), StandardCharsets.UTF_8);
        assertThat(records).isEqualTo("101 path=\u00e9" + "p".repeat(89) + "\n" + "103 linkpath=" + target + "\n");
        assertThat(gnuList(tar)).hasSize(1);
    }

    // ---- sizes of 8 GiB and more ----

    @Test
    void aSizeJustBelow8GibFitsTheOctalField() throws IOException {
        byte[] head = headerOfPlannedSize(077777777777L);

        RawTar.Header header = new RawTar.Header(0, Arrays.copyOf(head, 512), new byte[0]);
        assertThat(header.isPax()).isFalse();
        assertThat(header.size()).isEqualTo(077777777777L);
        assertThat(new String(head, 124, 12, StandardCharsets.US_ASCII)).isEqualTo("77777777777\0");
    }

    @Test
    void aSizeOf8GibGetsAPaxSizeRecordOnly() throws IOException {
        long size = 8L * 1024 * 1024 * 1024;
        byte[] head = headerOfPlannedSize(size);

        RawTar.Header pax = new RawTar.Header(0, Arrays.copyOf(head, 512), new byte[0]);
        assertThat(pax.isPax()).isTrue();
        byte[] records = Arrays.copyOfRange(head, 512, 512 + (int) pax.size());
        assertThat(RawTar.parsePaxRecords(records)).containsExactly(Map.entry("size", "8589934592"));
        assertThat(head[1024 + 156]).isEqualTo((byte) '0');
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(head))) {
            TarArchiveEntry entry = in.getNextEntry();
            assertThat(entry.getName()).isEqualTo("big");
            assertThat(entry.getSize()).isEqualTo(size);
        }
    }

    /** Writes an entry planned with {@code size} from a 10-byte file: the header is out before the copy fails. */
    private byte[] headerOfPlannedSize(long size) throws IOException {
        Path small = Files.write(dir.resolve("small"), new byte[10]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerTarWriter writer = new LayerTarWriter(out, MTIME);
        assertThatThrownBy(() -> writer.write(new RegularFileEntry("big", small, size, 0644, 0, 0, "t")))
                .isInstanceOf(SourceChangedException.class);
        return out.toByteArray();
    }

    @Test
    void aSparseFileOf8GibPlusOneByteIsWrittenWithAPaxSizeAndReadBackByGnuTar() throws IOException {
        long size = 8L * 1024 * 1024 * 1024 + 1;
        Path sparse = dir.resolve("sparse");
        try (RandomAccessFile file = new RandomAccessFile(sparse.toFile(), "rw")) {
            file.setLength(size);
        }
        RegularFileEntry entry = new RegularFileEntry("opt/huge.img", sparse, size, 0644, 0, 0, "t");
        long padded = (size + 511) / 512 * 512;

        // One pass, counted and piped through GNU tar, which skips the data by the PAX size: a wrong size or
        // padding would misread the next header. A large blocking factor keeps the pipe fast.
        CountingHead counted = new CountingHead(4096);
        ExternalTools.Result listing = ExternalTools.run(stdin -> {
            counted.target = stdin;
            LayerTarWriter writer = new LayerTarWriter(counted, MTIME);
            writer.write(entry);
            writer.write(new DirectoryEntry("after", 0755, 0, 0, "t"));
            writer.finish();
        }, List.of("tar", "-b", "2048", "--numeric-owner", "--full-time", "--quoting-style=literal", "-tvf", "-"),
                Map.of());
        listing.assertSuccess();
        assertThat(listing.stderr()).isEmpty();
        assertThat(normalise(listing.out())).containsExactly(
                "-rw-r--r-- 0/0 8589934593 " + MTIME_TEXT + " opt/huge.img",
                "drwxr-xr-x 0/0 0 " + MTIME_TEXT + " after/");

        assertThat(counted.count).isEqualTo(512 + 512 + 512 + padded + 512 + 1024);
        byte[] head = counted.head();
        RawTar.Header pax = new RawTar.Header(0, Arrays.copyOf(head, 512), new byte[0]);
        byte[] records = Arrays.copyOfRange(head, 512, 512 + (int) pax.size());
        assertThat(RawTar.parsePaxRecords(records)).containsExactly(Map.entry("size", "8589934593"));
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(head))) {
            assertThat(in.getNextEntry().getSize()).isEqualTo(size);
        }
    }

    /** Passes bytes on, counts them and keeps the first few. */
    private static final class CountingHead extends OutputStream {
        private final byte[] head;
        private OutputStream target = OutputStream.nullOutputStream();
        private long count;

        CountingHead(int keep) {
            head = new byte[keep];
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            target.write(b, off, len);
            if (count < head.length) {
                System.arraycopy(b, off, head, (int) count, (int) Math.min(len, head.length - count));
            }
            count += len;
        }

        byte[] head() {
            return head;
        }
    }

    // ---- a source that changes between planning and writing ----

    @ParameterizedTest
    @ValueSource(ints = {99, 101, 0, 100_000})
    void aFileWhoseSizeChangedSincePlanningFailsTheLayer(int actualSize) throws IOException {
        Path source = randomFile("changing", actualSize);
        RegularFileEntry entry = new RegularFileEntry("app", source, 100, 0644, 0, 0, "t");
        LayerTarWriter writer = new LayerTarWriter(new ByteArrayOutputStream(), MTIME);

        assertThatThrownBy(() -> writer.write(entry))
                .isInstanceOf(SourceChangedException.class)
                .hasMessageContaining(source.toString())
                .hasMessageContaining("expected 100 bytes");
    }

    @Test
    void aTreeFileSwappedForALinkSincePlanningIsNotFollowed() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret"), "outside the tree!");
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Path file = tree.resolve("app.conf");
        // Planned as a regular file of the secret's size, then replaced by a link to it.
        Files.createSymbolicLink(file, secret);
        RegularFileEntry entry = new RegularFileEntry("app.conf", file, Files.size(secret), 0644, 0, 0, "t", false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerTarWriter writer = new LayerTarWriter(out, MTIME);

        assertThatThrownBy(() -> writer.write(entry)).isInstanceOf(IOException.class);
        assertThat(new String(out.toByteArray(), StandardCharsets.ISO_8859_1)).doesNotContain("outside the tree!");
    }

    @Test
    void aDeclaredFileWhoseSourceIsALinkIsCopiedAsItsContent() throws IOException {
        Path target = Files.writeString(dir.resolve("real"), "content");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);

        byte[] tar = write(MTIME, new RegularFileEntry("app", link, 7, 0644, 0, 0, "t"));

        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            assertThat(in.getNextEntry().isFile()).isTrue();
            assertThat(in.readAllBytes()).isEqualTo("content".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aFileOfThePlannedSizeIsCopiedWhole() throws IOException {
        Path source = randomFile("stable", 200_000);
        byte[] tar = write(MTIME, new RegularFileEntry("app", source, 200_000, 0644, 0, 0, "t"));

        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            in.getNextEntry();
            assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(source));
        }
    }

    // ---- the prefix/name split on its own ----

    @Test
    void splitNameUsesTheShortestPrefixThatLeavesAtMost100Bytes() {
        byte[][] split = LayerTarWriter.splitName(ascii("aa/bb/" + "c".repeat(97)));

        // 103 bytes: "aa" leaves exactly 100, so the longer prefix "aa/bb" is not needed.
        assertThat(new String(split[0], StandardCharsets.US_ASCII)).isEqualTo("aa");
        assertThat(new String(split[1], StandardCharsets.US_ASCII)).isEqualTo("bb/" + "c".repeat(97));
        split = LayerTarWriter.splitName(ascii("aa/bb/" + "c".repeat(98)));
        assertThat(new String(split[0], StandardCharsets.US_ASCII)).isEqualTo("aa/bb");
        assertThat(new String(split[1], StandardCharsets.US_ASCII)).isEqualTo("c".repeat(98));
    }

    @Test
    void splitNameNeverLeavesAnEmptyNameOrSplitsAtATrailingSlash() {
        assertThat(LayerTarWriter.splitName(ascii("d".repeat(101) + "/"))).isNull();
        assertThat(LayerTarWriter.splitName(ascii("d".repeat(150) + "/"))).isNull();
    }

    @Test
    void splitNameRefusesWhatUstarCannotHold() {
        assertThat(LayerTarWriter.splitName(ascii("p".repeat(155) + "/" + "n".repeat(101)))).isNull();
        assertThat(LayerTarWriter.splitName(ascii("p".repeat(156) + "/" + "n"))).isNull();
        assertThat(LayerTarWriter.splitName(ascii("/" + "n".repeat(100)))).isNull();
        assertThat(LayerTarWriter.splitName(ascii("n".repeat(101)))).isNull();
    }

    // ---- helpers ----

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private Path randomFile(String name, int size) throws IOException {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return Files.write(dir.resolve(name), data);
    }

    private RegularFileEntry file(String path) throws IOException {
        Path source = dir.resolve("content");
        if (!Files.exists(source)) {
            Files.writeString(source, "hello\n");
        }
        return new RegularFileEntry(path, source, 6, 0644, 0, 0, "t");
    }

    static byte[] write(long mtime, LayerEntry... entries) throws IOException {
        return write(mtime, List.of(entries));
    }

    static byte[] write(long mtime, List<LayerEntry> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerTarWriter writer = new LayerTarWriter(out, mtime);
        for (LayerEntry entry : entries) {
            writer.write(entry);
        }
        writer.finish();
        return out.toByteArray();
    }

    private static int mode(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    private static List<String> commonsNames(byte[] tar) throws IOException {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar), "UTF-8")) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
            }
        }
        return names;
    }

    private static List<String> commonsLinkNames(byte[] tar) throws IOException {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar), "UTF-8")) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getLinkName());
            }
        }
        return names;
    }

    private static final Pattern GNU_LINE = Pattern.compile(
            "(\\S{10}) (\\d+)/(\\d+) +(\\d+) (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d) (.*)");

    /** GNU tar's verbose listing with numeric owners and full times, spaces collapsed: "mode u/g size time name". */
    static List<String> gnuList(byte[] tar) {
        ExternalTools.Result result = ExternalTools.run(tar,
                List.of("tar", "--numeric-owner", "--full-time", "--quoting-style=literal", "-tvf", "-"));
        result.assertSuccess();
        assertThat(result.stderr()).as("GNU tar warnings").isEmpty();
        return normalise(result.out());
    }

    private static List<String> normalise(String listing) {
        List<String> lines = new ArrayList<>();
        for (String line : listing.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            Matcher m = GNU_LINE.matcher(line);
            assertThat(m.matches()).as("GNU tar line %s", line).isTrue();
            lines.add(m.group(1) + " " + m.group(2) + "/" + m.group(3) + " " + m.group(4) + " " + m.group(5) + " "
                    + m.group(6));
        }
        return lines;
    }

    private static List<String> gnuNames(byte[] tar) {
        return gnuList(tar).stream().map(line -> line.split(" ", 6)[5]).toList();
    }
}
