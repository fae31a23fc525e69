package org.scratchimage.core.elf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes minimal ELF files by the specification (not by our reader): one PT_LOAD covering the file at address
 * 0x10000, an optional PT_INTERP, and a PT_DYNAMIC whose string table sits inside the load segment.
 */
public final class SyntheticElf {
    private static final long BASE = 0x10000;
    private final int elfClass;
    private final boolean littleEndian;
    private final int machine;
    private String interpreter;
    private final List<String> needed = new ArrayList<>();
    private String soname;
    private String rpath;
    private String runpath;

    public SyntheticElf(int elfClass, boolean littleEndian, int machine) {
        this.elfClass = elfClass;
        this.littleEndian = littleEndian;
        this.machine = machine;
    }

    public SyntheticElf interpreter(String value) {
        this.interpreter = value;
        return this;
    }

    public SyntheticElf needed(String... values) {
        needed.addAll(List.of(values));
        return this;
    }

    public SyntheticElf soname(String value) {
        this.soname = value;
        return this;
    }

    public SyntheticElf rpath(String value) {
        this.rpath = value;
        return this;
    }

    public SyntheticElf runpath(String value) {
        this.runpath = value;
        return this;
    }

    public byte[] bytes() {
        boolean is64 = elfClass == 64;
        int ehsize = is64 ? 64 : 52;
        int phentsize = is64 ? 56 : 32;
        int phnum = 3;
        // string table
        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        strings.write(0);
        List<long[]> dyn = new ArrayList<>();
        for (String n : needed) {
            dyn.add(new long[] {1, add(strings, n)});
        }
        if (soname != null) {
            dyn.add(new long[] {14, add(strings, soname)});
        }
        if (rpath != null) {
            dyn.add(new long[] {15, add(strings, rpath)});
        }
        if (runpath != null) {
            dyn.add(new long[] {29, add(strings, runpath)});
        }
        byte[] strtab = strings.toByteArray();
        byte[] interp = interpreter == null ? new byte[0] : (interpreter + "\0").getBytes(StandardCharsets.UTF_8);
        int interpOffset = ehsize + phnum * phentsize;
        int strtabOffset = interpOffset + interp.length;
        int dynOffset = align(strtabOffset + strtab.length, 8);
        int dynEntry = is64 ? 16 : 8;
        dyn.add(new long[] {5, BASE + strtabOffset});
        dyn.add(new long[] {10, strtab.length});
        dyn.add(new long[] {0, 0});
        int total = dynOffset + dyn.size() * dynEntry;
        ByteBuffer b = ByteBuffer.allocate(total).order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) (is64 ? 2 : 1), (byte) (littleEndian ? 1 : 2), 1});
        b.position(16);
        b.putShort((short) 3); // ET_DYN
        b.putShort((short) machine);
        b.putInt(1);
        if (is64) {
            b.putLong(0).putLong(ehsize).putLong(0).putInt(0);
        } else {
            b.putInt(0).putInt(ehsize).putInt(0).putInt(0);
        }
        b.putShort((short) ehsize).putShort((short) phentsize).putShort((short) phnum);
        b.putShort((short) 0).putShort((short) 0).putShort((short) 0);
        b.position(ehsize);
        programHeader(b, is64, 1, 0, BASE, total);
        if (interpreter != null) {
            programHeader(b, is64, 3, interpOffset, BASE + interpOffset, interp.length);
        } else {
            programHeader(b, is64, 6, 0, BASE, 0); // PT_PHDR, ignored by readers of PT_INTERP
        }
        programHeader(b, is64, 2, dynOffset, BASE + dynOffset, (long) dyn.size() * dynEntry);
        b.position(interpOffset);
        b.put(interp);
        b.put(strtab);
        b.position(dynOffset);
        for (long[] entry : dyn) {
            if (is64) {
                b.putLong(entry[0]).putLong(entry[1]);
            } else {
                b.putInt((int) entry[0]).putInt((int) entry[1]);
            }
        }
        return b.array();
    }

    private static void programHeader(ByteBuffer b, boolean is64, int type, long offset, long vaddr, long size) {
        if (is64) {
            b.putInt(type).putInt(4).putLong(offset).putLong(vaddr).putLong(vaddr).putLong(size).putLong(size)
                    .putLong(8);
        } else {
            b.putInt(type).putInt((int) offset).putInt((int) vaddr).putInt((int) vaddr).putInt((int) size)
                    .putInt((int) size).putInt(4).putInt(4);
        }
    }

    private static long add(ByteArrayOutputStream strings, String value) {
        long offset = strings.size();
        strings.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        strings.write(0);
        return offset;
    }

    private static int align(int value, int alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }
}
