package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.scratchimage.core.image.ImagePlan;

/** A mutable builder of {@link BuildRequest}s with valid defaults, and the assertion every validation test shares. */
final class PlanningFixtures {
    Path baseDirectory;
    String image = "myapp";
    List<String> tags = new ArrayList<>(List.of("1.0"));
    String platform = "linux/amd64";
    String outputTimestamp;
    String sourceDateEpoch;
    String compression;
    final List<BinarySpec> binaries = new ArrayList<>();
    final List<FileSpec> files = new ArrayList<>();
    final List<DirectorySpec> directories = new ArrayList<>();
    final List<SymlinkSpec> symlinks = new ArrayList<>();
    List<String> entrypoint;
    List<String> cmd;
    final Map<String, String> environment = new LinkedHashMap<>();
    String workingDirectory;
    String user;
    final List<String> ports = new ArrayList<>();
    final List<String> volumes = new ArrayList<>();
    final Map<String, String> labels = new LinkedHashMap<>();
    String stopSignal;
    final Map<String, String> annotations = new LinkedHashMap<>();
    String hostArchitecture = "amd64";
    final List<String> libraries = new ArrayList<>();
    String sysroot;
    String compressionLevel;
    final List<String> layers = new ArrayList<>();

    PlanningFixtures(Path baseDirectory) {
        this.baseDirectory = baseDirectory;
    }

    BuildRequest request() {
        return new BuildRequest(baseDirectory, baseDirectory.resolve("target/oci"), image, tags, platform,
                outputTimestamp, sourceDateEpoch, compression, binaries, files, directories, symlinks,
                new ContainerSpec(entrypoint, cmd, environment, workingDirectory, user, ports, volumes, labels,
                        stopSignal),
                annotations, hostArchitecture, libraries, sysroot, compressionLevel, layers);
    }

    ImagePlan plan() throws InvalidConfigurationException, IOException {
        return ImagePlanner.plan(request(), line -> {});
    }

    PlanningFixtures binary(String source, String path) {
        binaries.add(new BinarySpec(source, path, null, null, null));
        return this;
    }

    PlanningFixtures file(String source, String path) {
        files.add(new FileSpec(source, path, null, null, null));
        return this;
    }

    PlanningFixtures emptyDirectory(String path) {
        directories.add(new DirectorySpec(null, path, null, null, null, null, null, null, null));
        return this;
    }

    PlanningFixtures tree(String source, String path) {
        directories.add(new DirectorySpec(source, path, null, null, null, null, null, null, null));
        return this;
    }

    PlanningFixtures symlink(String path, String target) {
        symlinks.add(new SymlinkSpec(path, target));
        return this;
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
