package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.PlanningFixtures.binary;
import static org.scratchimage.core.PlanningFixtures.requestIn;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.tar.ExternalTools;

/**
 * The accounts as programs in the image see them: busybox's {@code id}, {@code whoami} and {@code ls} read the
 * generated {@code /etc/passwd} and {@code /etc/group}, under runc, with the user umoci resolves from the image's
 * {@code <user>} name.
 */
class AccountsRuncTest {
    @TempDir
    Path dir;

    @BeforeEach
    void tools() {
        ExternalTools.require("busybox");
        RuncContainers.require();
    }

    private String run(String user, String script) throws Exception {
        BuildRequest request = requestIn(dir).outputDirectory(dir.resolve("oci")).tags(List.of("t"))
                .addBinary(binary("/bin/busybox", "/bin/busybox"))
                .addAccount(AccountSpec.builder().name("nonroot").uid("65532").build())
                .addAccount(AccountSpec.builder().name("app").uid("1000").gid("2000").groupName("staff").build())
                .container(ContainerSpec.builder().user(user)
                        .entrypoint(List.of("/bin/busybox", "sh", "-c", script)).build())
                .build();
        new ImageBuilder(line -> { }).build(request);
        return RuncContainers.output(dir.resolve("oci"), "t", dir.resolve("bundle"));
    }

    @Test
    void idWhoamiAndTheHomeShowTheDeclaredAccount() throws Exception {
        String out = run("nonroot", "/bin/busybox id; /bin/busybox whoami; /bin/busybox ls -ld /home/nonroot;"
                + " /bin/busybox ls -ldn /home/nonroot; /bin/busybox touch /home/nonroot/x && echo writable");

        assertThat(out.lines().toList()).hasSize(5);
        // runc sets no supplementary groups unless /etc/group lists the user as a member, and ours lists none.
        assertThat(out.lines().toList().get(0)).isEqualTo("uid=65532(nonroot) gid=65532(nonroot)");
        assertThat(out.lines().toList().get(1)).isEqualTo("nonroot");
        assertThat(out.lines().toList().get(2)).matches("drwx------ +2 nonroot +nonroot .* /home/nonroot");
        assertThat(out.lines().toList().get(3)).matches("drwx------ +2 65532 +65532 .* /home/nonroot");
        assertThat(out.lines().toList().get(4)).isEqualTo("writable");
    }

    @Test
    void anAccountWithAnotherGroupRunsWithItByNameAndRootsHomeIsClosed() throws Exception {
        String out = run("app:staff", "/bin/busybox id; /bin/busybox whoami; /bin/busybox ls -ld /home/app /root");

        assertThat(out).startsWith("uid=1000(app) gid=2000(staff)").contains("\napp\n")
                .containsPattern("drwx------ +2 app +staff .* /home/app")
                .containsPattern("drwx------ +2 root +root .* /root");
    }
}
