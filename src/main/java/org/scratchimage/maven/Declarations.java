package org.scratchimage.maven;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.scratchimage.core.AccountSpec;
import org.scratchimage.core.PlatformSpec;
import org.scratchimage.core.BinarySpec;
import org.scratchimage.core.DirectorySpec;
import org.scratchimage.core.FileSpec;
import org.scratchimage.core.InvalidConfigurationException;
import org.scratchimage.core.SymlinkSpec;
import org.scratchimage.core.Values;

/**
 * Maps the list parameters of {@code scratch:build} ({@code <binaries>}, {@code <files>}, {@code <directories>},
 * {@code <symlinks>}, {@code <accounts>}) to the core's declarations, element by element, as Maven configured them.
 */
final class Declarations {
    private Declarations() {}

    static List<BinarySpec> binaries(List<ImageBinary> binaries) throws InvalidConfigurationException {
        return map(binaries, BinarySpec.builder().build(), (b, n) -> BinarySpec.builder().source(b.source)
                .path(b.path).mode(b.mode).uid(b.uid).gid(b.gid)
                .resolveLibraries(Values.flag("<binaries>/<binary>[" + n + "]/<resolveLibraries>", b.resolveLibraries))
                .layer(b.layer).build());
    }

    static List<FileSpec> files(List<ImageFile> files) throws InvalidConfigurationException {
        return map(files, FileSpec.builder().build(), (f, n) -> FileSpec.builder().source(f.source)
                .path(f.path).mode(f.mode).uid(f.uid).gid(f.gid).layer(f.layer).build());
    }

    static List<DirectorySpec> directories(List<ImageDirectory> directories) throws InvalidConfigurationException {
        return map(directories, DirectorySpec.builder().build(), (d, n) -> DirectorySpec.builder()
                .source(d.source).path(d.path).mode(d.mode).uid(d.uid).gid(d.gid).fileMode(d.fileMode)
                .directoryMode(d.directoryMode).includes(d.includes).excludes(d.excludes)
                .resolveLibraries(Values.flag("<directories>/<directory>[" + n + "]/<resolveLibraries>",
                        d.resolveLibraries))
                .layer(d.layer).build());
    }

    static List<SymlinkSpec> symlinks(List<ImageSymlink> symlinks) throws InvalidConfigurationException {
        return map(symlinks, SymlinkSpec.builder().build(), (s, n) -> SymlinkSpec.builder().path(s.path)
                .target(s.target).layer(s.layer).build());
    }

    static List<AccountSpec> accounts(List<ImageAccount> accounts) throws InvalidConfigurationException {
        return map(accounts, AccountSpec.builder().build(), (a, n) -> AccountSpec.builder().name(a.name).uid(a.uid)
                .gid(a.gid).home(a.home).shell(a.shell).groupName(a.groupName).build());
    }

    static List<PlatformSpec> platforms(List<ImagePlatform> platforms) throws InvalidConfigurationException {
        return map(platforms, new PlatformSpec(null, null), (p, n) -> new PlatformSpec(p.name, p.sysroot));
    }

    /**
     * Maps each element of a list parameter to its declaration. An empty element such as {@code <binary/>} arrives
     * as an object with nothing set (or as {@code null}): it becomes {@code null}, which the build reports as
     * {@code <binaries>/<binary>[n] is empty}, not as a complaint about its first missing child.
     *
     * @param empty the declaration with nothing set, which an empty element maps to
     */
    private static <P, S extends Record> List<S> map(List<P> parameters, S empty, Declaration<P, S> toSpec)
            throws InvalidConfigurationException {
        List<S> specs = new ArrayList<>();
        if (parameters != null) {
            for (P parameter : parameters) {
                S spec = parameter == null ? null : toSpec.map(parameter, specs.size() + 1);
                specs.add(spec == null || sameComponents(empty, spec) ? null : spec);
            }
        }
        return specs;
    }

    /**
     * Compares two declarations component by component, so that a component added later is compared too. Not with
     * the record's own {@code equals}: its first call bootstraps {@code java.lang.runtime.ObjectMethods}, which cost
     * about 40 ms of every build, an up-to-date one included (measured with {@code -X} timestamps, 2026-11-30).
     */
    static boolean sameComponents(Record one, Record other) {
        try {
            for (RecordComponent component : one.getClass().getRecordComponents()) {
                Method accessor = component.getAccessor();
                if (!Objects.equals(accessor.invoke(one), accessor.invoke(other))) {
                    return false;
                }
            }
            return true;
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("The accessors of a public record cannot fail: " + e, e);
        }
    }

    /** Maps the {@code n}th element of a list parameter, counted from 1, to its declaration. */
    @FunctionalInterface
    private interface Declaration<P, S> {
        S map(P parameter, int n) throws InvalidConfigurationException;
    }
}
