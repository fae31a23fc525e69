package org.scratchimage.core.roundtrip;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.scratchimage.core.tar.ExternalTools;

/** Reads a layer back into {@link Item}s, each way independent of the others and of the writer. */
final class LayerReaders {
    private LayerReaders() {}

    /**
     * The round-trip's own reader. Also checks what only raw headers show: names in the ustar fields are ASCII
     * unless a PAX path replaces them, directories end in '/', the root is "./" and comes first, paths are
     * unique and sorted by their UTF-8 bytes, so every parent precedes its children.
     */
    static Map<String, Item> raw(List<TarBlocks.Entry> entries, List<String> problems) {
        Map<String, Item> items = new LinkedHashMap<>();
        byte[] previous = null;
        for (TarBlocks.Entry entry : entries) {
            String name = entry.name();
            if (!entry.paxRecords().containsKey("path") && !isPrintableAscii(entry.ustarField(0, 100)
                    + entry.ustarField(345, 155))) {
                problems.add("raw: " + Text.quote(name) + " has a non-ASCII ustar name without a PAX path");
            }
            if (!entry.paxRecords().containsKey("path")) {
                // ustar fields were read as ISO-8859-1; being ASCII, they are also their UTF-8 selves.
                name = new String(name.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
            String linkName = entry.linkName();
            if (!entry.paxRecords().containsKey("linkpath")) {
                linkName = new String(linkName.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
            String path = path(name, entry.type() == '5', "raw", problems);
            Item item = item(entry.type(), entry.mode(), entry.uid(), entry.gid(), linkName, entry.data(),
                    entry.mtime(), "raw " + Text.quote(name), problems);
            if (items.put(path, item) != null) {
                problems.add("raw: /" + Text.quote(path) + " appears twice in the layer");
            }
            byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
            if (previous != null && Arrays.compareUnsigned(previous, bytes) >= 0) {
                problems.add("raw: /" + Text.quote(path) + " is not in UTF-8 byte order after the previous entry");
            }
            if (!path.isEmpty() && !items.containsKey(Text.parent(path))) {
                problems.add("raw: /" + Text.quote(path) + " comes before its parent");
            }
            if (previous == null && !path.isEmpty()) {
                problems.add("raw: the first entry is /" + Text.quote(path) + ", not the root \"./\"");
            }
            previous = bytes;
        }
        return items;
    }

    /** Commons Compress, with UTF-8 names. */
    static Map<String, Item> commonsCompress(byte[] tar, List<String> problems) throws IOException {
        Map<String, Item> items = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar), "UTF-8")) {
            TarArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                byte[] content = entry.isFile() ? in.readAllBytes() : null;
                byte type = entry.isDirectory() ? (byte) '5' : entry.isSymbolicLink() ? (byte) '2'
                        : entry.isFile() ? (byte) '0' : (byte) '?';
                String path = path(entry.getName(), entry.isDirectory(), "Commons Compress", problems);
                Item item = item(type, entry.getMode(), entry.getLongUserId(), entry.getLongGroupId(),
                        entry.getLinkName(), content, entry.getLastModifiedTime().toInstant().getEpochSecond(),
                        "Commons Compress " + Text.quote(entry.getName()), problems);
                if (!entry.getUserName().isEmpty() || !entry.getGroupName().isEmpty()) {
                    problems.add("Commons Compress: " + Text.quote(entry.getName()) + " has user or group name "
                            + entry.getUserName() + "/" + entry.getGroupName());
                }
                if (!entry.getExtraPaxHeaders().isEmpty()) {
                    problems.add("Commons Compress: " + Text.quote(entry.getName()) + " has unexpected PAX headers "
                            + entry.getExtraPaxHeaders());
                }
                if (items.put(path, item) != null) {
                    problems.add("Commons Compress: /" + Text.quote(path) + " appears twice");
                }
            }
        }
        return items;
    }

    private static final Pattern LISTING = Pattern.compile(
            "([dl-])([r-][w-][xsS-][r-][w-][xsS-][r-][w-][xtT-]) (\\d+)/(\\d+) +(\\d+) "
                    + "(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d) (\".*)");

    /**
     * GNU tar, in one run of {@code tar -xvvO}: the verbose listing (on stderr, as the contents go to stdout) for
     * kinds, modes, owners, sizes, times and targets, with C-quoted names so that any name parses, and the
     * contents of the regular files in archive order. Any other line, such as a warning, is a problem.
     */
    static Map<String, Item> gnuTar(Path tarFile, List<String> problems) {
        ExternalTools.Result run = ExternalTools.run(List.of("tar", "--quoting-style=c", "--numeric-owner",
                "--full-time", "-xvvOf", tarFile.toString()));
        if (run.exitCode() != 0) {
            problems.add("GNU tar exited " + run.exitCode() + ": " + run.stderr());
            return Map.of();
        }
        String listing = run.stderr();
        ByteArrayInputStream data = new ByteArrayInputStream(run.stdout());
        Map<String, Item> items = new LinkedHashMap<>();
        for (String line : listing.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            Matcher m = LISTING.matcher(line);
            if (!m.matches()) {
                problems.add("GNU tar: unparsable line " + Text.quote(line));
                continue;
            }
            List<String> quoted = new ArrayList<>();
            int rest = cUnquote(m.group(7), 0, quoted);
            if (rest < m.group(7).length()) {
                if (!m.group(7).startsWith(" -> ", rest)) {
                    problems.add("GNU tar: unparsable line " + Text.quote(line));
                    continue;
                }
                rest = cUnquote(m.group(7), rest + 4, quoted);
            }
            String name = quoted.get(0);
            byte type = m.group(1).equals("d") ? (byte) '5' : m.group(1).equals("l") ? (byte) '2' : (byte) '0';
            long size = Long.parseLong(m.group(5));
            byte[] content = null;
            if (type == '0') {
                content = take(data, (int) size);
            }
            long mtime = LocalDateTime.parse(m.group(6).replace(' ', 'T')).toEpochSecond(ZoneOffset.UTC);
            String path = path(name, type == '5', "GNU tar", problems);
            Item item = item(type, permissions(m.group(2)), Long.parseLong(m.group(3)), Long.parseLong(m.group(4)),
                    quoted.size() > 1 ? quoted.get(1) : "", content, mtime, "GNU tar " + Text.quote(name), problems);
            if (items.put(path, item) != null) {
                problems.add("GNU tar: /" + Text.quote(path) + " appears twice");
            }
        }
        if (data.available() != 0) {
            problems.add("GNU tar -xO wrote " + data.available() + " bytes more than the listed sizes");
        }
        return items;
    }

    /** umoci's unpacked root file system, as the kernel reports it. */
    static Map<String, Item> rootfs(Path rootfs) throws IOException {
        Map<String, Item> items = new LinkedHashMap<>();
        try (Stream<Path> paths = Files.walk(rootfs)) {
            for (Path file : paths.toList()) {
                String path = rootfs.relativize(file).toString();
                Map<String, Object> attributes = Files.readAttributes(file, "unix:mode,uid,gid",
                        LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) attributes.get("mode");
                long uid = Integer.toUnsignedLong((Integer) attributes.get("uid"));
                long gid = Integer.toUnsignedLong((Integer) attributes.get("gid"));
                int format = mode & 0170000;
                Item item;
                if (format == 0040000) {
                    item = Item.directory(mode & 07777, uid, gid);
                } else if (format == 0120000) {
                    item = Item.symlink(uid, gid, Files.readSymbolicLink(file).toString());
                } else if (format == 0100000) {
                    item = Item.file(mode & 07777, uid, gid, Files.readAllBytes(file));
                } else {
                    item = new Item(null, mode, uid, gid, null, null, Item.UNKNOWN);
                }
                items.put(path, item);
            }
        }
        return items;
    }

    /** The image path of a tar name: "./" is the root, and a directory's name must end in '/'. */
    private static String path(String name, boolean directory, String reader, List<String> problems) {
        if (name.equals("./")) {
            return "";
        }
        if (directory) {
            if (!name.endsWith("/")) {
                problems.add(reader + ": directory " + Text.quote(name) + " does not end in '/'");
                return name;
            }
            return name.substring(0, name.length() - 1);
        }
        return name;
    }

    private static Item item(byte type, long mode, long uid, long gid, String linkName, byte[] content, long mtime,
            String what, List<String> problems) {
        if (mode < 0 || mode > 07777) {
            problems.add(what + ": mode field " + Long.toOctalString(mode) + " holds more than permission bits");
        }
        Item item;
        if (type == '5') {
            item = Item.directory((int) mode & 07777, uid, gid);
        } else if (type == '2') {
            // A link's mode means nothing to Linux; the writer records 0777 like every Linux link.
            item = Item.symlink(uid, gid, linkName).withMode((int) mode & 07777);
        } else if (type == '0') {
            item = Item.file((int) mode & 07777, uid, gid, content);
        } else {
            problems.add(what + ": unexpected type '" + (char) type + "'");
            item = new Item(null, (int) mode, uid, gid, linkName, content, mtime);
        }
        if (type != '2' && !linkName.isEmpty()) {
            problems.add(what + ": a " + item.kind() + " with a link name " + Text.quote(linkName));
        }
        return item.withMtime(mtime);
    }

    private static int permissions(String letters) {
        int mode = 0;
        int[] bits = {0400, 0200, 0100, 040, 020, 010, 04, 02, 01};
        for (int i = 0; i < 9; i++) {
            char c = letters.charAt(i);
            if (c != '-' && c != 'S' && c != 'T') {
                mode |= bits[i];
            }
        }
        mode |= "sS".indexOf(letters.charAt(2)) >= 0 ? 04000 : 0;
        mode |= "sS".indexOf(letters.charAt(5)) >= 0 ? 02000 : 0;
        mode |= "tT".indexOf(letters.charAt(8)) >= 0 ? 01000 : 0;
        return mode;
    }

    /**
     * Decodes one C-quoted string of GNU tar's {@code --quoting-style=c} starting at {@code from}: backslash
     * escapes and octal bytes, the rest UTF-8 as printed.
     *
     * @return the index after the closing quote
     */
    private static int cUnquote(String text, int from, List<String> out) {
        if (text.charAt(from) != '"') {
            throw new AssertionError("GNU tar: expected a quoted name at " + Text.quote(text.substring(from)));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = from + 1;
        while (text.charAt(i) != '"') {
            char c = text.charAt(i);
            if (c != '\\') {
                int codePoint = text.codePointAt(i);
                bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint);
                continue;
            }
            char e = text.charAt(i + 1);
            if (e >= '0' && e <= '7') {
                int end = i + 1;
                int value = 0;
                while (end < i + 4 && text.charAt(end) >= '0' && text.charAt(end) <= '7') {
                    value = value * 8 + text.charAt(end) - '0';
                    end++;
                }
                bytes.write(value);
                i = end;
                continue;
            }
            int index = "abfnrtv\\\"'?".indexOf(e);
            if (index < 0) {
                throw new AssertionError("GNU tar: unknown escape \\" + e + " in " + Text.quote(text));
            }
            bytes.write("\u0007\b\f\n\r\t\u000b\\\"'?".charAt(index));
            i += 2;
        }
        out.add(bytes.toString(StandardCharsets.UTF_8));
        return i + 1;
    }

    private static boolean isPrintableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < 0x20 || s.charAt(i) > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static byte[] take(ByteArrayInputStream data, int size) {
        byte[] bytes = new byte[size];
        int n = data.read(bytes, 0, size);
        return n == size || size == 0 ? bytes : Arrays.copyOf(bytes, Math.max(n, 0));
    }
}
