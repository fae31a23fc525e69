package org.scratchimage.core.roundtrip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * One path of an image as the declaration says it must be, or as one reader saw it. Paths (the map keys) are
 * relative to the image root, without a leading or trailing slash; the root itself is {@code ""}.
 *
 * @param kind what the path is
 * @param mode permission bits with setuid, setgid and sticky
 * @param uid owner id
 * @param gid group id
 * @param target a symbolic link's destination, else {@code null}
 * @param content a regular file's bytes, or {@code null} where the reader does not see them
 * @param mtime seconds since the epoch, or {@link #UNKNOWN} where the reader does not see it
 */
record Item(Kind kind, int mode, long uid, long gid, String target, byte[] content, long mtime) {
    static final long UNKNOWN = Long.MIN_VALUE;

    enum Kind { DIRECTORY, FILE, SYMLINK }

    static Item directory(int mode, long uid, long gid) {
        return new Item(Kind.DIRECTORY, mode, uid, gid, null, null, UNKNOWN);
    }

    static Item file(int mode, long uid, long gid, byte[] content) {
        return new Item(Kind.FILE, mode, uid, gid, null, content, UNKNOWN);
    }

    static Item symlink(long uid, long gid, String target) {
        return new Item(Kind.SYMLINK, 0777, uid, gid, target, null, UNKNOWN);
    }

    Item withMtime(long seconds) {
        return new Item(kind, mode, uid, gid, target, content, seconds);
    }

    Item withMode(int newMode) {
        return new Item(kind, newMode, uid, gid, target, content, mtime);
    }

    @Override
    public String toString() {
        String size = content == null ? "" : " " + content.length + " bytes";
        String link = target == null ? "" : " -> " + Text.quote(target);
        String time = mtime == UNKNOWN ? "" : " @" + mtime;
        return String.format("%s %04o %d:%d%s%s%s", kind, mode, uid, gid, size, link, time);
    }

    /**
     * @param checkMtime compare mtimes where both sides know them
     * @return one line per difference between the expected and the observed paths; empty if they agree
     */
    static List<String> differences(SortedMap<String, Item> expected, Map<String, Item> observed,
            boolean checkMtime) {
        List<String> problems = new ArrayList<>();
        TreeSet<String> all = new TreeSet<>(expected.keySet());
        all.addAll(observed.keySet());
        for (String path : all) {
            Item want = expected.get(path);
            Item got = observed.get(path);
            String where = "/" + Text.quote(path);
            if (want == null) {
                problems.add(where + ": not declared, but found " + got);
            } else if (got == null) {
                problems.add(where + ": declared as " + want + ", but missing");
            } else if (!want.matches(got, checkMtime)) {
                problems.add(where + ": declared as " + want + ", but found " + got);
            }
        }
        return problems;
    }

    private boolean matches(Item got, boolean checkMtime) {
        return kind == got.kind && mode == got.mode && uid == got.uid && gid == got.gid
                && java.util.Objects.equals(target, got.target)
                && (content == null || got.content == null || Arrays.equals(content, got.content))
                && (!checkMtime || mtime == UNKNOWN || got.mtime == UNKNOWN || mtime == got.mtime);
    }
}
