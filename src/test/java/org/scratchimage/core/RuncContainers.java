package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.scratchimage.core.tar.ExternalTools;

/** Unpacks a built image with umoci and runs it once with runc, as root; each container is deleted after its run. */
final class RuncContainers {
    private RuncContainers() {}

    /** Fails under CI, else skips, unless umoci, runc and root are there. */
    static void require() {
        ExternalTools.require("umoci");
        ExternalTools.require("runc");
        ExternalTools.requireRoot("umoci unpack and runc run");
    }

    /**
     * @param layout the OCI layout
     * @param hostNetwork whether the container shares the host's network namespace (no {@code network} entry)
     * @return what the container's process did
     */
    static ExternalTools.Result run(Path layout, String tag, Path bundle, boolean hostNetwork) throws Exception {
        ExternalTools.run(List.of("rm", "-rf", bundle.toString())).assertSuccess();
        ExternalTools.run(List.of("umoci", "unpack", "--image", layout + ":" + tag, bundle.toString()))
                .assertSuccess();
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(bundle.resolve("config.json").toFile());
        ((ObjectNode) config.path("process")).put("terminal", false);
        if (hostNetwork) {
            ArrayNode namespaces = (ArrayNode) config.path("linux").path("namespaces");
            for (int i = namespaces.size() - 1; i >= 0; i--) {
                if (namespaces.get(i).path("type").asText().equals("network")) {
                    namespaces.remove(i);
                }
            }
        }
        json.writeValue(bundle.resolve("config.json").toFile(), config);
        String id = "scratch-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try {
            return ExternalTools.run(List.of("runc", "run", "--bundle", bundle.toString(), id));
        } finally {
            ExternalTools.run(List.of("runc", "delete", "-f", id));
        }
    }

    /** Runs the image and returns its standard output, failing unless it exits 0. */
    static String output(Path layout, String tag, Path bundle) throws Exception {
        ExternalTools.Result run = run(layout, tag, bundle, false);
        assertThat(run.exitCode()).as("runc run: %s %s", run.out(), run.stderr()).isZero();
        return run.out();
    }
}
