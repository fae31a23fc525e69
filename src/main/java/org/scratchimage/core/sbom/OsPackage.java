package org.scratchimage.core.sbom;

import java.util.List;

/**
 * A package of the distribution that files of the image come from, as the SBOM lists it.
 *
 * @param name the package name, such as {@code libc6}
 * @param version its version, such as {@code 2.36-9+deb12u4}
 * @param architecture its architecture, such as {@code amd64}
 * @param maintainer its maintainer, {@code Name <address>}, or {@code null}
 * @param licenses the SPDX license ids its copyright file names; empty when unknown
 */
public record OsPackage(String name, String version, String architecture, String maintainer, List<String> licenses) {
    public OsPackage {
        licenses = List.copyOf(licenses);
    }
}
