package org.scratchimage.core.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.scratchimage.core.tar.ExternalTools;

class ElfFileTest {
    @TempDir
    Path dir;

    @Test
    void readsWhatTheLinkerWroteIntoAProgramAndALibrary() throws Exception {
        Gcc.requireGcc();
        Files.createDirectories(dir.resolve("lib"));
        Files.createDirectories(dir.resolve("bin"));
        Gcc.compile(dir, "int greet(void) { return 42; }", "-shared", "-fPIC", "-Wl,-soname,libgreet.so.1",
                "-o", "lib/libgreet.so.1");
        Gcc.compile(dir, "int greet(void); int main(void) { return greet() == 42 ? 0 : 1; }",
                "-Llib", "-l:libgreet.so.1", "-Wl,--enable-new-dtags,-rpath,$ORIGIN/../lib", "-o", "bin/hello");

        ElfFile program = ElfFile.read(dir.resolve("bin/hello")).orElseThrow();
        ElfFile library = ElfFile.read(dir.resolve("lib/libgreet.so.1")).orElseThrow();

        assertThat(program.interpreter()).isEqualTo(hostInterpreter());
        assertThat(program.needed()).startsWith("libgreet.so.1").contains("libc.so.6");
        assertThat(program.runpath()).isEqualTo("$ORIGIN/../lib");
        assertThat(program.rpath()).isNull();
        assertThat(library.soname()).isEqualTo("libgreet.so.1");
        assertThat(library.interpreter()).isNull();
        assertThat(program.compatibleWith(library)).isTrue();
    }

    @Test
    void oldStyleRpathIsReadAsRpath() throws Exception {
        Gcc.requireGcc();
        Gcc.compile(dir, "int main(void) { return 0; }", "-Wl,--disable-new-dtags,-rpath,/opt/x/lib:$LIB", "-o", "p");

        ElfFile program = ElfFile.read(dir.resolve("p")).orElseThrow();

        assertThat(program.rpath()).isEqualTo("/opt/x/lib:$LIB");
        assertThat(program.runpath()).isNull();
    }

    @Test
    void aStaticProgramHasNoInterpreterAndNoLibraries() throws Exception {
        Path busybox = Path.of("/bin/busybox");
        ExternalTools.requireThat(Files.exists(busybox), "/bin/busybox is missing: apt-get install -y busybox-static");
        ElfFile elf = ElfFile.read(busybox).orElseThrow();

        assertThat(elf.interpreter()).isNull();
        assertThat(elf.needed()).isEmpty();
    }

    @Test
    void aFileWithoutTheMagicIsNotElf() throws Exception {
        Path script = Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\necho hi\n");
        Path empty = Files.createFile(dir.resolve("empty"));
        Path three = Files.write(dir.resolve("three"), new byte[] {0x7f, 'E', 'L'});

        assertThat(ElfFile.read(script)).isEmpty();
        assertThat(ElfFile.read(empty)).isEmpty();
        assertThat(ElfFile.read(three)).isEmpty();
    }

    /** Hand-made headers: every class and byte order, and the machine names OCI uses. */
    @ParameterizedTest
    @CsvSource({
        "64, true, 62, amd64,",
        "32, true, 3, 386,",
        "64, true, 183, arm64,",
        "32, true, 40, arm, v7",
        "64, true, 21, ppc64le,",
        "64, false, 21, ppc64,",
        "64, false, 22, s390x,",
        "64, true, 243, riscv64,"
    })
    void mapsMachineClassAndByteOrderToTheOciArchitecture(int elfClass, boolean littleEndian, int machine,
            String architecture, String variant) throws Exception {
        Path file = Files.write(dir.resolve("f"), new SyntheticElf(elfClass, littleEndian, machine)
                .interpreter("/lib/ld.so.1").needed("libc.so.6", "libm.so.6").soname("libx.so.1")
                .runpath("$ORIGIN/../lib").bytes());

        ElfFile elf = ElfFile.read(file).orElseThrow();

        assertThat(elf.elfClass()).isEqualTo(elfClass);
        assertThat(elf.littleEndian()).isEqualTo(littleEndian);
        assertThat(elf.machine()).isEqualTo(machine);
        assertThat(elf.interpreter()).isEqualTo("/lib/ld.so.1");
        assertThat(elf.needed()).containsExactly("libc.so.6", "libm.so.6");
        assertThat(elf.soname()).isEqualTo("libx.so.1");
        assertThat(elf.runpath()).isEqualTo("$ORIGIN/../lib");
        assertThat(ElfMachine.of(elf)).contains(new ElfMachine.Architecture(architecture, variant));
    }

    @Test
    void aMachineOciCannotNameHasNoArchitecture() throws Exception {
        Path file = Files.write(dir.resolve("f"), new SyntheticElf(64, true, 0x9999).bytes());

        assertThat(ElfMachine.of(ElfFile.read(file).orElseThrow())).isEmpty();
    }

    @Test
    void everyTruncationOfARealLibraryIsAnErrorNamingTheFileOrStillReadable() throws Exception {
        byte[] whole = new SyntheticElf(64, true, 62).interpreter("/lib64/ld-linux-x86-64.so.2")
                .needed("libc.so.6").runpath("/opt/lib").bytes();
        for (int length = 4; length < whole.length; length++) {
            Path file = Files.write(dir.resolve("t" + length), Arrays.copyOf(whole, length));
            try {
                ElfFile.read(file);
            } catch (ElfFormatException e) {
                assertThat(e.getMessage()).startsWith(file + " is not a readable ELF file: ");
                assertThat(e.file()).isEqualTo(file);
            }
        }
        // The header alone, cut short, must fail rather than read zeros.
        Path header = Files.write(dir.resolve("h"), Arrays.copyOf(whole, 40));
        assertThatThrownBy(() -> ElfFile.read(header)).isInstanceOf(ElfFormatException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void theHeaderAloneGivesWhatAFullReadGivesForThePlatform() throws Exception {
        for (int[] kind : new int[][] {{64, 1, 62}, {32, 1, 40}, {64, 0, 22}, {32, 0, 8}}) {
            Path file = Files.write(dir.resolve("p" + kind[2]), new SyntheticElf(kind[0], kind[1] == 1, kind[2])
                    .interpreter("/lib/ld.so.1").needed("libc.so.6").bytes());
            ElfFile full = ElfFile.read(file).orElseThrow();
            ElfFile header = ElfFile.readHeader(file).orElseThrow();

            assertThat(header.elfClass()).isEqualTo(full.elfClass()).isEqualTo(kind[0]);
            assertThat(header.littleEndian()).isEqualTo(full.littleEndian());
            assertThat(header.machine()).isEqualTo(full.machine()).isEqualTo(kind[2]);
            assertThat(ElfMachine.of(header)).isEqualTo(ElfMachine.of(full));
            assertThat(header.interpreter()).isNull();
            assertThat(header.needed()).isEmpty();
        }
        assertThat(ElfFile.readHeader(Files.writeString(dir.resolve("text"), "#!/bin/sh\n"))).isEmpty();
        byte[] whole = new SyntheticElf(64, true, 62).bytes();
        Path cut = Files.write(dir.resolve("cut"), Arrays.copyOf(whole, 40));
        assertThatThrownBy(() -> ElfFile.readHeader(cut)).isInstanceOf(ElfFormatException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void randomCorruptionNeverEscapesAsAnUncheckedException() throws Exception {
        byte[] whole = new SyntheticElf(64, true, 62).interpreter("/lib64/ld-linux-x86-64.so.2")
                .needed("libc.so.6", "libz.so.1").soname("liby.so").rpath("$ORIGIN").bytes();
        long seed = 20261129L;
        Random random = new Random(seed);
        for (int round = 0; round < 2000; round++) {
            byte[] corrupt = whole.clone();
            for (int flips = 1 + random.nextInt(8); flips > 0; flips--) {
                corrupt[4 + random.nextInt(corrupt.length - 4)] = (byte) random.nextInt(256);
            }
            Path file = Files.write(dir.resolve("c"), corrupt);
            try {
                Optional<ElfFile> elf = ElfFile.read(file);
                assertThat(elf).isPresent();
            } catch (ElfFormatException expected) {
                // a clear, checked error is the other acceptable outcome
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + ", round " + round + ": " + e, e);
            }
        }
    }

    @Test
    void anEmptyInterpreterPathIsAnUnreadableElfFileNamingIt() throws Exception {
        // PT_INTERP holding only its NUL: the kernel cannot start such a program, and there is no path to look up.
        Path file = Files.write(dir.resolve("empty-interp"), new SyntheticElf(64, true, 62).interpreter("")
                .needed("libc.so.6").bytes());

        assertThatThrownBy(() -> ElfFile.read(file)).isInstanceOfSatisfying(ElfFormatException.class, e -> {
            assertThat(e.file()).isEqualTo(file);
            assertThat(e.getMessage()).isEqualTo(file + " is not a readable ELF file: the interpreter path (PT_INTERP)"
                    + " is empty");
        });
    }

    @Test
    void aHostileProgramHeaderCountIsRefused() throws Exception {
        byte[] bytes = new SyntheticElf(64, true, 62).bytes();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(56, (short) 0xffff);
        Path file = Files.write(dir.resolve("f"), bytes);

        assertThatThrownBy(() -> ElfFile.read(file)).isInstanceOf(ElfFormatException.class);
    }

    @Test
    void anUnterminatedInterpreterIsAnError() throws Exception {
        byte[] bytes = new SyntheticElf(64, true, 62).interpreter("/lib/ld.so").bytes();
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("/lib/ld.so") + "/lib/ld.so".length();
        byte[] cut = Arrays.copyOf(bytes, end);
        Path file = Files.write(dir.resolve("f"), cut);

        assertThatThrownBy(() -> ElfFile.read(file)).isInstanceOf(ElfFormatException.class);
    }

    @Test
    void stringsLongerThanOneReadChunkAreReadWhole() throws Exception {
        // The reader fetches strings in growing chunks: a string across several of them must come back whole.
        String rpath = "/opt/" + "r".repeat(3000) + "/lib";
        String soname = "lib" + "s".repeat(700) + ".so.1";
        byte[] bytes = new SyntheticElf(64, true, 62).interpreter("/lib64/" + "i".repeat(300) + ".so.2")
                .needed("libc.so.6", "lib" + "n".repeat(5000) + ".so").soname(soname).rpath(rpath).bytes();
        Path file = Files.write(dir.resolve("long"), bytes);

        ElfFile elf = ElfFile.read(file).orElseThrow();

        assertThat(elf.interpreter()).isEqualTo("/lib64/" + "i".repeat(300) + ".so.2");
        assertThat(elf.needed()).containsExactly("libc.so.6", "lib" + "n".repeat(5000) + ".so");
        assertThat(elf.soname()).isEqualTo(soname);
        assertThat(elf.rpath()).isEqualTo(rpath);
    }

    @Test
    void aStringRunningIntoTheEndOfTheFileIsAnErrorWhateverItsLength() throws Exception {
        for (int length : new int[] {10, 255, 256, 257, 2047, 2048, 2049, 70_000}) {
            String interpreter = "/" + "x".repeat(length);
            byte[] bytes = new SyntheticElf(64, true, 62).interpreter(interpreter).bytes();
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            byte[] cut = Arrays.copyOf(bytes, text.indexOf(interpreter) + interpreter.length());
            Path file = Files.write(dir.resolve("cut-" + length), cut);

            assertThatThrownBy(() -> ElfFile.read(file)).as("length %d", length)
                    .isInstanceOf(ElfFormatException.class);
        }
    }

    private static String hostInterpreter() throws IOException, ElfFormatException {
        return ElfFile.read(Path.of("/bin/ls")).orElseThrow().interpreter();
    }
}
