package org.scratchimage.core.compress;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Passes bytes through while it counts them and computes their SHA-256. */
public final class DigestingOutputStream extends FilterOutputStream {
    private final MessageDigest sha256;
    private long size;

    public DigestingOutputStream(OutputStream out) {
        super(out);
        this.sha256 = newSha256();
    }

    /** @return a new SHA-256 digest; every JDK has one */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** @return a new SHA-1 digest, for the SBOM's file checksums; every JDK has one */
    public static MessageDigest newSha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }

    /** @return {@code sha256:} and the lowercase hex digest of {@code data} */
    public static String digestOf(byte[] data) {
        return "sha256:" + HexFormat.of().formatHex(newSha256().digest(data));
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        sha256.update((byte) b);
        size++;
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        out.write(data, offset, length);
        sha256.update(data, offset, length);
        size += length;
    }

    /** @return the number of bytes written so far */
    public long size() {
        return size;
    }

    /** @return {@code sha256:} and the lowercase hex digest of everything written; call once, at the end */
    public String digest() {
        return "sha256:" + HexFormat.of().formatHex(sha256.digest());
    }
}
