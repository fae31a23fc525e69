package org.scratchimage.core.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two names of one folder, existing or not yet, must give one key; two folders, two keys. */
class FolderKeyTest {
    @TempDir
    Path temp;

    /** The temporary folder by its real path, so that expectations hold wherever java.io.tmpdir leads. */
    private Path root;

    @BeforeEach
    void realRoot() throws IOException {
        root = temp.toRealPath();
    }

    @Test
    void anExistingFolderIsItsRealPath() throws IOException {
        Path out = Files.createDirectories(root.resolve("target/oci"));

        assertThat(FolderKey.of(out)).isEqualTo(out);
        assertThat(FolderKey.of(root.resolve("target/./x/../oci"))).isEqualTo(out);
    }

    @Test
    void aLinkToAnExistingFolderGivesTheFolder() throws IOException {
        Path out = Files.createDirectories(root.resolve("target/out"));
        Files.createSymbolicLink(root.resolve("target/alias"), Path.of("out"));
        Files.createSymbolicLink(root.resolve("absolute"), out);

        assertThat(FolderKey.of(root.resolve("target/alias"))).isEqualTo(out);
        assertThat(FolderKey.of(root.resolve("absolute"))).isEqualTo(out);
    }

    @Test
    void missingComponentsFollowTheRealPathOfTheNearestExistingAncestor() throws IOException {
        Path real = Files.createDirectories(root.resolve("real"));
        Files.createSymbolicLink(root.resolve("link"), real);

        assertThat(FolderKey.of(root.resolve("link/build/oci"))).isEqualTo(real.resolve("build/oci"));
        assertThat(FolderKey.of(root.resolve("missing/oci"))).isEqualTo(root.resolve("missing/oci"));
    }

    @Test
    void dotDotAfterALinkLeavesTheLinksTargetNotTheLink() throws IOException {
        Path deep = Files.createDirectories(root.resolve("a/b/c"));
        Files.createSymbolicLink(root.resolve("link"), deep);

        // The kernel resolves link/.. as a/b: a lexical normalize() would give the temporary folder itself.
        assertThat(FolderKey.of(root.resolve("link/../oci"))).isEqualTo(root.resolve("a/b/oci"));
        assertThat(root.resolve("link/../oci").normalize()).isEqualTo(root.resolve("oci"));
    }

    @Test
    void dotDotAfterAMissingComponentComesBackToTheFileSystem() throws IOException {
        Path out = Files.createDirectories(root.resolve("a/out"));
        Files.createSymbolicLink(root.resolve("a/alias"), Path.of("out"));

        // missing/.. is a/, where alias is a link again.
        assertThat(FolderKey.of(root.resolve("a/missing/../alias/oci"))).isEqualTo(out.resolve("oci"));
    }

    @Test
    void aDanglingLinkLeadsWhereTheFolderWillBeCreated() throws IOException {
        Files.createDirectories(root.resolve("target"));
        Files.createSymbolicLink(root.resolve("target/alias"), Path.of("out"));
        Files.createSymbolicLink(root.resolve("target/chain"), Path.of("alias/../out/sub"));

        assertThat(FolderKey.of(root.resolve("target/alias"))).isEqualTo(root.resolve("target/out"));
        assertThat(FolderKey.of(root.resolve("target/chain"))).isEqualTo(root.resolve("target/out/sub"));
    }

    @Test
    void aPathBelowAFileKeepsItsName() throws IOException {
        Files.createDirectories(root.resolve("target"));
        Files.writeString(root.resolve("target/file"), "x");

        assertThat(FolderKey.of(root.resolve("target/file/oci"))).isEqualTo(root.resolve("target/file/oci"));
    }

    @Test
    void aRelativePathIsKeyedFromTheWorkingDirectory() throws IOException {
        Path relative = Path.of("target", "never-created", "..", "oci");

        assertThat(FolderKey.of(relative)).isEqualTo(FolderKey.of(relative.toAbsolutePath().normalize()));
        assertThat(FolderKey.of(relative)).isAbsolute();
    }

    @Test
    void aLoopOfLinksIsAFileSystemError() throws IOException {
        Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("a"));

        assertThatThrownBy(() -> FolderKey.of(root.resolve("a/oci")))
                .isInstanceOf(FileSystemException.class)
                .hasMessageContaining("Too many levels of symbolic links");
    }

    @Test
    void theRootIsItsOwnKey() throws IOException {
        assertThat(FolderKey.of(Path.of("/"))).isEqualTo(Path.of("/"));
        assertThat(FolderKey.of(Path.of("/.."))).isEqualTo(Path.of("/"));
    }
}
