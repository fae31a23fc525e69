package org.scratchimage.core;

/**
 * A {@code <symlink>} as the user wrote it.
 *
 * @param path absolute path of the link inside the image
 * @param target the link's destination, stored exactly as written (relative or absolute)
 * @param layer the name of the layer it goes to; {@code null} means {@code app}
 */
public record SymlinkSpec(String path, String target, String layer) {

    /** A link in the default layer. */
    public SymlinkSpec(String path, String target) {
        this(path, target, null);
    }
}
