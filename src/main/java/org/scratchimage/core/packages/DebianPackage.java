package org.scratchimage.core.packages;

import java.util.List;

/**
 * One Debian package that owns files of the image, as its installed paragraph in {@code var/lib/dpkg/status} and its
 * copyright file describe it.
 *
 * @param name the package name, such as {@code libc6}; a safe file name (letters, digits, {@code + . - _})
 * @param version the version, such as {@code 2.36-9+deb12u4}
 * @param architecture the architecture, such as {@code amd64} or {@code all}
 * @param source the source package's name, without the version that {@code Source:} may add in parentheses; the
 *     package's own name when its paragraph has no {@code Source:}
 * @param maintainer the {@code Maintainer:} field, or {@code null} if the paragraph has none
 * @param licenses the SPDX ids that the machine-readable copyright file names, in its order, without duplicates;
 *     empty when there is none or none is known (NOASSERTION)
 */
public record DebianPackage(String name, String version, String architecture, String source, String maintainer,
        List<String> licenses) {

    public DebianPackage {
        licenses = List.copyOf(licenses);
    }
}
