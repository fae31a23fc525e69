package org.scratchimage.core.tar;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.scratchimage.core.compress.DigestingOutputStream;
import org.scratchimage.core.image.DirectoryEntry;
import org.scratchimage.core.image.FileDigest;
import org.scratchimage.core.image.LayerEntry;
import org.scratchimage.core.image.GeneratedFileEntry;
import org.scratchimage.core.image.RegularFileEntry;
import org.scratchimage.core.image.SymlinkEntry;

/**
 * Writes layer entries as a deterministic tar stream: ustar headers, a PAX extended header only for the
 * fields of an entry that ustar cannot hold, every mtime the build timestamp, and file contents streamed
 * from the host, read once.
 *
 * <p>PAX is needed for a path that is not ASCII or longer than ustar's 100-byte name plus 155-byte prefix,
 * a link target that is not ASCII or over 100 bytes, a size of 8 GiB or more, an id over 2097151, and an
 * mtime after the year 2242. The archive ends with two zero blocks and no record padding.
 *
 * <p>Asked to, it also takes the SHA-1 and SHA-256 of each regular file's content from the bytes it copies into the
 * tar ({@link #files()}): an SBOM lists them without a second read of any file.
 */
public final class LayerTarWriter {
    private static final int BUFFER = 64 * 1024;
    private static final byte[] ZERO_BLOCK = new byte[TarHeader.BLOCK];

    private final OutputStream out;
    private final long mtime;
    private final byte[] buffer = new byte[BUFFER];
    /** The digests of the regular files so far, or {@code null} when they are not taken. */
    private final List<FileDigest> files;
    private final MessageDigest sha1;
    private final MessageDigest sha256;
    private long entries;

    /**
     * @param out receives the tar bytes; not closed by this writer
     * @param mtime the timestamp of every entry, in seconds since the epoch
     */
    public LayerTarWriter(OutputStream out, long mtime) {
        this(out, mtime, false);
    }

    /**
     * @param out receives the tar bytes; not closed by this writer
     * @param mtime the timestamp of every entry, in seconds since the epoch
     * @param digestFiles whether to take the SHA-1 and SHA-256 of each regular file's content ({@link #files()})
     */
    public LayerTarWriter(OutputStream out, long mtime, boolean digestFiles) {
        if (mtime < 0) {
            throw new IllegalArgumentException("negative mtime " + mtime);
        }
        this.out = out;
        this.mtime = mtime;
        this.files = digestFiles ? new ArrayList<>() : null;
        this.sha1 = digestFiles ? DigestingOutputStream.newSha1() : null;
        this.sha256 = digestFiles ? DigestingOutputStream.newSha256() : null;
    }

    /**
     * @return the digests of the regular files written so far, in tar order, from the bytes written
     * @throws IllegalStateException if the writer was not asked to take them
     */
    public List<FileDigest> files() {
        if (files == null) {
            throw new IllegalStateException("file digests were not asked for");
        }
        return List.copyOf(files);
    }

    /** @return the number of entries written, PAX headers not counted */
    public long entries() {
        return entries;
    }

    /**
     * Writes one entry; a regular file's content is read from its source while it is written.
     *
     * @throws SourceChangedException if a file's size differs from the size the entry was planned with
     */
    public void write(LayerEntry entry) throws IOException {
        String name;
        byte type;
        if (entry instanceof DirectoryEntry) {
            name = entry.path().isEmpty() ? "./" : entry.path() + "/";
            type = TarHeader.DIRECTORY;
        } else if (entry instanceof SymlinkEntry) {
            name = entry.path();
            type = TarHeader.SYMLINK;
        } else {
            name = entry.path();
            type = TarHeader.REGULAR;
        }
        String linkName = entry instanceof SymlinkEntry s ? s.target() : "";
        long size = entry instanceof RegularFileEntry f ? f.size()
                : entry instanceof GeneratedFileEntry g ? g.size() : 0;
        writeHeader(name, type, linkName, entry.mode(), entry.uid(), entry.gid(), size);
        if (entry instanceof RegularFileEntry file) {
            copy(file);
        } else if (entry instanceof GeneratedFileEntry generated) {
            out.write(generated.content());
            if (files != null) {
                sha1.update(generated.content());
                sha256.update(generated.content());
                recordDigest(generated.path());
            }
            pad(size);
        }
        entries++;
    }

    /**
     * Writes a regular file owned by 0:0 whose content is given whole, such as a small JSON document.
     *
     * @param path the path in the archive, relative, without a trailing slash
     */
    public void write(String path, byte[] content, int mode) throws IOException {
        writeHeader(path, TarHeader.REGULAR, "", mode, 0, 0, content.length);
        out.write(content);
        if (files != null) {
            sha1.update(content);
            sha256.update(content);
            recordDigest(path);
        }
        pad(content.length);
        entries++;
    }

    /** Ends the archive with two zero blocks. Does not close the stream. */
    public void finish() throws IOException {
        out.write(ZERO_BLOCK);
        out.write(ZERO_BLOCK);
    }

    private void writeHeader(String name, byte type, String linkName, int mode, long uid, long gid, long size)
            throws IOException {
        PaxRecords pax = new PaxRecords();
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[][] split = isAscii(nameBytes) ? splitName(nameBytes) : null;
        if (split == null) {
            pax.add("path", name);
            split = new byte[][] {new byte[0], truncate(asciiFallback(nameBytes), TarHeader.NAME_LENGTH)};
        }
        byte[] linkBytes = linkName.getBytes(StandardCharsets.UTF_8);
        if (!isAscii(linkBytes) || linkBytes.length > TarHeader.NAME_LENGTH) {
            pax.add("linkpath", linkName);
            linkBytes = truncate(asciiFallback(linkBytes), TarHeader.NAME_LENGTH);
        }
        if (size > TarHeader.MAX_NUMBER) {
            pax.add("size", Long.toString(size));
        }
        if (uid > TarHeader.MAX_ID) {
            pax.add("uid", Long.toString(uid));
        }
        if (gid > TarHeader.MAX_ID) {
            pax.add("gid", Long.toString(gid));
        }
        if (mtime > TarHeader.MAX_NUMBER) {
            pax.add("mtime", Long.toString(mtime));
        }
        long headerMtime = Math.min(mtime, TarHeader.MAX_NUMBER);
        if (!pax.isEmpty()) {
            byte[] records = pax.bytes();
            byte[] paxName = truncate(("PaxHeaders/" + new String(split[1], StandardCharsets.US_ASCII))
                    .getBytes(StandardCharsets.US_ASCII), TarHeader.NAME_LENGTH);
            out.write(TarHeader.encode(paxName, new byte[0], TarHeader.PAX, new byte[0], 0644, 0, 0,
                    records.length, headerMtime));
            out.write(records);
            pad(records.length);
        }
        out.write(TarHeader.encode(split[1], split[0], type, linkBytes, mode,
                uid > TarHeader.MAX_ID ? 0 : uid,
                gid > TarHeader.MAX_ID ? 0 : gid,
                size > TarHeader.MAX_NUMBER ? 0 : size,
                headerMtime));
    }

    private void copy(RegularFileEntry file) throws IOException {
        long expected = file.size();
        long copied = 0;
        // A tree's file is opened without following links: swapped for a link since planning, it must not pull in
        // content from outside the tree.
        OpenOption[] options = file.followLinks() ? new OpenOption[0] : new OpenOption[] {LinkOption.NOFOLLOW_LINKS};
        try (InputStream in = Files.newInputStream(file.source(), options)) {
            while (copied < expected) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, expected - copied));
                if (n < 0) {
                    throw new SourceChangedException(file, copied);
                }
                out.write(buffer, 0, n);
                if (files != null) {
                    sha1.update(buffer, 0, n);
                    sha256.update(buffer, 0, n);
                }
                copied += n;
            }
            if (in.read(buffer, 0, 1) > 0) {
                throw new SourceChangedException(file, -1);
            }
        }
        if (files != null) {
            recordDigest(file.path());
        }
        pad(expected);
    }

    /** Ends the digests of one file's content (which also resets them) and records them. */
    private void recordDigest(String path) {
        HexFormat hex = HexFormat.of();
        files.add(new FileDigest(path, hex.formatHex(sha1.digest()), hex.formatHex(sha256.digest())));
    }

    private void pad(long length) throws IOException {
        int remainder = (int) (length % TarHeader.BLOCK);
        if (remainder != 0) {
            out.write(ZERO_BLOCK, 0, TarHeader.BLOCK - remainder);
        }
    }

    /** @return {prefix, name} if the ASCII path fits ustar, else {@code null} */
    static byte[][] splitName(byte[] name) {
        if (name.length <= TarHeader.NAME_LENGTH) {
            return new byte[][] {new byte[0], name};
        }
        if (name.length > TarHeader.PREFIX_LENGTH + 1 + TarHeader.NAME_LENGTH) {
            return null;
        }
        // The shortest prefix that leaves a name of at most 100 bytes; a directory's trailing '/' stays in the name.
        for (int slash = name.length - TarHeader.NAME_LENGTH - 1; slash <= TarHeader.PREFIX_LENGTH && slash < name.length - 1; slash++) {
            if (slash > 0 && name[slash] == '/') {
                byte[] prefix = Arrays.copyOfRange(name, 0, slash);
                byte[] rest = Arrays.copyOfRange(name, slash + 1, name.length);
                if (rest.length > 0 && rest[0] != '/') {
                    return new byte[][] {prefix, rest};
                }
            }
        }
        return null;
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0x20 || b > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static byte[] asciiFallback(byte[] bytes) {
        byte[] copy = bytes.clone();
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] < 0x20 || copy[i] > 0x7e) {
                copy[i] = '_';
            }
        }
        return copy;
    }

    private static byte[] truncate(byte[] bytes, int length) {
        return bytes.length <= length ? bytes : Arrays.copyOf(bytes, length);
    }

    /** PAX records in a fixed order: {@code "<length> <key>=<value>\n"}, the length counting itself. */
    private static final class PaxRecords {
        private final ByteArrayOutputStream records = new ByteArrayOutputStream();

        void add(String key, String value) {
            byte[] body = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
            int length = body.length + 1;
            while (Integer.toString(length).length() + body.length != length) {
                length = Integer.toString(length).length() + body.length;
            }
            records.writeBytes(Integer.toString(length).getBytes(StandardCharsets.US_ASCII));
            records.writeBytes(body);
        }

        boolean isEmpty() {
            return records.size() == 0;
        }

        byte[] bytes() {
            return records.toByteArray();
        }
    }
}
