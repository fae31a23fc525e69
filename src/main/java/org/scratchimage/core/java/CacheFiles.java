package org.scratchimage.core.java;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/** The keys of the caches under {@code target/}, and their small files, written whole or not at all. */
final class CacheFiles {
    private CacheFiles() {}

    /** A SHA-256 over length-prefixed fields, so that no two lists of fields give one key. */
    static final class Key {
        private final MessageDigest digest;

        Key() {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("Every JDK has SHA-256", e);
            }
        }

        Key add(String field) {
            byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
            digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
            digest.update(bytes);
            return this;
        }

        /** Adds what git's index records of a file: its path, size, times, inode and device. */
        Key addStamp(Path file) throws IOException {
            Map<String, Object> stamp = Files.readAttributes(file, "unix:ino,dev,size,lastModifiedTime,ctime");
            return add(file.toAbsolutePath().toString()).add(stamp.get("size") + " "
                    + ((FileTime) stamp.get("lastModifiedTime")).toInstant() + " "
                    + ((FileTime) stamp.get("ctime")).toInstant() + " " + stamp.get("ino") + " " + stamp.get("dev"));
        }

        String hex() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    /** @return the value stored under {@code key} in {@code file}, or {@code null} if it holds another key */
    static String read(Path file, String key) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        if (newline < 0 || !text.substring(0, newline).equals(key) || !text.endsWith("\n")) {
            return null;
        }
        return text.substring(newline + 1, text.length() - 1);
    }

    /** Stores {@code value} under {@code key} in {@code file}: a temporary file beside it, renamed over it. */
    static void write(Path file, String key, String value) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(temporary, key + "\n" + value + "\n", StandardCharsets.UTF_8);
            move(temporary, file);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
