package org.scratchimage.core;

/**
 * An {@code <account>} as the user wrote it: one line of the image's {@code /etc/passwd}, its group in
 * {@code /etc/group} and its home folder. Values are unparsed strings; {@code null} means "not set". Make one with
 * {@link #builder()}.
 *
 * @param name the login name, by useradd's rules; required
 * @param uid the user id, 0 to 2147483647; required
 * @param gid the primary group id; default the uid
 * @param home the home folder, an absolute path; default {@code /home/<name>}, {@code /root} for uid 0
 * @param shell the login shell, an absolute path; default {@code /sbin/nologin}
 * @param groupName the name of the primary group in {@code /etc/group}; default the account's name
 */
public record AccountSpec(String name, String uid, String gid, String home, String shell, String groupName) {

    /** @return a builder with nothing set */
    public static Builder builder() {
        return new Builder();
    }

    /** Named setters for an {@link AccountSpec}; what is not set stays {@code null}. */
    public static final class Builder {
        private String name;
        private String uid;
        private String gid;
        private String home;
        private String shell;
        private String groupName;

        private Builder() {}

        /** @param name the login name */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** @param uid the user id */
        public Builder uid(String uid) {
            this.uid = uid;
            return this;
        }

        /** @param gid the primary group id */
        public Builder gid(String gid) {
            this.gid = gid;
            return this;
        }

        /** @param home the home folder */
        public Builder home(String home) {
            this.home = home;
            return this;
        }

        /** @param shell the login shell */
        public Builder shell(String shell) {
            this.shell = shell;
            return this;
        }

        /** @param groupName the name of the primary group */
        public Builder groupName(String groupName) {
            this.groupName = groupName;
            return this;
        }

        /** @return the account */
        public AccountSpec build() {
            return new AccountSpec(name, uid, gid, home, shell, groupName);
        }
    }
}
