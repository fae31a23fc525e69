// podman load -i of the archive, with a private --root and --runroot (vfs: nothing mounted), finds each tag as
// image:tag (docker.io/library/image:tag, as Docker names it; never localhost/…), with the image's config (podman's
// image id) and diff_ids.
def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

File archive = new File(basedir, 'target/archive-podman-load-1.0-image.tar')
assert archive.isFile()
Map layout = tools.checkLayout(new File(basedir, 'target/oci'))
Map result = tools.json(new File(basedir, 'target/scratch-image.json')) as Map
assert result.digest == layout.manifestDigest

if (tools.require('load the archive with podman load', 'podman')) {
    File store = new File(basedir, 'target/podman')
    // podman refuses a runroot longer than 50 characters: a short one under /tmp, removed afterwards.
    File runroot = java.nio.file.Files.createTempDirectory('scratch-podman-').toFile()
    try {
        List<String> podman = [tools.path('podman'), '--root', new File(store, 'root').absolutePath,
                               '--runroot', runroot.absolutePath, '--tmpdir', new File(store, 'tmp').absolutePath,
                               '--storage-driver', 'vfs', '--events-backend', 'none']
        String loaded = tools.run(podman + ['load', '-i', archive.absolutePath])
        assert !loaded.contains('localhost/'): loaded
        String configHex = (layout.manifest.config.digest as String).substring(7)
        for (String tag : ['1.0', 'latest']) {
            List images = new groovy.json.JsonSlurper().parseText(
                    tools.run(podman + ['image', 'inspect', "archive-podman-load:$tag"])) as List
            assert images.size() == 1
            Map image = images[0] as Map
            // The image is the build's config and layers. Its manifest digest is podman's own: podman 4.3 loads the
            // archive through its manifest.json and stores a Docker v2 manifest, so only the config is compared.
            assert image.Id == configHex
            assert image.RootFS.Layers == layout.config.rootfs.diff_ids
            assert image.RepoTags.contains("docker.io/library/archive-podman-load:$tag" as String)
        }
    } finally {
        tools.deleteTree(runroot)
    }
}
return true
