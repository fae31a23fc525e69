package org.scratchimage.core.sbom;

import java.util.List;
import java.util.Map;

/**
 * What the image's files owe to the packages of a distribution.
 *
 * @param osId the {@code os-release} ID, such as {@code debian}, or {@code null}
 * @param osVersionId its {@code VERSION_ID}, such as {@code 12}, or {@code null}
 * @param packages the packages that own files of the image
 * @param owners the name of the package that owns each path of the image (as in the tar: no leading slash)
 */
public record OsPackages(String osId, String osVersionId, List<OsPackage> packages, Map<String, String> owners) {
    /** No package owns any file: every file belongs to the project. */
    public static final OsPackages NONE = new OsPackages(null, null, List.of(), Map.of());

    public OsPackages {
        packages = List.copyOf(packages);
        owners = Map.copyOf(owners);
    }
}
