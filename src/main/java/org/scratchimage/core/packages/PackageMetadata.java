package org.scratchimage.core.packages;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the image's files owe to Debian packages; {@link #NONE} when the sysroot has no dpkg database, when no image
 * file belongs to a package, or when {@code <packageMetadata>} is off.
 *
 * @param owners image path (relative, without a leading slash, as in the tar) to the package that owns the file,
 *     sorted by path; the generated metadata files themselves are not in it
 * @param osId the {@code ID} of the sysroot's {@code /etc/os-release}, such as {@code debian}; {@code null} if none
 * @param osVersionId its {@code VERSION_ID}, such as {@code 12}; {@code null} if none (Debian testing has none)
 */
public record PackageMetadata(SortedMap<String, DebianPackage> owners, String osId, String osVersionId) {

    /** No package information. */
    public static final PackageMetadata NONE = new PackageMetadata(new TreeMap<>(), null, null);

    public PackageMetadata {
        owners = Collections.unmodifiableSortedMap(new TreeMap<>(owners));
    }

    /** @return whether no image file belongs to a package */
    public boolean isEmpty() {
        return owners.isEmpty();
    }

    /** @return the owner of an image path (relative, without a leading slash), or {@code null} */
    public DebianPackage ownerOf(String path) {
        return owners.get(path);
    }
}
