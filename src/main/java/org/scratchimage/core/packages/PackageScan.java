package org.scratchimage.core.packages;

import java.util.List;

/**
 * What {@link DpkgReader} found for the image's files.
 *
 * @param metadata the packages that own files of the image
 * @param files the files to add, in the order of their paths; empty when no package owns an image file
 * @param packages how many packages own image files
 */
public record PackageScan(PackageMetadata metadata, List<MetadataFile> files, int packages) {
    /** Nothing found. */
    public static final PackageScan NONE = new PackageScan(PackageMetadata.NONE, List.of(), 0);

    public PackageScan {
        files = List.copyOf(files);
    }
}
