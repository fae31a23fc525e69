package org.scratchimage.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.scratchimage.core.image.DirectoryEntry;
import org.scratchimage.core.image.GeneratedFileEntry;

/**
 * The image's accounts ({@code <accounts>}): validated, rendered as {@code /etc/passwd} and {@code /etc/group}, and
 * added with their home folders to the layer {@code <accountsLayer>} names.
 *
 * <p>The files hold one line per account and one per group, sorted by id, in the format of Debian's own files with
 * an empty comment field: {@code name:x:uid:gid::home:shell} and {@code group:x:gid:}. There is no
 * {@code /etc/shadow}: the {@code x} says the password is elsewhere, and nowhere means nobody logs in. Accounts
 * that share a gid share one group line; its member list stays empty, since the passwd line's gid already makes
 * each of them a member.
 */
final class Accounts {
    static final String PASSWD = "etc/passwd";
    static final String GROUP = "etc/group";
    static final String DEFAULT_SHELL = "/sbin/nologin";
    private static final int FILE_MODE = 0644;
    private static final int HOME_MODE = 0700;
    /** useradd's default NAME_REGEX, with its 32-character limit. */
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,30}[a-z0-9_$-]?");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final String ROOT_ORIGIN = "the root account the build adds";

    /** One validated account; {@code origin} is its element, such as {@code <accounts>/<account>[2]}. */
    private record Account(String name, long uid, long gid, String home, String shell, String origin) {}

    /** A group's name and where it came from, for the error when two names meet. */
    private record Group(String name, boolean explicit, String origin) {}

    private static final Accounts NONE = new Accounts(List.of(), new TreeMap<>(), null);

    /** The accounts, sorted by uid. */
    private final List<Account> accounts;
    /** The group names by gid, sorted by gid. */
    private final TreeMap<Long, String> groups;
    private final String layer;

    private Accounts(List<Account> accounts, TreeMap<Long, String> groups, String layer) {
        this.accounts = accounts;
        this.groups = groups;
        this.layer = layer;
    }

    /** @return the request's accounts, validated; none when {@code <accounts>} is not set */
    static Accounts of(BuildRequest request) throws InvalidConfigurationException {
        String layer = Values.layer("<accountsLayer>", blankToNull(request.accountsLayer()), LayerOrder.DEFAULT_LAYER);
        List<AccountSpec> specs = request.accounts();
        if (specs.isEmpty()) {
            return NONE;
        }
        List<Account> accounts = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<Long, String> uids = new HashMap<>();
        Map<String, String> homes = new HashMap<>();
        Map<Long, Group> groupsById = new HashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            String origin = "<accounts>/<account>[" + (i + 1) + "]";
            AccountSpec spec = specs.get(i);
            if (spec == null) {
                throw new InvalidConfigurationException(origin, null, "is empty",
                        "give it at least a <name> and a <uid>, such as <name>nonroot</name><uid>65532</uid>");
            }
            Account account = account(spec, origin);
            unique(names, account.name(), origin + "/<name>", account.name(), "choose another <name>");
            unique(uids, account.uid(), origin + "/<uid>", spec.uid().trim(), "give each account its own <uid>");
            unique(homes, account.home(), origin + "/<home>", ImagePaths.absolute(account.home()),
                    "give each account its own <home>: it is owned by its account");
            accounts.add(account);
            boolean explicit = !Values.isBlank(spec.groupName());
            String groupName = explicit ? name(origin + "/<groupName>", spec.groupName()) : account.name();
            nameGroup(groupsById, account.gid(), new Group(groupName, explicit, origin),
                    account.uid() == account.gid());
        }
        if (!names.containsKey("root") && !uids.containsKey(0L)) {
            if (homes.containsKey("root")) {
                throw new InvalidConfigurationException(homes.get("root") + "/<home>", "/root", "is the home of root,"
                        + " which the build adds as uid 0 since no account is root", "give the account another"
                        + " <home>, or declare root yourself: <account><name>root</name><uid>0</uid></account>");
            }
            accounts.add(new Account("root", 0, 0, "root", DEFAULT_SHELL, ROOT_ORIGIN));
            nameGroup(groupsById, 0L, new Group("root", true, ROOT_ORIGIN), true);
        }
        accounts.sort((a, b) -> Long.compare(a.uid(), b.uid()));
        TreeMap<Long, String> groups = new TreeMap<>();
        Map<String, Long> groupIds = new HashMap<>();
        for (Map.Entry<Long, Group> group : new TreeMap<>(groupsById).entrySet()) {
            Long other = groupIds.putIfAbsent(group.getValue().name(), group.getKey());
            if (other != null) {
                // At least one of the two was written as a <groupName>: account names are unique. Name that one.
                Group later = group.getValue();
                Group earlier = groupsById.get(other);
                boolean blameLater = later.explicit() && !later.origin().equals(ROOT_ORIGIN);
                Group culprit = blameLater ? later : earlier;
                Group first = blameLater ? earlier : later;
                long culpritId = blameLater ? group.getKey() : other;
                long firstId = blameLater ? other : group.getKey();
                throw new InvalidConfigurationException(culprit.origin() + "/<groupName>", culprit.name(),
                        "names group " + culpritId + ", but group " + firstId + " has that name too (from "
                                + first.origin() + ")",
                        "give each gid its own <groupName>; accounts that share a group share its gid");
            }
            groups.put(group.getKey(), group.getValue().name());
        }
        return new Accounts(accounts, groups, layer);
    }

    private static Account account(AccountSpec spec, String origin) throws InvalidConfigurationException {
        String name = name(origin + "/<name>", spec.name());
        if (Values.isBlank(spec.uid())) {
            throw new InvalidConfigurationException(origin + "/<uid>", null, "is missing",
                    "give the account's user id, such as <uid>65532</uid>");
        }
        long uid = id(origin + "/<uid>", spec.uid());
        long gid = Values.isBlank(spec.gid()) ? uid : id(origin + "/<gid>", spec.gid());
        String home;
        if (Values.isBlank(spec.home())) {
            home = uid == 0 ? "root" : "home/" + name;
        } else {
            home = ImagePaths.relative(origin + "/<home>", spec.home());
            field(origin + "/<home>", spec.home());
            if (home.isEmpty()) {
                throw new InvalidConfigurationException(origin + "/<home>", spec.home(), "is the image root",
                        "give the account a folder of its own, such as /home/" + name + ": the home is owned by the"
                                + " account with mode 0700");
            }
        }
        String shell = Values.isBlank(spec.shell()) ? DEFAULT_SHELL : spec.shell();
        field(origin + "/<shell>", shell);
        if (!shell.startsWith("/")) {
            throw new InvalidConfigurationException(origin + "/<shell>", shell, "is not absolute",
                    "write the shell's absolute path, such as /sbin/nologin (the default) or /bin/sh");
        }
        return new Account(name, uid, gid, home, shell, origin);
    }

    /** Checks a user or group name against useradd's rules. */
    private static String name(String element, String value) throws InvalidConfigurationException {
        if (Values.isBlank(value)) {
            throw new InvalidConfigurationException(element, value == null ? null : value, "is missing",
                    "name the account, such as nonroot");
        }
        if (!NAME.matcher(value).matches()) {
            throw new InvalidConfigurationException(element, value, "is not a valid account name",
                    "use at most 32 characters: a lowercase letter or '_', then lowercase letters, digits, '_' or"
                            + " '-', and optionally a final '$', such as nonroot or app_user");
        }
        return value;
    }

    private static long id(String element, String value) throws InvalidConfigurationException {
        String trimmed = value.trim();
        if (!DIGITS.matcher(trimmed).matches() || trimmed.length() > 10 || Long.parseLong(trimmed) > Values.MAX_USER_ID) {
            throw new InvalidConfigurationException(element, value, "is not an id from 0 to " + Values.MAX_USER_ID,
                    "write a whole number from 0 to " + Values.MAX_USER_ID + ", such as 65532: runtimes parse ids"
                            + " as signed 32-bit numbers");
        }
        return Long.parseLong(trimmed);
    }

    /** A field of /etc/passwd cannot hold the separator or a line break. */
    private static void field(String element, String value) throws InvalidConfigurationException {
        if (value.indexOf(':') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0
                || value.indexOf('\0') >= 0) {
            throw new InvalidConfigurationException(element, value.replace('\0', '?'),
                    "holds a ':', a line break or a NUL, which /etc/passwd cannot carry", "remove it");
        }
    }

    private static <K> void unique(Map<K, String> seen, K key, String element, String value, String fix)
            throws InvalidConfigurationException {
        String first = seen.putIfAbsent(key, element.substring(0, element.lastIndexOf('/')));
        if (first != null) {
            throw new InvalidConfigurationException(element, value, "is declared twice: by " + first + " and by "
                    + element.substring(0, element.lastIndexOf('/')), fix);
        }
    }

    /**
     * Names the group of {@code gid}: the {@code <groupName>} its accounts give, which must agree; without one, the
     * name of the account whose uid is the gid, else of the first account with that gid.
     */
    private static void nameGroup(Map<Long, Group> groups, long gid, Group candidate, boolean owner)
            throws InvalidConfigurationException {
        Group current = groups.get(gid);
        if (current == null || (candidate.explicit() && !current.explicit())
                || (!current.explicit() && !candidate.explicit() && owner)) {
            groups.put(gid, candidate);
        } else if (candidate.explicit() && current.explicit() && !candidate.name().equals(current.name())) {
            throw new InvalidConfigurationException(candidate.origin() + "/<groupName>", candidate.name(),
                    "names group " + gid + ", which " + current.origin() + " names " + current.name(),
                    "give the accounts that share gid " + gid + " the same <groupName>, or leave it out of all but"
                            + " one");
        }
    }

    /** @return whether {@code <accounts>} is set */
    boolean any() {
        return !accounts.isEmpty();
    }

    /** @return the text of {@code /etc/passwd}: one {@code name:x:uid:gid::home:shell} line per account */
    String passwd() {
        StringBuilder text = new StringBuilder();
        for (Account account : accounts) {
            text.append(account.name()).append(":x:").append(account.uid()).append(':').append(account.gid())
                    .append("::").append(ImagePaths.absolute(account.home())).append(':').append(account.shell())
                    .append('\n');
        }
        return text.toString();
    }

    /** @return the text of {@code /etc/group}: one {@code name:x:gid:} line per group */
    String group() {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<Long, String> group : groups.entrySet()) {
            text.append(group.getValue()).append(":x:").append(group.getKey()).append(":\n");
        }
        return text.toString();
    }

    /** Adds {@code /etc/passwd}, {@code /etc/group} and the homes to the image; nothing without accounts. */
    void addTo(LayerEntries collector) throws InvalidConfigurationException {
        if (!any()) {
            return;
        }
        String what = "the /etc/passwd, /etc/group and home folders of <accounts>, by <accountsLayer>";
        String fix = "remove that declaration (from a tree: add it to the tree's <excludes>) and declare the users in"
                + " <accounts>, or remove <accounts> to use your own file";
        collector.addGenerated(new GeneratedFileEntry(PASSWD, passwd().getBytes(StandardCharsets.UTF_8), FILE_MODE,
                0, 0, "the /etc/passwd generated from <accounts>"), layer, what, fix);
        collector.addGenerated(new GeneratedFileEntry(GROUP, group().getBytes(StandardCharsets.UTF_8), FILE_MODE,
                0, 0, "the /etc/group generated from <accounts>"), layer, what, fix);
        for (Account account : accounts) {
            String origin = account.origin().equals(ROOT_ORIGIN) ? "the home of " + ROOT_ORIGIN
                    : account.origin() + "/<home> (the home of " + account.name() + ")";
            collector.addGenerated(new DirectoryEntry(account.home(), HOME_MODE, account.uid(), account.gid(), origin),
                    layer, what,
                    "give the account another <home>, or remove that declaration");
        }
    }

    /**
     * Checks that a name in {@code <user>} is an account (a group name: a group), as runtimes look it up in the
     * generated files. Without accounts, a name needs a declared {@code /etc/passwd} ({@link Values#userResolvable}).
     */
    void checkUser(String element, String user, boolean hasPasswd, boolean hasGroup)
            throws InvalidConfigurationException {
        if (!any()) {
            Values.userResolvable(element, user, hasPasswd, hasGroup);
            return;
        }
        if (user == null) {
            return;
        }
        int colon = user.indexOf(':');
        String name = colon < 0 ? user : user.substring(0, colon);
        String group = colon < 0 ? null : user.substring(colon + 1);
        if (!DIGITS.matcher(name).matches() && accounts.stream().noneMatch(a -> a.name().equals(name))) {
            List<String> declared = accounts.stream().map(Account::name).toList();
            throw new InvalidConfigurationException(element, user, "names the user " + name + ", which is not an"
                    + " account: the generated /etc/passwd holds " + String.join(", ", declared),
                    "name one of them, write a numeric id, or add <account><name>" + name + "</name>...</account>"
                            + " to <accounts>");
        }
        if (group != null && !DIGITS.matcher(group).matches() && !groups.containsValue(group)) {
            throw new InvalidConfigurationException(element, user, "names the group " + group + ", which is not a"
                    + " group: the generated /etc/group holds " + String.join(", ", groups.values()),
                    "name one of them, write a numeric id, or give an account <groupName>" + group + "</groupName>");
        }
    }

    private static String blankToNull(String value) {
        return Values.isBlank(value) ? null : value;
    }
}
