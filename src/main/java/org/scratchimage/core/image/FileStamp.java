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

    /** @return whether the file's content or status changed at or after {@code millis} since the epoch */
    public boolean changedSince(long millis) {
        long seconds = Math.floorDiv(millis, 1000);
        int nanos = (int) Math.floorMod(millis, 1000) * 1_000_000;
        return notBefore(mtimeSeconds, mtimeNanos, seconds, nanos) || notBefore(ctimeSeconds, ctimeNanos, seconds, nanos);
    }

    private static boolean notBefore(long seconds, int nanos, long otherSeconds, int otherNanos) {
        return seconds > otherSeconds || (seconds == otherSeconds && nanos >= otherNanos);
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
