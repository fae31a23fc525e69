package org.scratchimage.core;

/**
 * A {@code <binary>} as the user wrote it: an executable copied from the host. Values are unparsed strings
 * so that validation can quote them; {@code null} means "not set".
 *
 * @param source host path, relative ones resolve against the project base directory
 * @param path absolute path inside the image
 * @param mode octal permission bits, default 0755
 * @param uid owner id, default 0
 * @param gid group id, default 0
 * @param resolveLibraries whether an ELF program gets its interpreter and shared libraries; {@code null} means yes
 * @param layer the name of the layer it goes to; {@code null} means {@code app}
 */
public record BinarySpec(String source, String path, String mode, String uid, String gid, Boolean resolveLibraries,
        String layer) {

    /** A binary in the default layer. */
    public BinarySpec(String source, String path, String mode, String uid, String gid, Boolean resolveLibraries) {
        this(source, path, mode, uid, gid, resolveLibraries, null);
    }

    /** A binary in the default layer, whose libraries are resolved. */
    public BinarySpec(String source, String path, String mode, String uid, String gid) {
        this(source, path, mode, uid, gid, null, null);
    }
}
