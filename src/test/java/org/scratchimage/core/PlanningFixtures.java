package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.scratchimage.core.image.ImagePlan;

/**
 * The one preset {@link BuildRequest.Builder} of the tests, shorthands for the usual declarations, and the assertion
 * every validation test shares.
 */
final class PlanningFixtures {
    private PlanningFixtures() {}

    /**
     * @return a builder of a valid request for a project in {@code baseDirectory}: image {@code myapp}, tag
     *     {@code 1.0}, platform {@code linux/amd64} on an amd64 host, written to {@code target/oci}; tests change
     *     what they need
     */
    static BuildRequest.Builder requestIn(Path baseDirectory) {
        return BuildRequest.builder()
                .baseDirectory(baseDirectory)
                .outputDirectory(baseDirectory.resolve("target/oci"))
                .image("myapp")
                .tags(List.of("1.0"))
                .platform("linux/amd64")
                .hostArchitecture("amd64");
    }

    /**
     * Writes a small project into {@code baseDirectory}, a tree {@code tree/etc/app.conf} and a script {@code app},
     * and waits until a build trusts their stamps (see {@link Fingerprints#RACY_MILLIS}).
     *
     * @return {@link #requestIn} with the tree copied to {@code /} and the script as {@code /bin/app}
     */
    static BuildRequest.Builder settledTreeAndScript(Path baseDirectory) throws IOException, InterruptedException {
        Files.createDirectories(baseDirectory.resolve("tree/etc"));
        Files.writeString(baseDirectory.resolve("tree/etc/app.conf"), "port=8080\n");
        Files.writeString(baseDirectory.resolve("app"), "#!/bin/app\n");
        Thread.sleep(Fingerprints.RACY_MILLIS + 50);
        return requestIn(baseDirectory).addDirectory(tree("tree", "/")).addBinary(binary("app", "/bin/app"));
    }

    /** @return the plan of the request, as the builder would make it */
    static ImagePlan plan(BuildRequest.Builder request) throws InvalidConfigurationException, IOException {
        return ImagePlanner.plan(request.build(), line -> {});
    }

    /** @return a binary with only its source and path set */
    static BinarySpec binary(String source, String path) {
        return BinarySpec.builder().source(source).path(path).build();
    }

    /** @return a file with only its source and path set */
    static FileSpec file(String source, String path) {
        return FileSpec.builder().source(source).path(path).build();
    }

    /** @return an empty directory with only its path set */
    static DirectorySpec emptyDirectory(String path) {
        return DirectorySpec.builder().path(path).build();
    }

    /** @return a copied host tree with only its source and path set */
    static DirectorySpec tree(String source, String path) {
        return DirectorySpec.builder().source(source).path(path).build();
    }

    /** @return a symbolic link in the default layer */
    static SymlinkSpec symlink(String path, String target) {
        return SymlinkSpec.builder().path(path).target(target).build();
    }

    /**
     * Runs {@code call}, expects it to fail with an {@link InvalidConfigurationException} for {@code element} and
     * {@code value}, and checks the message quotes both and says how to fix the mistake.
     */
    static InvalidConfigurationException assertInvalid(ThrowingCallable call, String element, String value) {
        InvalidConfigurationException e = catchThrowableOfType(InvalidConfigurationException.class, call);
        assertThat(e).as("expected an InvalidConfigurationException for %s", element).isNotNull();
        assertThat(e.element()).isEqualTo(element);
        assertThat(e.value()).isEqualTo(value);
        assertThat(e.getMessage()).startsWith(element);
        if (value != null) {
            assertThat(e.getMessage()).contains("\"" + value + "\"");
        }
        assertThat(e.getMessage()).contains("Fix: ");
        assertThat(e.fix()).isNotBlank();
        return e;
    }
}
