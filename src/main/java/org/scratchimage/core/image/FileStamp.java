package org.scratchimage.core.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

/**
 * What one {@code stat} of a host file says about it: what git's index records to notice a change (size, mtime,
 * ctime, inode, device) and the mode. Taken once, when the build is planned, so that the up-to-date check does not
 * stat every file a second time.
 *
 * @param size the size in bytes
 * @param mtimeSeconds the modification time, seconds since the epoch
 * @param mtimeNanos its nanoseconds
 * @param ctimeSeconds the status change time, seconds since the epoch; a user cannot set it back
 * @param ctimeNanos its nanoseconds
 * @param inode the inode number
 * @param device the device id
 * @param mode {@code st_mode}: file type and permission bits
 */
public record FileStamp(long size, long mtimeSeconds, int mtimeNanos, long ctimeSeconds, int ctimeNanos, long inode,
        long device, int mode) {
    private static final String ATTRIBUTES = "unix:mode,ino,dev,ctime,lastModifiedTime,size";
    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final LinkOption[] FOLLOW = {};
    private static final int TYPE_MASK = 0170000;
    private static final int REGULAR = 0100000;

    /**
     * How far a time with no sub-second part may lag behind the change it stamps. ext2, ext3, ext4 with 128-byte
     * inodes, HFS+ and some NFS servers keep whole seconds; FAT keeps mtimes in steps of two seconds. A file written
     * at 12:00:00.05 then stamps as 12:00:00.000, and a same-size rewrite at 12:00:00.90 keeps every stamp: such a
     * time stands for any moment of the two seconds that begin with it. On a file system with finer times, one stamp
     * in many is a whole second by chance; it is only trusted a little later.
     */
    public static final long COARSE_SECONDS = 2;

    /**
     * @param followLinks whether a symbolic link is followed (a declared file) or described itself (a tree's file)
     * @return the stamp of {@code file}, from one {@code stat} or {@code lstat}
     */
    public static FileStamp read(Path file, boolean followLinks) throws IOException {
        Map<String, Object> unix = Files.readAttributes(file, ATTRIBUTES, followLinks ? FOLLOW : NO_FOLLOW);
        Instant mtime = ((FileTime) unix.get("lastModifiedTime")).toInstant();
        Instant ctime = ((FileTime) unix.get("ctime")).toInstant();
        return new FileStamp((Long) unix.get("size"), mtime.getEpochSecond(), mtime.getNano(), ctime.getEpochSecond(),
                ctime.getNano(), (Long) unix.get("ino"), (Long) unix.get("dev"), (Integer) unix.get("mode"));
    }

    /**
     * @return whether the file's content or status may have changed at or after {@code millis} since the epoch; an
     *     mtime or ctime with no sub-second part may stand for any moment of the {@link #COARSE_SECONDS} it begins
     */
    public boolean changedSince(long millis) {
        long seconds = Math.floorDiv(millis, 1000);
        int nanos = (int) Math.floorMod(millis, 1000) * 1_000_000;
        return mayBeNotBefore(mtimeSeconds, mtimeNanos, seconds, nanos)
                || mayBeNotBefore(ctimeSeconds, ctimeNanos, seconds, nanos);
    }

    /** @return the later of the mtime and the ctime, as stamped */
    public Instant newest() {
        return notBefore(mtimeSeconds, mtimeNanos, ctimeSeconds, ctimeNanos)
                ? Instant.ofEpochSecond(mtimeSeconds, mtimeNanos)
                : Instant.ofEpochSecond(ctimeSeconds, ctimeNanos);
    }

    private static boolean mayBeNotBefore(long seconds, int nanos, long otherSeconds, int otherNanos) {
        if (nanos == 0) {
            // [seconds, seconds + COARSE_SECONDS) reaches the other time.
            return seconds + COARSE_SECONDS > otherSeconds;
        }
        return notBefore(seconds, nanos, otherSeconds, otherNanos);
    }

    private static boolean notBefore(long seconds, int nanos, long otherSeconds, int otherNanos) {
        return seconds > otherSeconds || (seconds == otherSeconds && nanos >= otherNanos);
    }

    /**
     * Compared field by field, not by the record's generated {@code equals}: its first call in a JVM bootstraps
     * {@code ObjectMethods}, about 20 ms, as much as an unchanged build's stats of a small tree.
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof FileStamp s && size == s.size && mtimeSeconds == s.mtimeSeconds
                && mtimeNanos == s.mtimeNanos && ctimeSeconds == s.ctimeSeconds && ctimeNanos == s.ctimeNanos
                && inode == s.inode && device == s.device && mode == s.mode;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(inode) * 31 + Long.hashCode(mtimeNanos ^ ctimeNanos ^ size);
    }

    /** @return whether the file was a regular file */
    public boolean isRegularFile() {
        return (mode & TYPE_MASK) == REGULAR;
    }

    /** @return whether the owner may execute the file */
    public boolean ownerExecutable() {
        return (mode & 0100) != 0;
    }
}
