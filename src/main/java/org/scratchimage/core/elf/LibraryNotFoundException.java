package org.scratchimage.core.elf;

import java.util.List;

/** A program needs a library, or its interpreter, that is in none of the places the loader would look. */
public final class LibraryNotFoundException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String program;
    private final String origin;
    private final String library;
    private final List<String> searched;
    private final String loader;
    private final List<String> elsewhere;
    private final boolean readsLdSoConf;

    LibraryNotFoundException(String program, String origin, String library, List<String> searched) {
        this(program, origin, library, searched, null, List.of(), false);
    }

    LibraryNotFoundException(String program, String origin, String library, List<String> searched, String loader,
            List<String> elsewhere, boolean readsLdSoConf) {
        super(program + " needs " + library + ", which is in none of " + String.join(", ", searched)
                + (elsewhere.isEmpty() ? "" : "; the sysroot has it in " + String.join(", ", elsewhere)));
        this.program = program;
        this.origin = origin;
        this.library = library;
        this.searched = List.copyOf(searched);
        this.loader = loader;
        this.elsewhere = List.copyOf(elsewhere);
        this.readsLdSoConf = readsLdSoConf;
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

    /** @return the interpreter whose built-in directories were searched, or {@code null} if no program names one */
    public String loader() {
        return loader;
    }

    /**
     * @return directories of the sysroot that hold a matching file of that name but that this loader never searches
     *     without an {@code ld.so.cache} (say {@code /usr/lib64} for Debian's multiarch loader); usually empty
     */
    public List<String> elsewhere() {
        return elsewhere;
    }

    /** @return whether listing a directory in the sysroot's {@code /etc/ld.so.conf} makes the resolver search it */
    public boolean readsLdSoConf() {
        return readsLdSoConf;
    }
}
