package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.PlanningFixtures.assertInvalid;
import static org.scratchimage.core.PlanningFixtures.emptyDirectory;
import static org.scratchimage.core.PlanningFixtures.file;
import static org.scratchimage.core.PlanningFixtures.plan;
import static org.scratchimage.core.PlanningFixtures.requestIn;
import static org.scratchimage.core.PlanningFixtures.symlink;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.image.DirectoryEntry;
import org.scratchimage.core.image.GeneratedFileEntry;
import org.scratchimage.core.image.ImageLayer;
import org.scratchimage.core.image.ImagePlan;
import org.scratchimage.core.image.LayerEntry;

/** What {@code <accounts>} puts in the image, byte for byte, and every mistake it refuses. */
class AccountsTest {
    @TempDir
    Path dir;

    private static AccountSpec account(String name, String uid) {
        return AccountSpec.builder().name(name).uid(uid).build();
    }

    private static LayerEntry entry(ImagePlan plan, String path) {
        return plan.entries().stream().filter(e -> e.path().equals(path)).findFirst().orElse(null);
    }

    private static String text(ImagePlan plan, String path) {
        return new String(((GeneratedFileEntry) entry(plan, path)).content(), StandardCharsets.UTF_8);
    }

    /** Checked by hand against Debian's own /etc/passwd and /etc/group (passwd(5), group(5)). */
    @Test
    void passwdAndGroupAreByteExactWithRootFirstAndLinesSortedById() throws Exception {
        ImagePlan plan = plan(requestIn(dir)
                .addAccount(AccountSpec.builder().name("www-data").uid("33").home("/var/www").build())
                .addAccount(account("nonroot", "65532"))
                .addAccount(AccountSpec.builder().name("app").uid("1000").gid("1000").shell("/bin/sh")
                        .groupName("staff").build()));

        assertThat(text(plan, "etc/passwd")).isEqualTo("""
                root:x:0:0::/root:/sbin/nologin
                www-data:x:33:33::/var/www:/sbin/nologin
                app:x:1000:1000::/home/app:/bin/sh
                nonroot:x:65532:65532::/home/nonroot:/sbin/nologin
                """);
        assertThat(text(plan, "etc/group")).isEqualTo("""
                root:x:0:
                www-data:x:33:
                staff:x:1000:
                nonroot:x:65532:
                """);
        for (String path : List.of("etc/passwd", "etc/group")) {
            GeneratedFileEntry file = (GeneratedFileEntry) entry(plan, path);
            assertThat(file.mode()).as(path).isEqualTo(0644);
            assertThat(file.uid()).isZero();
            assertThat(file.gid()).isZero();
        }
        assertThat(entry(plan, "etc/shadow")).as("no /etc/shadow: nobody logs in").isNull();
    }

    @Test
    void everyHomeIsOwnedByItsAccountWithMode0700RootsToo() throws Exception {
        ImagePlan plan = plan(requestIn(dir).addAccount(AccountSpec.builder().name("nonroot").uid("65532")
                .gid("65533").build()));

        DirectoryEntry home = (DirectoryEntry) entry(plan, "home/nonroot");
        assertThat(List.of(home.mode(), home.uid(), home.gid())).containsExactly(0700, 65532L, 65533L);
        DirectoryEntry root = (DirectoryEntry) entry(plan, "root");
        assertThat(List.of(root.mode(), root.uid(), root.gid())).containsExactly(0700, 0L, 0L);
        DirectoryEntry parent = (DirectoryEntry) entry(plan, "home");
        assertThat(List.of(parent.mode(), parent.uid(), parent.gid())).containsExactly(0755, 0L, 0L);
    }

    /** The group line of a shared gid: one line, named by the account that owns the gid, members left empty. */
    @Test
    void accountsSharingAGidShareOneGroupLineNamedByItsOwner() throws Exception {
        ImagePlan plan = plan(requestIn(dir)
                .addAccount(AccountSpec.builder().name("worker").uid("1001").gid("1000").build())
                .addAccount(account("app", "1000"))
                .addAccount(AccountSpec.builder().name("batch").uid("1002").gid("2000").build())
                .addAccount(AccountSpec.builder().name("cron").uid("1003").gid("2000").build()));

        assertThat(text(plan, "etc/group")).isEqualTo("root:x:0:\napp:x:1000:\nbatch:x:2000:\n");
        assertThat(text(plan, "etc/passwd")).contains("worker:x:1001:1000::/home/worker:/sbin/nologin\n");
    }

    @Test
    void aDeclaredRootReplacesTheOneTheBuildAdds() throws Exception {
        ImagePlan plan = plan(requestIn(dir)
                .addAccount(AccountSpec.builder().name("root").uid("0").shell("/bin/sh").build()));

        assertThat(text(plan, "etc/passwd")).isEqualTo("root:x:0:0::/root:/bin/sh\n");
    }

    @Test
    void theFilesAndHomesGoToTheAccountsLayer() throws Exception {
        Files.writeString(dir.resolve("app.conf"), "x\n");
        ImagePlan plan = plan(requestIn(dir).addFile(file("app.conf", "/etc/app.conf"))
                .addAccount(account("nonroot", "65532")).accountsLayer("accounts"));

        assertThat(plan.layers()).extracting(ImageLayer::name).containsExactly("accounts", "app");
        assertThat(plan.layers().get(0).entries()).extracting(LayerEntry::path)
                .contains("etc/passwd", "etc/group", "home/nonroot", "root").doesNotContain("etc/app.conf");
    }

    @Test
    void aDeclaredDirectoryAtAHomeKeepsItsOwnModeAndOwner() throws Exception {
        ImagePlan plan = plan(requestIn(dir).addAccount(account("nonroot", "65532"))
                .addDirectory(DirectorySpec.builder().path("/home/nonroot").mode("0750").uid("65532").build()));

        DirectoryEntry home = (DirectoryEntry) entry(plan, "home/nonroot");
        assertThat(List.of(home.mode(), home.uid(), home.gid())).containsExactly(0750, 65532L, 0L);
    }

    @Test
    void theUserMayNameAnAccountAndItsGroup() throws Exception {
        for (String user : List.of("nonroot", "nonroot:nonroot", "nonroot:0", "65532:root", "4242")) {
            ImagePlan plan = plan(requestIn(dir).addAccount(account("nonroot", "65532"))
                    .container(ContainerSpec.builder().user(user).build()));
            assertThat(plan.config().user()).isEqualTo(user);
        }
    }

    @Test
    void aUserThatNoAccountDeclaresFailsListingTheAccounts() {
        BuildRequest.Builder request = requestIn(dir).addAccount(account("nonroot", "65532"))
                .container(ContainerSpec.builder().user("nobody").build());

        InvalidConfigurationException e = assertInvalid(() -> plan(request), "<user>", "nobody");

        assertThat(e.getMessage()).contains("root, nonroot").contains("<account><name>nobody</name>");
    }

    @Test
    void aGroupThatNoAccountDeclaresFailsListingTheGroups() {
        BuildRequest.Builder request = requestIn(dir).addAccount(account("nonroot", "65532"))
                .container(ContainerSpec.builder().user("nonroot:nogroup").build());

        InvalidConfigurationException e = assertInvalid(() -> plan(request), "<user>", "nonroot:nogroup");

        assertThat(e.getMessage()).contains("nogroup").contains("root, nonroot");
    }

    @Test
    void aDeclaredPasswdOrGroupConflictsWithAccounts() throws Exception {
        Files.writeString(dir.resolve("passwd"), "root:x:0:0::/root:/bin/sh\n");
        for (String path : List.of("/etc/passwd", "/etc/group")) {
            BuildRequest.Builder request = requestIn(dir).addFile(file("passwd", path))
                    .addAccount(account("nonroot", "65532"));

            InvalidConfigurationException e = assertInvalid(() -> plan(request), "<files>/<file>[1]/<path>", path);

            assertThat(e.getMessage()).contains("generated from <accounts>");
        }
    }

    @Test
    void aHomeThatADeclarationMakesAFileOrALinkConflicts() throws Exception {
        Files.writeString(dir.resolve("f"), "x\n");
        BuildRequest.Builder file = requestIn(dir).addFile(file("f", "/home/nonroot"))
                .addAccount(account("nonroot", "65532"));
        assertThat(assertInvalid(() -> plan(file), "<files>/<file>[1]/<path>", "/home/nonroot").getMessage())
                .contains("<accounts>/<account>[1]/<home> (the home of nonroot)");

        BuildRequest.Builder link = requestIn(dir).addSymlink(symlink("/srv", "/tmp"))
                .addAccount(AccountSpec.builder().name("svc").uid("10").home("/srv").build());
        assertInvalid(() -> plan(link), "<symlinks>/<symlink>[1]/<path>", "/srv");

        BuildRequest.Builder below = requestIn(dir).addFile(file("f", "/home"))
                .addAccount(account("nonroot", "65532"));
        assertInvalid(() -> plan(below), "<accounts>/<account>[1]/<home>", "/home/nonroot");
    }

    @Test
    void badAccountsAreRefusedNamingTheElementAndTheValue() {
        record Row(AccountSpec spec, String element, String value) {}
        String tooLong = "a".repeat(33);
        for (Row row : List.of(
                new Row(account("Nonroot", "1"), "<accounts>/<account>[1]/<name>", "Nonroot"),
                new Row(account("1abc", "1"), "<accounts>/<account>[1]/<name>", "1abc"),
                new Row(account("-x", "1"), "<accounts>/<account>[1]/<name>", "-x"),
                new Row(account("a$b", "1"), "<accounts>/<account>[1]/<name>", "a$b"),
                new Row(account(tooLong, "1"), "<accounts>/<account>[1]/<name>", tooLong),
                new Row(account(null, "1"), "<accounts>/<account>[1]/<name>", null),
                new Row(account("x", null), "<accounts>/<account>[1]/<uid>", null),
                new Row(account("x", "2147483648"), "<accounts>/<account>[1]/<uid>", "2147483648"),
                new Row(account("x", "-1"), "<accounts>/<account>[1]/<uid>", "-1"),
                new Row(AccountSpec.builder().name("x").uid("1").gid("abc").build(), "<accounts>/<account>[1]/<gid>",
                        "abc"),
                new Row(AccountSpec.builder().name("x").uid("1").home("home/x").build(),
                        "<accounts>/<account>[1]/<home>", "home/x"),
                new Row(AccountSpec.builder().name("x").uid("1").home("/").build(), "<accounts>/<account>[1]/<home>",
                        "/"),
                new Row(AccountSpec.builder().name("x").uid("1").home("/a:b").build(),
                        "<accounts>/<account>[1]/<home>", "/a:b"),
                new Row(AccountSpec.builder().name("x").uid("1").shell("sh").build(),
                        "<accounts>/<account>[1]/<shell>", "sh"),
                new Row(AccountSpec.builder().name("x").uid("1").groupName("Staff").build(),
                        "<accounts>/<account>[1]/<groupName>", "Staff"),
                new Row(AccountSpec.builder().name("x").uid("1").home("/root").build(),
                        "<accounts>/<account>[1]/<home>", "/root"))) {
            assertInvalid(() -> plan(requestIn(dir).addAccount(row.spec())), row.element(), row.value());
        }
        assertInvalid(() -> plan(requestIn(dir).accounts(java.util.Arrays.asList((AccountSpec) null))),
                "<accounts>/<account>[1]", null);
        assertInvalid(() -> plan(requestIn(dir).addAccount(account("x", "1")).accountsLayer("Sys")),
                "<accountsLayer>", "Sys");
    }

    @Test
    void duplicatesAreRefused() {
        assertInvalid(() -> plan(requestIn(dir).addAccount(account("app", "1")).addAccount(account("app", "2"))),
                "<accounts>/<account>[2]/<name>", "app");
        assertInvalid(() -> plan(requestIn(dir).addAccount(account("a", "7")).addAccount(account("b", "7"))),
                "<accounts>/<account>[2]/<uid>", "7");
        assertInvalid(() -> plan(requestIn(dir).addAccount(AccountSpec.builder().name("a").uid("1").home("/srv")
                .build()).addAccount(AccountSpec.builder().name("b").uid("2").home("/srv").build())),
                "<accounts>/<account>[2]/<home>", "/srv");
        assertInvalid(() -> plan(requestIn(dir).addAccount(AccountSpec.builder().name("a").uid("1").groupName("g")
                .build()).addAccount(AccountSpec.builder().name("b").uid("2").gid("1").groupName("h").build())),
                "<accounts>/<account>[2]/<groupName>", "h");
        assertInvalid(() -> plan(requestIn(dir).addAccount(AccountSpec.builder().name("a").uid("1").groupName("b")
                .build()).addAccount(account("b", "2"))), "<accounts>/<account>[1]/<groupName>", "b");
    }

    @Test
    void anAccountsLayerThatLayersDoesNotListIsRefused() {
        BuildRequest.Builder request = requestIn(dir).addAccount(account("nonroot", "65532")).accountsLayer("system")
                .layers(List.of("app"));

        InvalidConfigurationException e = assertInvalid(() -> plan(request), "<layers>", "system");

        assertThat(e.getMessage()).contains("<accountsLayer>");
    }

    @Test
    void anAccountChangesTheLayersFingerprint() throws Exception {
        ImagePlan one = plan(requestIn(dir).addAccount(account("nonroot", "65532")));
        ImagePlan other = plan(requestIn(dir).addAccount(account("nonroot", "65533")));

        assertThat(Fingerprints.of(one, "1", 0).layers()).isNotEqualTo(Fingerprints.of(other, "1", 0).layers());
    }

    @Test
    void withoutAccountsTheImageHasNoPasswdAndNamesStillNeedOne() {
        assertInvalid(() -> plan(requestIn(dir).addDirectory(emptyDirectory("/tmp"))
                .container(ContainerSpec.builder().user("nobody").build())), "<user>", "nobody");
    }
}
