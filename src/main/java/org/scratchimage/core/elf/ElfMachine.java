package org.scratchimage.core.elf;

import java.util.List;
import java.util.Optional;

/** Maps an ELF file's {@code e_machine}, class and byte order to an OCI architecture and variant (Go's names). */
public final class ElfMachine {
    static final int EM_386 = 3;
    static final int EM_PPC64 = 21;
    static final int EM_S390 = 22;
    static final int EM_ARM = 40;
    static final int EM_X86_64 = 62;
    static final int EM_AARCH64 = 183;
    static final int EM_RISCV = 243;

    /**
     * @param architecture GOARCH
     * @param variant the variant, or {@code null}
     */
    public record Architecture(String architecture, String variant) {
        @Override
        public String toString() {
            return architecture + (variant == null ? "" : "/" + variant);
        }
    }

    private ElfMachine() {}

    /** @return the OCI architecture, or empty for machines an OCI image cannot name */
    public static Optional<Architecture> of(ElfFile elf) {
        boolean is64 = elf.elfClass() == 64;
        boolean le = elf.littleEndian();
        Architecture architecture = switch (elf.machine()) {
            case EM_X86_64 -> is64 && le ? new Architecture("amd64", null) : null;
            case EM_386 -> !is64 && le ? new Architecture("386", null) : null;
            case EM_AARCH64 -> is64 && le ? new Architecture("arm64", null) : null;
            // 32-bit ARM programs of current distributions are ARMv7 hard-float.
            case EM_ARM -> !is64 && le ? new Architecture("arm", "v7") : null;
            case EM_PPC64 -> is64 ? new Architecture(le ? "ppc64le" : "ppc64", null) : null;
            case EM_S390 -> is64 && !le ? new Architecture("s390x", null) : null;
            case EM_RISCV -> is64 && le ? new Architecture("riscv64", null) : null;
            default -> null;
        };
        return Optional.ofNullable(architecture);
    }

    /** @return the class, byte order and machine of {@code elf}, as {@code file(1)} names them: ELF64 LSB x86-64 */
    public static String describe(ElfFile elf) {
        String machine = switch (elf.machine()) {
            case EM_X86_64 -> "x86-64";
            case EM_386 -> "Intel 80386";
            case EM_AARCH64 -> "ARM aarch64";
            case EM_ARM -> "ARM";
            case EM_PPC64 -> "64-bit PowerPC";
            case EM_S390 -> "IBM S/390";
            case EM_RISCV -> "RISC-V";
            default -> "machine " + elf.machine();
        };
        return "ELF" + elf.elfClass() + " " + (elf.littleEndian() ? "LSB" : "MSB") + " " + machine;
    }

    /** @return the Debian multiarch triplet of this machine, or {@code null} */
    static String multiarchTriplet(ElfFile elf) {
        return of(elf).map(a -> switch (a.architecture()) {
            case "amd64" -> "x86_64-linux-gnu";
            case "386" -> "i386-linux-gnu";
            case "arm64" -> "aarch64-linux-gnu";
            case "arm" -> "arm-linux-gnueabihf";
            case "ppc64le" -> "powerpc64le-linux-gnu";
            case "s390x" -> "s390x-linux-gnu";
            case "riscv64" -> "riscv64-linux-gnu";
            default -> null;
        }).orElse(null);
    }

    /** @return what {@code $PLATFORM} (the kernel's AT_PLATFORM) usually expands to on this machine */
    static String platformString(ElfFile elf) {
        return of(elf).map(a -> switch (a.architecture()) {
            case "amd64" -> "x86_64";
            case "386" -> "i686";
            case "arm64" -> "aarch64";
            case "arm" -> "v7l";
            default -> a.architecture();
        }).orElse("unknown");
    }

    /** @return a header-only ELF file of this OCI architecture, to match libraries against, or empty if unknown */
    public static Optional<ElfFile> reference(String architecture) {
        int[] classAndMachine = switch (architecture) {
            case "amd64" -> new int[] {64, 1, EM_X86_64};
            case "386" -> new int[] {32, 1, EM_386};
            case "arm64" -> new int[] {64, 1, EM_AARCH64};
            case "arm" -> new int[] {32, 1, EM_ARM};
            case "ppc64le" -> new int[] {64, 1, EM_PPC64};
            case "ppc64" -> new int[] {64, 0, EM_PPC64};
            case "s390x" -> new int[] {64, 0, EM_S390};
            case "riscv64" -> new int[] {64, 1, EM_RISCV};
            default -> null;
        };
        return Optional.ofNullable(classAndMachine).map(c -> new ElfFile(c[0], c[1] == 1, c[2], null, List.of(), null,
                null, null));
    }
}
