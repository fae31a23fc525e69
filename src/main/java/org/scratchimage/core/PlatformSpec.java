package org.scratchimage.core;

/**
 * One {@code <platforms>/<platform>} as the user wrote it: nothing is validated yet.
 *
 * @param name {@code os/arch[/variant]}
 * @param sysroot the platform's root file system, where its absolute sources, shared libraries, package metadata and
 *     CA bundle are found; {@code null} for {@code /}; relative to the project
 */
public record PlatformSpec(String name, String sysroot) {}
