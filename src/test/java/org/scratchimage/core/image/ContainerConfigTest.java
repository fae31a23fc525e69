package org.scratchimage.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The up-to-date fingerprint holds the config's text: the written-out toString must stay the record's own. */
class ContainerConfigTest {
    /** A record with the same components: its generated toString is the oracle. */
    private record Generated(String user, SortedSet<String> exposedPorts, SortedMap<String, String> environment,
            List<String> entrypoint, List<String> cmd, SortedSet<String> volumes, String workingDirectory,
            SortedMap<String, String> labels, String stopSignal) {}

    @Test
    void toStringIsWhatARecordWouldGenerate() {
        SortedMap<String, String> environment = new TreeMap<>();
        environment.put("A", "1, B=2]");
        SortedMap<String, String> labels = new TreeMap<>();
        labels.put("l", "v");
        SortedSet<String> ports = new TreeSet<>(List.of("80/tcp", "53/udp"));
        SortedSet<String> volumes = new TreeSet<>(List.of("/data"));
        ContainerConfig config = new ContainerConfig("1000:1000", ports, environment, List.of("/bin/app", "-x"),
                List.of(), volumes, "/work", labels, "SIGTERM");
        Generated generated = new Generated("1000:1000", ports, environment, List.of("/bin/app", "-x"), List.of(),
                volumes, "/work", labels, "SIGTERM");

        assertThat(config.toString()).isEqualTo(generated.toString().replaceFirst("^Generated\\[", "ContainerConfig["));
        ContainerConfig empty = new ContainerConfig(null, new TreeSet<>(), new TreeMap<>(), List.of(), List.of(),
                new TreeSet<>(), null, new TreeMap<>(), null);
        Generated emptyGenerated = new Generated(null, new TreeSet<>(), new TreeMap<>(), List.of(), List.of(),
                new TreeSet<>(), null, new TreeMap<>(), null);
        assertThat(empty.toString()).isEqualTo(emptyGenerated.toString().replaceFirst("^Generated\\[", "ContainerConfig["));
    }
}
