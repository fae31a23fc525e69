package org.scratchimage.maven;

import static org.apache.maven.api.plugin.testing.MojoExtension.setVariableValueToObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sonatype.plexus.components.cipher.DefaultPlexusCipher;
import org.scratchimage.core.BuildResult;
import org.scratchimage.testing.registry.RegistryServer;
import org.scratchimage.testing.registry.TinyImage;

/**
 * The push goal configured from a real pom by the Maven Plugin Testing Harness: its parameters, its switches, and
 * the mistakes it reports as a MojoFailureException (no stack trace) before or instead of pushing.
 */
@MojoTest
class PushMojoTest {
    private static final String USER = "alice";
    private static final String PASSWORD = "pw-Secr3t-4711";

    @TempDir
    Path temp;

    @Test
    @Basedir("/unit/push")
    @InjectMojo(goal = "push")
    @MojoParameter(name = "to", value = "127.0.0.1:5000/team/app")
    void aToWithoutTagIsRefusedNamingTheElement(PushMojo mojo) throws Exception {
        layout(mojo);

        assertFailure(mojo, "<to>/<reference>[1] \"127.0.0.1:5000/team/app\" has no tag. Fix: add one, such as"
                + " 127.0.0.1:5000/team/app:1.0");
    }

    @Test
    @Basedir("/unit/push")
    @InjectMojo(goal = "push")
    @MojoParameter(name = "to", value = "127.0.0.1:5000/team/app:1.0,127.0.0.1:5000/team//app:2.0")
    void aMalformedToIsRefusedBeforeTheLayoutIsRead(PushMojo mojo) throws Exception {
        setVariableValueToObject(mojo, "outputDirectory", temp.resolve("none").toFile());

        assertFailure(mojo, "<to>/<reference>[2] \"127.0.0.1:5000/team//app:2.0\" has a repository path"
                + " \"team//app\" that is not valid. Fix: ");
    }

    @Test
    @Basedir("/unit/push")
    @InjectMojo(goal = "push")
    @MojoParameter(name = "skipPush", value = "yes")
    void aPushSkipThatIsNeitherTrueNorFalseFailsInsteadOfPushingOrSkipping(PushMojo mojo) throws Exception {
        layout(mojo);

        assertFailure(mojo, "<skipPush> (scratch.push.skip) \"yes\" is not true or false. Fix: write true or false");
    }

    @Test
    @Basedir("/unit/push")
    @InjectMojo(goal = "push")
    @MojoParameter(name = "skipPush", value = "TRUE")
    void pushSkipSkipsWithOneInfoLine(PushMojo mojo) throws Exception {
        setVariableValueToObject(mojo, "outputDirectory", temp.resolve("none").toFile());
        List<String> info = new ArrayList<>();
        mojo.setLog(new SystemStreamLog() {
            @Override
            public void info(CharSequence content) {
                info.add(content.toString());
            }
        });

        mojo.execute();

        assertThat(info).containsExactly("Skipping scratch:push per configuration.");
    }

    @Test
    @Basedir("/unit/push")
    @InjectMojo(goal = "push")
    void noLayoutSaysRunBuildFirst(PushMojo mojo) throws Exception {
        Path none = temp.resolve("target/oci");
        setVariableValueToObject(mojo, "outputDirectory", none.toFile());

        assertFailure(mojo, "No image layout in " + none + ": the folder does not exist. Fix: run scratch:build"
                + " first, such as mvn package scratch:push, or bind it to the package phase");
        assertThat(temp.resolve("target")).doesNotExist();
    }

    @Test
    @Basedir("/unit/push")
    @InjectMojo(goal = "push")
    void aSettingsServerWhosePasswordCannotBeDecryptedIsNamedWithoutTheValue(PushMojo mojo) throws Exception {
        String encrypted = "{COQLCE6DU6GtcS5P=}";
        String previous = System.getProperty("settings.security");
        System.setProperty("settings.security", temp.resolve("no-settings-security.xml").toString());
        try (RegistryServer registry = RegistryServer.builder().htpasswd("alice", "s3cret").start()) {
            layout(mojo);
            Server server = new Server();
            server.setId(registry.host());
            server.setUsername("alice");
            server.setPassword(encrypted);
            Settings settings = new Settings();
            settings.addServer(server);
            setVariableValueToObject(mojo, "settings", settings);
            setVariableValueToObject(mojo, "to", List.of(registry.host() + "/team/app:1.0"));

            MojoFailureException e = assertFailure(mojo, "The password of the settings.xml server \""
                    + registry.host() + "\" cannot be decrypted. Fix: check that settings-security.xml");

            assertThat(e.getMessage()).doesNotContain(encrypted).doesNotContain("COQLCE6DU6GtcS5P");
            assertThat(registry.tags("team/app")).isEmpty();
        } finally {
            if (previous == null) {
                System.clearProperty("settings.security");
            } else {
                System.setProperty("settings.security", previous);
            }
        }
    }

    @Test
    @Basedir("/unit/push")
    @InjectMojo(goal = "push")
    void usernameAndPasswordPushTheImageAndScratchImageJsonRecordsIt(PushMojo mojo) throws Exception {
        try (RegistryServer registry = RegistryServer.builder().htpasswd(USER, PASSWORD).start()) {
            BuildResult built = layout(mojo);
            setVariableValueToObject(mojo, "to", List.of(registry.host() + "/team/app:1.0"));
            setVariableValueToObject(mojo, "username", USER);
            setVariableValueToObject(mojo, "password", PushMojoFixture.password(PASSWORD));
            RecordingLog log = new RecordingLog();
            mojo.setLog(log);

            mojo.execute();

            assertThat(registry.tagDigest("team/app", "1.0")).contains(built.manifestDigest());
            assertThat(log.lines).contains("[info] Registry " + registry.host() + ": credentials from <username> and"
                    + " <password> (scratch.username)");
            assertThat(log.all()).doesNotContain(PASSWORD);
            assertThat(Files.readString(temp.resolve("target/scratch-image.json")))
                    .contains("\"" + registry.host() + "/team/app:1.0@" + built.manifestDigest() + "\"");
        }
    }

    @Test
    @Basedir("/unit/push")
    @InjectMojo(goal = "push")
    void anEncryptedSettingsPasswordIsDecryptedWithTheMasterPasswordOfSettingsSecurity(PushMojo mojo)
            throws Exception {
        // What mvn --encrypt-master-password and mvn --encrypt-password print, made with the same cipher.
        DefaultPlexusCipher cipher = new DefaultPlexusCipher();
        String master = "master-Pw-31337";
        Path security = Files.writeString(temp.resolve("settings-security.xml"), "<settingsSecurity><master>"
                + cipher.encryptAndDecorate(master, "settings.security") + "</master></settingsSecurity>\n");
        String encrypted = cipher.encryptAndDecorate(PASSWORD, master);
        String previous = System.getProperty("settings.security");
        System.setProperty("settings.security", security.toString());
        try (RegistryServer registry = RegistryServer.builder().htpasswd(USER, PASSWORD).start()) {
            BuildResult built = layout(mojo);
            Settings settings = new Settings();
            settings.addServer(PushMojoFixture.server(registry.host(), USER, encrypted));
            setVariableValueToObject(mojo, "settings", settings);
            setVariableValueToObject(mojo, "to", List.of(registry.host() + "/team/app:1.0"));
            RecordingLog log = new RecordingLog();
            mojo.setLog(log);

            mojo.execute();

            assertThat(registry.tagDigest("team/app", "1.0")).contains(built.manifestDigest());
            assertThat(log.lines).contains("[info] Registry " + registry.host() + ": credentials from settings.xml"
                    + " server \"" + registry.host() + "\"");
            assertThat(log.all()).doesNotContain(PASSWORD).doesNotContain(encrypted).doesNotContain(master);
        } finally {
            restore("settings.security", previous);
        }
    }

    @Test
    @Basedir("/unit/push")
    @InjectMojo(goal = "push")
    void serverIdTakesTheCredentialsOfTheServerItNamesNotTheRegistrysOwn(PushMojo mojo) throws Exception {
        try (RegistryServer registry = RegistryServer.builder().htpasswd(USER, PASSWORD).start()) {
            BuildResult built = layout(mojo);
            Settings settings = new Settings();
            // The registry's own entry holds a wrong password: the push works only if <serverId> is followed.
            settings.addServer(PushMojoFixture.server(registry.host(), USER, "wrong-password"));
            settings.addServer(PushMojoFixture.server("corp-registry", USER, PASSWORD));
            setVariableValueToObject(mojo, "settings", settings);
            setVariableValueToObject(mojo, "serverId", "corp-registry");
            setVariableValueToObject(mojo, "to", List.of(registry.host() + "/team/app:1.0"));
            RecordingLog log = new RecordingLog();
            mojo.setLog(log);

            mojo.execute();

            assertThat(registry.tagDigest("team/app", "1.0")).contains(built.manifestDigest());
            assertThat(log.lines).contains("[info] Registry " + registry.host() + ": credentials from settings.xml"
                    + " server \"corp-registry\"");
        }
    }

    @Test
    @Basedir("/unit/push")
    @InjectMojo(goal = "push")
    void everyReferenceOfToIsPushedAndBlobsAreSentOncePerRepository(PushMojo mojo) throws Exception {
        try (RegistryServer registry = RegistryServer.anonymous()) {
            BuildResult built = layout(mojo);
            setVariableValueToObject(mojo, "to", List.of(registry.host() + "/team/app:1.0",
                    registry.host() + "/team/app:latest", registry.host() + "/team/base:2.0"));
            mojo.setLog(new RecordingLog());
            int mark = registry.mark();

            mojo.execute();

            assertThat(registry.tags("team/app")).containsExactly("1.0", "latest");
            assertThat(registry.tags("team/base")).containsExactly("2.0");
            assertThat(registry.tagDigest("team/base", "2.0")).contains(built.manifestDigest());
            // Two blobs uploaded to team/app; team/base mounts them from there.
            assertThat(registry.requestsSince(mark)).filteredOn(RegistryServer.Request::isBlobUpload)
                    .filteredOn(r -> r.method().equals("PUT")).hasSize(2);
        }
    }

    @Test
    @Basedir("/unit/push")
    @InjectMojo(goal = "push")
    void aRefusedPasswordFailsNamingItsSourceButNotTheValue(PushMojo mojo) throws Exception {
        try (RegistryServer registry = RegistryServer.builder().htpasswd(USER, PASSWORD).start()) {
            layout(mojo);
            Settings settings = new Settings();
            settings.addServer(PushMojoFixture.server(registry.host(), USER, "wrong-Pw-4712"));
            setVariableValueToObject(mojo, "settings", settings);
            setVariableValueToObject(mojo, "to", List.of(registry.host() + "/team/app:1.0"));

            MojoFailureException e = assertFailure(mojo, "registry " + registry.host() + " answered 401 to ");

            assertThat(e.getMessage()).contains("It refused the credentials from settings.xml server \""
                    + registry.host() + "\". Fix: correct the user name and password in settings.xml server")
                    .doesNotContain("wrong-Pw-4712");
            assertThat(registry.tags("team/app")).isEmpty();
        }
    }

    private static void restore(String property, String previous) {
        if (previous == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, previous);
        }
    }

    private BuildResult layout(PushMojo mojo) throws Exception {
        BuildResult built = TinyImage.build(temp, "port=8080\n");
        setVariableValueToObject(mojo, "outputDirectory", built.layout().toFile());
        setVariableValueToObject(mojo, "buildDirectory", temp.resolve("target").toFile());
        return built;
    }

    /** Runs the goal, expecting a MojoFailureException whose message starts with {@code start}, and no stack trace. */
    private static MojoFailureException assertFailure(PushMojo mojo, String start) {
        List<Throwable> logged = new ArrayList<>();
        mojo.setLog(new SystemStreamLog() {
            @Override
            public void error(CharSequence content, Throwable error) {
                logged.add(error);
            }

            @Override
            public void warn(CharSequence content, Throwable error) {
                logged.add(error);
            }
        });
        Throwable thrown = catchThrowable(mojo::execute);
        assertThat(thrown).isExactlyInstanceOf(MojoFailureException.class);
        assertThat(thrown.getMessage()).startsWith(start);
        assertThat(logged).isEmpty();
        return (MojoFailureException) thrown;
    }
}
