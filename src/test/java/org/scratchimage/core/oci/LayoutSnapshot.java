package org.scratchimage.core.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.scratchimage.core.compress.DigestingOutputStream;

/** Every path below a folder with its kind and, for files, the sha256 of its bytes: equal snapshots, equal trees. */
public final class LayoutSnapshot {
    private LayoutSnapshot() {}

    public static Map<String, String> of(Path root) throws IOException {
        Map<String, String> snapshot = new TreeMap<>();
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return snapshot;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                String name = root.relativize(path).toString();
                if (Files.isSymbolicLink(path)) {
                    snapshot.put(name, "link " + Files.readSymbolicLink(path));
                } else if (Files.isDirectory(path)) {
                    snapshot.put(name, "dir");
                } else {
                    snapshot.put(name, "file " + sha256(Files.readAllBytes(path)));
                }
            }
        }
        return snapshot;
    }

    /**
     * Like {@link #of}, with each path's permissions, size and modification time to the nanosecond as well: equal
     * snapshots mean not a byte, mode or time changed.
     */
    public static Map<String, String> withAttributes(Path root) throws IOException {
        Map<String, String> snapshot = new TreeMap<>();
        for (Map.Entry<String, String> entry : of(root).entrySet()) {
            PosixFileAttributes attributes = Files.readAttributes(root.resolve(entry.getKey()),
                    PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            snapshot.put(entry.getKey(), entry.getValue() + ' ' + PosixFilePermissions.toString(attributes.permissions())
                    + ' ' + attributes.size() + ' ' + attributes.lastModifiedTime().toInstant());
        }
        return snapshot;
    }

    public static String sha256(byte[] data) {
        return HexFormat.of().formatHex(DigestingOutputStream.newSha256().digest(data));
    }
}
