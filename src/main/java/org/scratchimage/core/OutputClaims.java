package org.scratchimage.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.scratchimage.core.oci.FolderKey;

/**
 * The output folders that the builds of one session write, each with the image it holds. A folder holds one image:
 * a second build of another image into it would replace the first one's, and each would then rebuild the other's
 * on every run. So the second fails before it writes anything. The same image written twice, as by two modules
 * configured alike, stays allowed: the builds take turns on the folder's lock, and the last one's tags win.
 *
 * <p>One instance per session; a later session starts empty, so renaming the image still replaces it. Folders are
 * known by their {@link FolderKey}: {@code out} and {@code alias -> out} are one. Safe for the builds of a
 * parallel reactor to claim at once.
 */
public final class OutputClaims {
    private final ConcurrentMap<Path, Claim> claims = new ConcurrentHashMap<>();

    /** The image a build writes into a folder, and the build, as errors name it. */
    private record Claim(String image, String build) {}

    /**
     * Claims the request's output folder for its image, or checks that it was claimed for the same image.
     *
     * @param request the build's request: its {@code <image>} and {@code <outputDirectory>}
     * @param build the build, as the error names it, such as {@code org.example:app execution "app-debug"}
     * @throws InvalidConfigurationException if an earlier build of this session claimed the folder for another
     *     image, or the image or folder is not valid
     * @throws IOException if the folder's real path cannot be found, such as a loop of links
     */
    public void claim(BuildRequest request, String build) throws InvalidConfigurationException, IOException {
        String image = Values.image("<image>", request.image());
        Path folder = FolderKey.of(ImageBuilder.outputDirectory(request));
        Claim first = claims.putIfAbsent(folder, new Claim(image, build));
        if (first != null && !first.image().equals(image)) {
            String name = image.substring(image.lastIndexOf('/') + 1);
            throw new InvalidConfigurationException("<outputDirectory>", folder.toString(),
                    "already holds image \"" + first.image() + "\" from " + first.build() + ", built earlier in this"
                            + " session; " + build + " would replace it with image \"" + image + "\", and a folder"
                            + " holds one image",
                    "give each its own <outputDirectory>, such as ${project.build.directory}/oci-" + name);
        }
    }
}
