package org.scratchimage.core.elf;

import java.nio.file.Path;

/** A file starts like an ELF file but is truncated or inconsistent. */
public final class ElfFormatException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    ElfFormatException(Path file, String problem) {
        super(file + " is not a readable ELF file: " + problem);
        this.file = file;
    }

    /** @return the file that could not be read */
    public Path file() {
        return file;
    }
}
