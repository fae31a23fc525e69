package org.scratchimage.core.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the dynamic loader reads of an ELF file: class, byte order, machine, the interpreter ({@code PT_INTERP})
 * and the dynamic section's {@code DT_NEEDED}, {@code DT_SONAME}, {@code DT_RPATH} and {@code DT_RUNPATH}.
 *
 * <p>Written here rather than taken from a library because only these few structures are needed and every
 * offset must be bounds-checked against hostile input: a truncated or corrupt file gives an {@link
 * ElfFormatException} that names it, never an exception from deep inside a parser.
 *
 * @param elfClass 32 or 64
 * @param littleEndian the byte order
 * @param machine {@code e_machine}
 * @param interpreter the {@code PT_INTERP} path, or {@code null} for a static program or a library
 * @param needed the {@code DT_NEEDED} sonames, in order
 * @param soname {@code DT_SONAME}, or {@code null}
 * @param rpath {@code DT_RPATH}, unexpanded, or {@code null}
 * @param runpath {@code DT_RUNPATH}, unexpanded, or {@code null}
 */
public record ElfFile(
        int elfClass,
        boolean littleEndian,
        int machine,
        String interpreter,
        List<String> needed,
        String soname,
        String rpath,
        String runpath) {

    static final int PT_LOAD = 1;
    static final int PT_DYNAMIC = 2;
    static final int PT_INTERP = 3;
    static final long DT_NULL = 0;
    static final long DT_NEEDED = 1;
    static final long DT_STRTAB = 5;
    static final long DT_STRSZ = 10;
    static final long DT_SONAME = 14;
    static final long DT_RPATH = 15;
    static final long DT_RUNPATH = 29;

    /** No real program has more; the limit keeps a hostile header from making us allocate gigabytes. */
    private static final int MAX_PROGRAM_HEADERS = 4096;
    private static final int MAX_STRING = 64 * 1024;
    private static final int MAX_DYNAMIC_ENTRIES = 1 << 16;

    public ElfFile {
        needed = List.copyOf(needed);
    }

    /** @return whether the loader would accept this file for a program of {@code other}'s class and machine */
    public boolean compatibleWith(ElfFile other) {
        return elfClass == other.elfClass && littleEndian == other.littleEndian && machine == other.machine;
    }

    /** @return {@code true} if {@code file} starts with the ELF magic */
    public static boolean isElf(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return isElf(channel);
        }
    }

    private static boolean isElf(FileChannel channel) throws IOException {
        ByteBuffer magic = ByteBuffer.allocate(4);
        while (magic.hasRemaining() && channel.read(magic, magic.position()) >= 0) {
            // read until four bytes or end of file
        }
        return magic.position() == 4 && magic.get(0) == 0x7f && magic.get(1) == 'E' && magic.get(2) == 'L'
                && magic.get(3) == 'F';
    }

    /**
     * Reads the loader's view of {@code file}.
     *
     * @return empty if the file is not ELF at all
     * @throws ElfFormatException if it is ELF but truncated or inconsistent
     */
    public static Optional<ElfFile> read(Path file) throws IOException, ElfFormatException {
        // One open for the magic and the headers: the planner reads every program and library of the image.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (!isElf(channel)) {
                return Optional.empty();
            }
            return Optional.of(new Reader(file, channel).read());
        }
    }

    /**
     * Reads only the ELF header: class, byte order and machine, what the platform is derived from. The other fields
     * are left empty ({@code null}, no {@code needed}): for a file whose libraries are not resolved.
     *
     * @return empty if the file is not ELF at all
     * @throws ElfFormatException if it is ELF but its header is cut off or unknown
     */
    public static Optional<ElfFile> readHeader(Path file) throws IOException, ElfFormatException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (!isElf(channel)) {
                return Optional.empty();
            }
            Reader reader = new Reader(file, channel);
            ByteBuffer header = reader.header();
            return Optional.of(new ElfFile(reader.is64 ? 64 : 32, reader.order == ByteOrder.LITTLE_ENDIAN,
                    Short.toUnsignedInt(header.getShort(18)), null, List.of(), null, null, null));
        }
    }

    private static final class Reader {
        private final Path file;
        private final FileChannel channel;
        private final long fileSize;
        private boolean is64;
        private ByteOrder order;

        Reader(Path file, FileChannel channel) throws IOException {
            this.file = file;
            this.channel = channel;
            this.fileSize = channel.size();
        }

        /** Reads the identification bytes and the ELF header, and sets the class and byte order. */
        ByteBuffer header() throws IOException, ElfFormatException {
            ByteBuffer ident = bytes(0, 16, "the identification bytes");
            int elfClass = ident.get(4);
            int data = ident.get(5);
            if (elfClass != 1 && elfClass != 2) {
                throw new ElfFormatException(file, "unknown ELF class " + elfClass);
            }
            if (data != 1 && data != 2) {
                throw new ElfFormatException(file, "unknown byte order " + data);
            }
            is64 = elfClass == 2;
            order = data == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            return bytes(0, is64 ? 64 : 52, "the ELF header");
        }

        ElfFile read() throws IOException, ElfFormatException {
            ByteBuffer header = header();
            int machine = Short.toUnsignedInt(header.getShort(18));
            long phoff = is64 ? header.getLong(32) : Integer.toUnsignedLong(header.getInt(28));
            int phentsize = Short.toUnsignedInt(header.getShort(is64 ? 54 : 42));
            int phnum = Short.toUnsignedInt(header.getShort(is64 ? 56 : 44));
            int minimum = is64 ? 56 : 32;
            if (phnum > 0 && phentsize < minimum) {
                throw new ElfFormatException(file, "program header entries of " + phentsize + " bytes");
            }
            if (phnum > MAX_PROGRAM_HEADERS) {
                throw new ElfFormatException(file, phnum + " program headers");
            }
            List<long[]> loads = new ArrayList<>();
            long[] dynamic = null;
            String interpreter = null;
            // The table in one read when it lies in the file, else header by header, to name the one cut off.
            long tableSize = (long) (phnum - 1) * phentsize + minimum;
            ByteBuffer table = phnum > 0 && tableSize <= MAX_STRING && phoff >= 0 && phoff <= fileSize
                    && fileSize - phoff >= tableSize
                    ? bytes(phoff, (int) tableSize, "the program headers")
                    : null;
            for (int i = 0; i < phnum; i++) {
                ByteBuffer ph = table != null
                        ? table.slice(i * phentsize, minimum).order(order)
                        : bytes(add(phoff, (long) i * phentsize), minimum, "program header " + i);
                int type = ph.getInt(0);
                long offset = is64 ? ph.getLong(8) : Integer.toUnsignedLong(ph.getInt(4));
                long vaddr = is64 ? ph.getLong(16) : Integer.toUnsignedLong(ph.getInt(8));
                long filesz = is64 ? ph.getLong(32) : Integer.toUnsignedLong(ph.getInt(16));
                if (type == PT_LOAD) {
                    loads.add(new long[] {offset, vaddr, filesz});
                } else if (type == PT_DYNAMIC) {
                    dynamic = new long[] {offset, filesz};
                } else if (type == PT_INTERP) {
                    interpreter = string(offset, Math.min(filesz, MAX_STRING), "the interpreter (PT_INTERP)");
                    if (interpreter.isEmpty()) {
                        // The kernel cannot start it, and there is no path to look up or place in the image.
                        throw new ElfFormatException(file, "the interpreter path (PT_INTERP) is empty");
                    }
                }
            }
            List<String> needed = new ArrayList<>();
            String soname = null;
            String rpath = null;
            String runpath = null;
            if (dynamic != null) {
                int entrySize = is64 ? 16 : 8;
                if (dynamic[1] < 0 || dynamic[1] > fileSize) {
                    throw new ElfFormatException(file, "the dynamic section lies beyond the end of the file (truncated?)");
                }
                long count = Math.min(dynamic[1] / entrySize, MAX_DYNAMIC_ENTRIES);
                ByteBuffer section = bytes(dynamic[0], Math.toIntExact(count * entrySize), "the dynamic section");
                long strtab = -1;
                long strsz = -1;
                List<long[]> strings = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    long tag = is64 ? section.getLong(i * entrySize) : section.getInt(i * entrySize);
                    long value = is64 ? section.getLong(i * entrySize + 8)
                            : Integer.toUnsignedLong(section.getInt(i * entrySize + 4));
                    if (tag == DT_NULL) {
                        break;
                    } else if (tag == DT_STRTAB) {
                        strtab = value;
                    } else if (tag == DT_STRSZ) {
                        strsz = value;
                    } else if (tag == DT_NEEDED || tag == DT_SONAME || tag == DT_RPATH || tag == DT_RUNPATH) {
                        strings.add(new long[] {tag, value});
                    }
                }
                if (!strings.isEmpty()) {
                    if (strtab < 0) {
                        throw new ElfFormatException(file, "a dynamic section without a string table (DT_STRTAB)");
                    }
                    long tableOffset = fileOffset(loads, strtab);
                    for (long[] entry : strings) {
                        if (strsz >= 0 && Long.compareUnsigned(entry[1], strsz) >= 0) {
                            throw new ElfFormatException(file, "a dynamic string offset " + entry[1]
                                    + " beyond the string table's " + strsz + " bytes");
                        }
                        String value = string(add(tableOffset, entry[1]), MAX_STRING, "a dynamic string");
                        if (entry[0] == DT_NEEDED) {
                            needed.add(value);
                        } else if (entry[0] == DT_SONAME) {
                            soname = value;
                        } else if (entry[0] == DT_RPATH) {
                            rpath = value;
                        } else {
                            runpath = value;
                        }
                    }
                }
            }
            return new ElfFile(is64 ? 64 : 32, order == ByteOrder.LITTLE_ENDIAN, machine, interpreter, needed, soname,
                    rpath, runpath);
        }

        private long fileOffset(List<long[]> loads, long address) throws ElfFormatException {
            for (long[] load : loads) {
                if (Long.compareUnsigned(address, load[1]) >= 0
                        && Long.compareUnsigned(address - load[1], load[2]) < 0) {
                    return add(load[0], address - load[1]);
                }
            }
            throw new ElfFormatException(file, "the string table address 0x" + Long.toHexString(address)
                    + " lies in no loadable segment");
        }

        private long add(long a, long b) throws ElfFormatException {
            long sum = a + b;
            if (a < 0 || b < 0 || sum < 0) {
                throw new ElfFormatException(file, "an offset beyond 2^63");
            }
            return sum;
        }

        private ByteBuffer bytes(long offset, int length, String what) throws IOException, ElfFormatException {
            if (offset < 0 || length < 0 || offset > fileSize || fileSize - offset < length) {
                throw new ElfFormatException(file, what + " lies beyond the end of the file (truncated?)");
            }
            ByteBuffer buffer = ByteBuffer.allocate(length).order(order == null ? ByteOrder.LITTLE_ENDIAN : order);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    throw new ElfFormatException(file, what + " lies beyond the end of the file (truncated?)");
                }
            }
            return buffer.flip();
        }

        /**
         * A NUL-terminated string at {@code offset}, at most {@code limit} bytes long. Read in growing chunks: a
         * soname is a few bytes, and reading the whole limit for each cost a 64 KiB read per string.
         */
        private String string(long offset, long limit, String what) throws IOException, ElfFormatException {
            if (offset < 0 || offset >= fileSize) {
                throw new ElfFormatException(file, what + " lies beyond the end of the file (truncated?)");
            }
            int length = (int) Math.min(limit, fileSize - offset);
            int chunk = Math.min(length, 256);
            while (true) {
                ByteBuffer buffer = bytes(offset, chunk, what);
                for (int i = 0; i < chunk; i++) {
                    if (buffer.get(i) == 0) {
                        return new String(buffer.array(), 0, i, StandardCharsets.UTF_8);
                    }
                }
                if (chunk == length) {
                    throw new ElfFormatException(file, what + " is not NUL-terminated");
                }
                chunk = (int) Math.min(length, chunk * 8L);
            }
        }
    }
}
