package org.scratchimage.maven;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** The text of an I/O error in the goals' messages. */
final class IoMessages {
    private IoMessages() {}

    /** Java's file system exceptions often carry only a path: say what happened to it. */
    static String describe(IOException e) {
        if (!(e instanceof FileSystemException fs)) {
            return e.getMessage();
        }
        String what;
        if (fs.getReason() != null) {
            what = fs.getReason();
        } else if (fs instanceof AccessDeniedException) {
            what = "permission denied";
        } else if (fs instanceof NoSuchFileException) {
            what = "no such file or directory";
        } else if (fs instanceof FileAlreadyExistsException) {
            what = "it already exists, or a parent of it is not a directory";
        } else if (fs instanceof NotDirectoryException) {
            what = "not a directory";
        } else if (fs instanceof DirectoryNotEmptyException) {
            what = "directory not empty";
        } else {
            what = fs.getClass().getSimpleName();
        }
        return fs.getFile() + (fs.getOtherFile() == null ? "" : " -> " + fs.getOtherFile()) + ": " + what;
    }
}
