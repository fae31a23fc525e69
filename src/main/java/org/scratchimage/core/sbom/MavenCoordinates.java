package org.scratchimage.core.sbom;

/**
 * The Maven project an image is built by: its package in the SBOM holds every file no Debian package owns.
 *
 * @param groupId the project's groupId
 * @param artifactId its artifactId
 * @param version its version
 */
public record MavenCoordinates(String groupId, String artifactId, String version) {}
