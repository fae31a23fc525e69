package org.scratchimage.core.archive;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link ImageArchive#write} wrote.
 *
 * @param file the archive
 * @param size its size in bytes
 * @param repoTags the {@code image:tag} names, in index order
 */
public record ArchiveResult(Path file, long size, List<String> repoTags) {

    public ArchiveResult {
        repoTags = List.copyOf(repoTags);
    }
}
