package org.scratchimage.maven;

/**
 * An {@code <account>}: a user of the image, written to the {@code /etc/passwd} and {@code /etc/group} the build
 * generates, with its home folder.
 *
 * @since 0.1.0
 */
public class ImageAccount {
    /**
     * The login name, as useradd takes it: a lowercase letter or '_', then lowercase letters, digits, '_' or '-',
     * optionally ending in '$'; at most 32 characters. Required.
     */
    String name;
    /** The user id, from 0 to 2147483647. Required. */
    String uid;
    /** The primary group id, from 0 to 2147483647; default the uid. */
    String gid;
    /** The home folder, created owned by the account with mode 0700; default {@code /home/NAME}, {@code /root} for uid 0. */
    String home;
    /** The login shell; default {@code /sbin/nologin}. It need not exist in the image. */
    String shell;
    /** The name of the primary group in {@code /etc/group}; default the account's name. */
    String groupName;
}
