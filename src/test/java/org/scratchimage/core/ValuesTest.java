package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.scratchimage.core.PlanningFixtures.assertInvalid;

import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ValuesTest {

    @Test
    void modesAreOctalWithOrWithoutALeadingZero() throws Exception {
        assertThat(Values.mode("<mode>", "755", 0)).isEqualTo(0755).isEqualTo(493);
        assertThat(Values.mode("<mode>", "0755", 0)).isEqualTo(0755);
        assertThat(Values.mode("<mode>", "644", 0)).isEqualTo(0644).isEqualTo(420);
        assertThat(Values.mode("<mode>", "0", 0755)).isZero();
        assertThat(Values.mode("<mode>", " 0640 ", 0)).isEqualTo(0640);
    }

    @Test
    void setuidSetgidAndStickyBitsParse() throws Exception {
        // 04755 = setuid (2048) + 0755 (493); 01777 = sticky (512) + 0777 (511); 02755 = setgid (1024) + 0755.
        assertThat(Values.mode("<mode>", "4755", 0)).isEqualTo(04755).isEqualTo(2048 + 493);
        assertThat(Values.mode("<mode>", "1777", 0)).isEqualTo(01777).isEqualTo(512 + 511);
        assertThat(Values.mode("<mode>", "2755", 0)).isEqualTo(02755).isEqualTo(1024 + 493);
        assertThat(Values.mode("<mode>", "7777", 0)).isEqualTo(4095);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void anUnsetModeIsTheDefault(String unset) throws Exception {
        assertThat(Values.mode("<mode>", unset, 0640)).isEqualTo(0640);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8", "12345", "rwx", "0x1ed", "-755", "u+x", "75 5", "0o755", "9"})
    void aBadModeIsRejected(String value) {
        assertInvalid(() -> Values.mode("<files>/<file>[1]/<mode>", value, 0644), "<files>/<file>[1]/<mode>", value);
    }

    @Test
    void idsAreDecimalUpToTheLargestLinuxId() throws Exception {
        assertThat(Values.id("<uid>", null)).isZero();
        assertThat(Values.id("<uid>", "")).isZero();
        assertThat(Values.id("<uid>", "0")).isZero();
        assertThat(Values.id("<uid>", "65532")).isEqualTo(65532L);
        assertThat(Values.id("<uid>", "4294967294")).isEqualTo((1L << 32) - 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "abc", "99999999999", "4294967295", "1.0", "root", "0x10", "+5", "１２"})
    void aBadIdIsRejected(String value) {
        assertInvalid(() -> Values.id("<binaries>/<binary>[1]/<uid>", value), "<binaries>/<binary>[1]/<uid>", value);
        assertInvalid(() -> Values.id("<files>/<file>[2]/<gid>", value), "<files>/<file>[2]/<gid>", value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0", "latest", "v1.2.3-rc.1", "_x", "A_b-C.d", "0"})
    void validTagsAreAccepted(String tag) throws Exception {
        assertThat(Values.tag("<tags>/<tag>[1]", tag)).isEqualTo(tag);
    }

    @Test
    void aTagOf128CharactersIsAcceptedAnd129AreRejected() throws Exception {
        String longest = "a".repeat(128);
        assertThat(Values.tag("<tags>/<tag>[1]", longest)).isEqualTo(longest);

        String tooLong = "a".repeat(129);
        assertInvalid(() -> Values.tag("<tags>/<tag>[1]", tooLong), "<tags>/<tag>[1]", tooLong);
    }

    @ParameterizedTest
    @ValueSource(strings = {":x", "-a", ".a", "a:b", "a/b", "a b", "é", "a+b"})
    void aTagOutsideTheReferenceGrammarIsRejected(String tag) {
        assertInvalid(() -> Values.tag("<tags>/<tag>[2]", tag), "<tags>/<tag>[2]", tag);
    }

    @Test
    void aMissingTagIsReportedAsEmptyNotAsTheWordNull() {
        InvalidConfigurationException e =
                assertInvalid(() -> Values.tag("<tags>/<tag>[1]", null), "<tags>/<tag>[1]", "");

        assertThat(e.getMessage()).doesNotContain("null");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "myapp", "team/myapp", "registry.example.org/team/myapp", "localhost:5000/myapp", "a__b", "a--b",
        "a.b_c-d", "Registry.Example.org/x", "0/1"})
    void validImageNamesAreAccepted(String name) throws Exception {
        assertThat(Values.image("<image>", name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Upper", "myApp", "team/MyApp", "-a", "a-", "a_", "a___b", "a//b", "/a", "a/", "a b", "é"})
    void aBadImageNameIsRejected(String name) {
        InvalidConfigurationException e = assertInvalid(() -> Values.image("<image>", name), "<image>", name);

        assertThat(e.fix()).contains("lowercase");
    }

    @Test
    void anImageNameWithATagSuggestsTags() {
        InvalidConfigurationException e =
                assertInvalid(() -> Values.image("<image>", "myapp:1.0"), "<image>", "myapp:1.0");

        assertThat(e.fix()).contains("<tags>");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" "})
    void anEmptyImageNameIsRejectedWithoutTheWordNull(String value) {
        InvalidConfigurationException e =
                catchThrowableOfType(InvalidConfigurationException.class, () -> Values.image("<image>", value));

        assertThat(e.element()).isEqualTo("<image>");
        assertThat(e.getMessage()).contains("is empty").contains("Fix: ").doesNotContain("\"null\"");
    }

    @Test
    void anImageNameLongerThan255CharactersIsRejected() throws Exception {
        String longest = "a".repeat(255);
        assertThat(Values.image("<image>", longest)).isEqualTo(longest);

        String tooLong = "a".repeat(256);
        assertInvalid(() -> Values.image("<image>", tooLong), "<image>", tooLong);
    }

    @Test
    void aHugeImageNameIsRejectedQuicklyAndWithoutAStackOverflow() {
        // Java's regex engine recurses once per repetition of a group: thousands of them overflow the stack.
        String huge = "a-".repeat(20_000) + "a";
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertInvalid(() -> Values.image("<image>", huge), "<image>", huge));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"8080, 8080/tcp", "8080/tcp, 8080/tcp", "53/udp, 53/udp", "9/sctp, 9/sctp", "1, 1/tcp",
        "65535, 65535/tcp", "080, 80/tcp", "' 443 ', 443/tcp"})
    void portsAreNormalisedToNumberAndProtocol(String value, String expected) throws Exception {
        assertThat(Values.port("<ports>/<port>[1]", value)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "70000", "65536", "80/icmp", "http", "-1", "80/", "/tcp", "80/TCP", "80:80", "123456"})
    void aBadPortIsRejected(String value) {
        assertInvalid(() -> Values.port("<ports>/<port>[3]", value), "<ports>/<port>[3]", value);
    }

    @Test
    void aMissingPortIsReportedAsEmptyNotAsTheWordNull() {
        assertInvalid(() -> Values.port("<ports>/<port>[1]", null), "<ports>/<port>[1]", "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PATH", "JAVA_OPTS", "_", "a1", "lower"})
    void validEnvironmentNamesAreAccepted(String name) throws Exception {
        assertThat(Values.environmentName("<environment>/<" + name + ">", name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1A", "A-B", "A.B", "A B", "A=B", "É"})
    void aBadEnvironmentNameIsRejected(String name) {
        String element = "<environment>/<" + name + ">";
        assertInvalid(() -> Values.environmentName(element, name), element, name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SIGTERM", "TERM", "SIGKILL", "SIGRTMIN", "SIGRTMIN+3", "SIGRTMAX-2", "15", "1", "64"})
    void validSignalsAreAccepted(String signal) throws Exception {
        assertThat(Values.signal("<stopSignal>", signal)).isEqualTo(signal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SIGFOO", "FOO", "sigterm", "SIG", "0", "65", "SIG15", "SIGTERM ", "-9"})
    void aBadSignalIsRejected(String signal) {
        assertInvalid(() -> Values.signal("<stopSignal>", signal), "<stopSignal>", signal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"65532", "65532:65532", "nobody", "app:app", "0:0", "2147483647:2147483647", "app:2147483647"})
    void validUsersAreAccepted(String user) throws Exception {
        assertThat(Values.user("<user>", user)).isEqualTo(user);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a:b:c", ":1", "1:", "a b", "", "2147483648", "0:4294967294", "app:99999999999"})
    void aBadUserIsRejected(String user) {
        assertInvalid(() -> Values.user("<user>", user), "<user>", user);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nobody", "app:app", "app:1000", "app:2147483647"})
    void aUserNameInAnImageWithoutPasswdIsRejectedWithNumericIdsAsTheFix(String user) {
        // runc: "unable to find user nobody"; the image would build and never start.
        InvalidConfigurationException e = assertInvalid(() -> Values.userResolvable("<user>", user, false, true),
                "<user>", user);

        assertThat(e.getMessage()).contains("the image has no /etc/passwd")
                .contains("(unable to find user " + user.split(":")[0] + ")");
        assertThat(e.fix()).contains("numeric user id and group id").contains("65532:65532")
                .doesNotContain("nobody");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1000:staff", "app:staff"})
    void aGroupNameInAnImageWithoutGroupIsRejected(String user) {
        InvalidConfigurationException e = assertInvalid(() -> Values.userResolvable("<user>", user, true, false),
                "<user>", user);

        assertThat(e.getMessage()).contains("the image has no /etc/group").contains("(unable to find group staff)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"65532", "65532:65532", "0:0"})
    void numericIdsNeedNoPasswdOrGroup(String user) throws Exception {
        Values.userResolvable("<user>", user, false, false);
    }

    @Test
    void namesAreLeftToTheRuntimeWhenTheImageHoldsPasswdAndGroup() throws Exception {
        Values.userResolvable("<user>", "app:staff", true, true);
        Values.userResolvable("<user>", null, false, false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "0:-1", "-1:0", "+5", "0:+5", "+0", "-0", "-app", "app:-group", "+app", "--", "0:-"})
    void aUserPartThatStartsWithASignIsRejected(String user) {
        // runc reads "+5" as id 5 and "-1" as an id out of range; a name cannot start with '-' and a passwd line
        // starting with '+' is a NIS marker, not a user. Every such value breaks the image at run time.
        InvalidConfigurationException e = assertInvalid(() -> Values.user("<user>", user), "<user>", user);

        assertThat(e.getMessage()).contains("starts with '-' or '+'");
        assertThat(e.fix()).contains("0 to 2147483647");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SIGRTMIN+1", "SIGRTMIN+15", "RTMIN+15", "SIGRTMAX-1", "SIGRTMAX-14", "RTMAX-14", "RTMAX",
        "34", "49", "50", "09"})
    void realTimeSignalsAreAcceptedAsDockerAndContainerdNameThem(String signal) throws Exception {
        assertThat(Values.signal("<stopSignal>", signal)).isEqualTo(signal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SIGRTMIN+31", "SIGRTMIN+99", "SIGRTMAX-99", "SIGRTMAX-31", "SIGRTMIN+16", "SIGRTMAX-15",
        "SIGRTMIN+30", "SIGRTMAX-30", "SIGRTMIN+0", "SIGRTMAX-0", "SIGRTMIN+01", "SIGRTMIN+", "SIGRTMAX-", "RTMIN-1",
        "RTMAX+1", "+15", "015", "99"})
    void aRealTimeSignalBeyondWhatRuntimesNameOrAbove64IsRejected(String signal) {
        InvalidConfigurationException e =
                assertInvalid(() -> Values.signal("<stopSignal>", signal), "<stopSignal>", signal);

        assertThat(e.fix()).contains("SIGRTMIN+1 to SIGRTMIN+15").contains("SIGRTMAX-14 to SIGRTMAX-1")
                .contains("1 to 64");
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource({"true, true", "false, false", "TRUE, true", "FALSE, false", "True, true", "fAlSe, false",
        "' TRUE ', true", "'\tfalse\n', false"})
    void aFlagIsTrueOrFalseInAnyCaseAroundSpaces(String value, boolean expected) throws Exception {
        assertThat(Values.flag("<skip>", value)).isEqualTo(expected);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void anUnsetFlagIsNullSoThatTheDefaultApplies(String value) throws Exception {
        assertThat(Values.flag("<skip>", value)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no", "1", "0", "on", "off", "y", "n", "t", "f", "truee", "tru e", "true;",
        "\"true\"", "${skip}", "ｔｒｕｅ"})
    void anythingButTrueOrFalseIsRejectedNamingElementAndValue(String value) {
        String element = "<binaries>/<binary>[2]/<resolveLibraries>";
        InvalidConfigurationException e = assertInvalid(() -> Values.flag(element, value), element, value);

        assertThat(e.getMessage()).contains("is not true or false");
        assertThat(e.fix()).contains("write true or false");
    }

    @Test
    void noUserIsNull() throws Exception {
        assertThat(Values.user("<user>", null)).isNull();
        assertThatCode(() -> Values.signal("<stopSignal>", null)).doesNotThrowAnyException();
    }
}
