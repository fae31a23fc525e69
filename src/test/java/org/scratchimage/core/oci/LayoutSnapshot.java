package org.scratchimage.core.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
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

    public static String sha256(byte[] data) {
        return HexFormat.of().formatHex(DigestingOutputStream.newSha256().digest(data));
    }
}
