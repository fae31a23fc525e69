package org.scratchimage.core.elf;

import java.util.List;

/** A program needs a library, or its interpreter, that is in none of the places the loader would look. */
public final class LibraryNotFoundException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String program;
    private final String origin;
    private final String library;
    private final List<String> searched;

    LibraryNotFoundException(String program, String origin, String library, List<String> searched) {
        super(program + " needs " + library + ", which is in none of " + String.join(", ", searched));
        this.program = program;
        this.origin = origin;
        this.library = library;
        this.searched = List.copyOf(searched);
    }

    /** @return the program or library that needs it, with its declaration */
    public String program() {
        return program;
    }

    /** @return the declaration that brought the program into the image, e.g. {@code <binaries>/<binary>[1]} */
    public String origin() {
        return origin;
    }

    /** @return the soname or interpreter path that was not found */
    public String library() {
        return library;
    }

    /** @return every place searched, in order */
    public List<String> searched() {
        return searched;
    }
}
