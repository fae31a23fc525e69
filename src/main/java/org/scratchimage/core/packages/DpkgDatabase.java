package org.scratchimage.core.packages;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;
import org.scratchimage.core.elf.HostReads;
import org.scratchimage.core.elf.Sysroot;

/**
 * What {@link DpkgReader} needs of a sysroot's dpkg database before it knows the image's files: the status file's
 * installed packages, in its order, and each one's {@code .list}. {@link #load} reads it on a thread of its own, so
 * that a host's 700 lists and 700 KB of status are read while the planning walks the image's trees, on the core the
 * walk leaves idle; the reader waits for it only when it needs it.
 *
 * <p>What goes wrong is kept, not reported: the reader reports it, on the build's thread and in the order it always
 * did, and only if the image has a file the database could own.
 */
public final class DpkgDatabase {
    /**
     * @param status the status file, resolved in the sysroot; {@code null} when the sysroot has none
     * @param statusError why the status file could not be read, or {@code null}
     * @param info the {@code info} folder, resolved in the sysroot; {@code null} when it cannot be
     * @param packages the status file's installed packages, in its order
     * @param paths what their {@code .list} files name, each path by the index in {@code packages} of its owner
     * @param warnings what the reader reports if it uses the database: malformed paragraphs, unreadable lists
     */
    record Loaded(Path status, IOException statusError, Path info, List<InstalledPackage> packages,
            ListedPaths paths, List<String> warnings) {}

    private final Path sysroot;
    private final FutureTask<Loaded> task;

    private DpkgDatabase(Path sysroot, FutureTask<Loaded> task) {
        this.sysroot = sysroot;
        this.task = task;
    }

    /**
     * Starts reading the database of {@code sysroot} on a daemon thread. The paths it reads are noted in the
     * {@link HostReads} recordings open now, as the build's own reads are.
     *
     * @param sysroot the root of the target's file system, {@code /} for the host
     */
    public static DpkgDatabase load(Path sysroot) {
        DpkgDatabase database = of(sysroot);
        Thread thread = new Thread(database.task, "scratch-dpkg");
        thread.setDaemon(true);
        thread.start();
        return database;
    }

    /** Reads the database of {@code sysroot} on the calling thread. */
    static DpkgDatabase loadHere(Path sysroot) {
        DpkgDatabase database = of(sysroot);
        database.task.run();
        return database;
    }

    private static DpkgDatabase of(Path sysroot) {
        Path root = sysroot.toAbsolutePath().normalize();
        return new DpkgDatabase(root, new FutureTask<>(() -> read(root)));
    }

    Path sysroot() {
        return sysroot;
    }

    /** @return the database, once read: waits for the thread that reads it */
    Loaded get() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    // The read is short and the planning needs it: finish waiting, then restore the flag.
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            // The read declares nothing checked: what it threw is a RuntimeException or an Error, a bug either way.
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) e.getCause();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Loaded read(Path sysroot) {
        List<String> warnings = new ArrayList<>();
        Consumer<String> warn = warnings::add;
        Path status = resolve(sysroot, "/var/lib/dpkg/status", warn);
        if (status == null || !Files.isRegularFile(status, LinkOption.NOFOLLOW_LINKS)) {
            return new Loaded(null, null, null, List.of(), null, warnings);
        }
        String text;
        try {
            text = text(status);
        } catch (IOException e) {
            return new Loaded(status, e, null, List.of(), null, warnings);
        }
        Path infoFolder = resolve(sysroot, "/var/lib/dpkg/info", warn);
        if (infoFolder == null) {
            return new Loaded(status, null, null, List.of(), null, warnings);
        }
        DpkgInfo info = new DpkgInfo(infoFolder, warn);
        List<InstalledPackage> packages = new ArrayList<>();
        ListedPaths paths = new ListedPaths();
        for (ControlFile.Paragraph paragraph : ControlFile.parse(text, status.toString(), warn)) {
            InstalledPackage installed = InstalledPackage.of(paragraph, status, warn);
            if (installed != null) {
                byte[] list = info.list(installed);
                if (list != null) {
                    paths.add(packages.size(), list);
                }
                packages.add(installed);
            }
        }
        return new Loaded(status, null, infoFolder, packages, paths, warnings);
    }

    /** Decoded leniently: an old copyright file in Latin-1 still gets copied, its licenses read as far as they can. */
    static String text(Path file) throws IOException {
        HostReads.note(file);
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    /** @return the host path of a sysroot path, links resolved inside the sysroot, or {@code null} on a link loop */
    static Path resolve(Path sysroot, String absolute, Consumer<String> warn) {
        try {
            return Sysroot.resolve(sysroot, absolute);
        } catch (IOException e) {
            warn.accept("Could not resolve " + absolute + " in " + sysroot + ": " + e);
            return null;
        }
    }
}
