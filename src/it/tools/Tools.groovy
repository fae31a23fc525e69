import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import java.nio.file.Files
import java.nio.file.LinkOption
import java.nio.file.Path
import java.nio.file.attribute.PosixFileAttributes
import java.nio.file.attribute.PosixFilePermissions
import java.security.MessageDigest
import java.util.concurrent.TimeUnit
import java.util.zip.GZIPInputStream

/**
 * Helpers shared by the integration tests' scripts: finding and running the real clients (umoci, runc, skopeo,
 * oci-image-tool, tar), reading an OCI layout, checking build.log. A script loads them with
 * <pre>
 * def tools = new GroovyClassLoader(getClass().classLoader)
 *         .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)
 * </pre>
 * A check that needs a missing client fails when the environment variable CI is "true"; anywhere else it is
 * skipped with a warning on the console of the outer build.
 */
class Tools {
    private static final List<String> SYSTEM_PATH =
            ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']
    private static final String INSTALL_HINT =
            'apt-get install -y skopeo umoci runc oci-image-tool busybox-static docker-registry apache2-utils podman nginx-light curl'
    /** The invoker sends System.out to build.log while a script runs; warnings go to the real stdout too. */
    private static final PrintStream CONSOLE = new PrintStream(new FileOutputStream(FileDescriptor.out), true, 'UTF-8')

    final File basedir
    /** The test's folder name, in messages and container ids. */
    final String name

    Tools(File basedir) {
        this.basedir = basedir
        this.name = basedir.name
    }

    // ---- finding the clients

    /** @return the absolute path of an executable on PATH or in the usual system folders, or null */
    static String find(String tool) {
        List<String> dirs = (System.getenv('PATH') ?: '').split(File.pathSeparator).findAll { it } + SYSTEM_PATH
        for (String dir : dirs) {
            File candidate = new File(dir, tool)
            if (candidate.isFile() && candidate.canExecute()) {
                return candidate.absolutePath
            }
        }
        return null
    }

    /** @return the path of a tool the caller already required */
    static String path(String tool) {
        String found = find(tool)
        assert found != null: "$tool is not installed"
        return found
    }

    /**
     * @return true if every tool is installed; otherwise fails under CI=true, else warns on the console and
     *     returns false so that the caller skips the check
     */
    boolean require(String purpose, String... tools) {
        List<String> missing = tools.findAll { find(it) == null }
        if (missing.isEmpty()) {
            return true
        }
        String problem = "$name: ${missing.join(', ')} not found, needed to $purpose"
        if (System.getenv('CI') == 'true') {
            throw new AssertionError("$problem. CI=true, so this is a failure: install it ($INSTALL_HINT)")
        }
        warn("SKIPPED CHECK: $problem. Install it ($INSTALL_HINT); with CI=true this fails instead of skipping.")
        return false
    }

    /** Where .ci/run prepares the arm64 sysroot with .ci/arm64-sysroot, when SCRATCH_ARM64_SYSROOT is not set. */
    static final String ARM64_SYSROOT_DEFAULT = '/var/cache/scratch/arm64-sysroot'

    /**
     * The arm64 Debian sysroot of the multi-platform tests: SCRATCH_ARM64_SYSROOT (which .ci/run exports), else
     * /var/cache/scratch/arm64-sysroot, holding an arm64 /bin/busybox; and qemu-user-static registered in
     * binfmt_misc, so that runc runs its programs.
     *
     * @return the sysroot; null when it or qemu is missing (fails under CI=true, else warns so the test is skipped)
     */
    File arm64Sysroot() {
        String configured = System.getenv('SCRATCH_ARM64_SYSROOT') ?: ARM64_SYSROOT_DEFAULT
        File sysroot = new File(configured)
        File busybox = new File(sysroot, 'bin/busybox')
        File qemu = new File('/proc/sys/fs/binfmt_misc/qemu-aarch64')
        String problem = null
        if (!busybox.isFile()) {
            problem = "no arm64 sysroot: $busybox does not exist"
        } else if (!isElfMachine(busybox, 183)) {
            problem = "$busybox is not an arm64 program"
        } else if (!qemu.isFile() || !qemu.getText('UTF-8').startsWith('enabled')) {
            problem = 'qemu-user-static is not registered for arm64 in /proc/sys/fs/binfmt_misc'
        }
        if (problem == null) {
            return sysroot
        }
        String fix = 'run .ci/arm64-sysroot DIR as root (after apt-get update) and export SCRATCH_ARM64_SYSROOT=DIR'
        if (System.getenv('CI') == 'true') {
            throw new AssertionError("$name: $problem. CI=true, so this is a failure: $fix")
        }
        warn("SKIPPED TEST: $name: $problem. To run it, $fix; with CI=true this fails instead of skipping.")
        return null
    }

    /** Whether the file is a 64-bit little-endian ELF file for the given e_machine (62 x86-64, 183 AArch64). */
    static boolean isElfMachine(File file, int machine) {
        byte[] header = new byte[20]
        file.withInputStream { InputStream input -> input.readNBytes(header, 0, 20) }
        return header[0] == 0x7f && header[1] == ('E' as char) && header[2] == ('L' as char)
                && header[3] == ('F' as char) && header[4] == 2 && header[5] == 1
                && ((header[18] & 0xff) | ((header[19] & 0xff) << 8)) == machine
    }

    static void warn(String message) {
        println "[WARNING] $message"
        CONSOLE.println("[WARNING] [it] $message")
    }

    // ---- running processes

    /**
     * Runs a command with stdout and stderr merged, UTC time and the C locale, and kills it after the timeout.
     *
     * @return [exit: exit code, out: the output]
     */
    Map exec(List command, Map options = [:]) {
        List<String> args = command.collect { it.toString() }
        int timeout = (options.timeout ?: 120) as int
        ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true)
        builder.directory((options.dir ?: basedir) as File)
        builder.environment().put('TZ', 'UTC')
        builder.environment().put('LC_ALL', 'C')
        Process process = builder.start()
        process.outputStream.close()
        ByteArrayOutputStream output = new ByteArrayOutputStream()
        Thread reader = Thread.start { process.inputStream.transferTo(output) }
        boolean finished = process.waitFor(timeout, TimeUnit.SECONDS)
        if (!finished) {
            process.destroyForcibly()
            process.waitFor(10, TimeUnit.SECONDS)
        }
        reader.join(10_000)
        String text = output.toString('UTF-8')
        println "\$ ${args.join(' ')}\n$text"
        if (!finished) {
            throw new AssertionError("${args.join(' ')} did not finish within $timeout s; output:\n$text")
        }
        return [exit: process.exitValue(), out: text]
    }

    /** Runs a command that must succeed; returns its output. */
    String run(List command, Map options = [:]) {
        Map result = exec(command, options)
        assert result.exit == 0: "${command.join(' ')} exited with ${result.exit}:\n${result.out}"
        return result.out
    }

    static void deleteTree(File dir) {
        if (dir.exists() || Files.isSymbolicLink(dir.toPath())) {
            // rm never follows the links inside the tree; an unpacked rootfs holds links to anywhere.
            Process rm = new ProcessBuilder('rm', '-rf', '--', dir.absolutePath).inheritIO().start()
            assert rm.waitFor() == 0: "could not delete $dir"
        }
    }

    // ---- the OCI layout

    static Object json(File file) {
        return new JsonSlurper().parse(file, 'UTF-8')
    }

    static String sha256(File file) {
        MessageDigest digest = MessageDigest.getInstance('SHA-256')
        file.withInputStream { InputStream input ->
            byte[] buffer = new byte[65536]
            for (int n = input.read(buffer); n >= 0; n = input.read(buffer)) {
                digest.update(buffer, 0, n)
            }
        }
        return 'sha256:' + digest.digest().encodeHex().toString()
    }

    static File blob(File layout, String digest) {
        assert digest ==~ /sha256:[a-f0-9]{64}/: "not a sha256 digest: $digest"
        return new File(layout, 'blobs/sha256/' + digest.substring(7))
    }

    static List<String> names(File dir) {
        assert dir.isDirectory(): "$dir is not a directory"
        return (dir.list() as List<String>).sort()
    }

    /**
     * Checks, without the plugin's code, that a layout holds exactly oci-layout, index.json and blobs/sha256/, and
     * that blobs/sha256/ holds exactly the blobs the index references, each with the size and sha256 its
     * descriptor gives.
     *
     * @return [index:, manifest:, config:, manifestDigest:, layers: [[name:, file:, mediaType:, diffId:]] bottom
     *     first, layer: (the layer blob of a single-layer image, else null), layerMediaType: (the same for all
     *     layers), diffId: (of a single-layer image), tags: (in index order), blobs: (the file names)]
     */
    Map checkLayout(File layout) {
        Map index = checkLayoutFiles(layout)
        Set<String> referenced = [] as Set
        Map top = checkTopEntries(layout, index, 'application/vnd.oci.image.manifest.v1+json', referenced)
        List<String> tags = top.tags
        String manifestDigest = top.digest
        Map image = checkImage(layout, manifestDigest, referenced)
        List<Map> referrers = top.referrers.collect { checkReferrer(layout, it, manifestDigest, referenced) }
        List<String> blobs = checkNoOtherBlobs(layout, referenced)
        List<Map> layers = image.layers
        boolean single = layers.size() == 1
        return [index: index, manifest: image.manifest, config: image.config, manifestDigest: manifestDigest,
                layers: layers, layer: single ? layers[0].file : null, layerMediaType: layers[0].mediaType,
                diffId: single ? layers[0].diffId : null, tags: tags, blobs: blobs, referrers: referrers]
    }

    /**
     * Checks, without the plugin's code, the layout of a multi-platform build: every tag in index.json names the same
     * image index (no platform on the entry), whose manifests each carry a platform and are checked as checkLayout
     * checks an image; then the referrers (one SBOM per platform, untagged, in the index's order, each with its
     * platform's manifest as subject); and blobs/sha256/ holds exactly the blobs referenced, each once.
     *
     * @return [index:, imageIndex:, indexDigest:, tags:, images: [[platform: 'os/arch[/variant]', manifestDigest:,
     *     manifest:, config:, layers:]] in index order, referrers: [[digest:, manifest:, content:]], blobs:]
     */
    Map checkIndexLayout(File layout) {
        Map index = checkLayoutFiles(layout)
        Set<String> referenced = [] as Set
        Map top = checkTopEntries(layout, index, 'application/vnd.oci.image.index.v1+json', referenced)
        List<String> tags = top.tags
        List<Map> referrerEntries = top.referrers
        String indexDigest = top.digest
        Map imageIndex = json(blob(layout, indexDigest)) as Map
        assert imageIndex.schemaVersion == 2
        assert imageIndex.mediaType == 'application/vnd.oci.image.index.v1+json'
        List<Map> images = []
        for (Map descriptor : imageIndex.manifests) {
            assert descriptor.mediaType == 'application/vnd.oci.image.manifest.v1+json'
            checkBlob(layout, descriptor, referenced)
            Map platform = descriptor.platform as Map
            assert platform != null && platform.os && platform.architecture: "no platform on $descriptor"
            Map image = checkImage(layout, descriptor.digest as String, referenced)
            assert image.config.os == platform.os && image.config.architecture == platform.architecture
            assert image.config.variant == platform.variant
            String name = [platform.os, platform.architecture, platform.variant].findAll { it }.join('/')
            images << image + [platform: name, manifestDigest: descriptor.digest]
        }
        assert images*.platform.unique(false) == images*.platform: "a platform comes twice: ${images*.platform}"
        assert referrerEntries.isEmpty() || referrerEntries.size() == images.size(): 'one referrer per platform'
        List<Map> referrers = []
        referrerEntries.eachWithIndex { Map entry, int i ->
            referrers << checkReferrer(layout, entry, images[i].manifestDigest as String, referenced)
        }
        List<String> blobs = checkNoOtherBlobs(layout, referenced)
        return [index: index, imageIndex: imageIndex, indexDigest: indexDigest, tags: tags, images: images,
                referrers: referrers, blobs: blobs]
    }

    /**
     * The entries of index.json: first the tagged ones, which all name one image (or, for a multi-platform build, one
     * image index, with no platform of its own), then the referrers (the SBOMs), untagged image manifests; each blob
     * present with its size and digest.
     *
     * @param mediaType what the tags name: an image manifest or an image index
     * @return [tags: (in index order), digest: (of what they name), referrers: (their descriptors, in index order)]
     */
    private static Map checkTopEntries(File layout, Map index, String mediaType, Set<String> referenced) {
        List<String> tags = []
        Set<String> digests = [] as Set
        List<Map> referrers = []
        for (Map descriptor : index.manifests) {
            checkBlob(layout, descriptor, referenced)
            if (descriptor.artifactType != null) {
                assert descriptor.mediaType == 'application/vnd.oci.image.manifest.v1+json'
                assert descriptor.annotations == null
                referrers << descriptor
                continue
            }
            assert referrers.isEmpty(): 'the images come first in index.json'
            assert descriptor.mediaType == mediaType: "a tag names a $mediaType: $descriptor"
            if (mediaType == 'application/vnd.oci.image.index.v1+json') {
                assert descriptor.platform == null: 'an image index has no platform of its own'
            }
            tags << descriptor.annotations['org.opencontainers.image.ref.name']
            digests << descriptor.digest
        }
        assert digests.size() == 1: "every tag names the same ${mediaType.contains('index') ? 'image index' : 'image'}"
        return [tags: tags, digest: digests.first(), referrers: referrers]
    }

    /** oci-layout, index.json and blobs/sha256/, nothing else; @return index.json */
    private static Map checkLayoutFiles(File layout) {
        assert names(layout) == ['blobs', 'index.json', 'oci-layout']: "$layout holds ${names(layout)}"
        assert new File(layout, 'oci-layout').getText('UTF-8') == '{"imageLayoutVersion":"1.0.0"}'
        assert names(new File(layout, 'blobs')) == ['sha256']
        Map index = json(new File(layout, 'index.json')) as Map
        assert index.schemaVersion == 2
        assert index.mediaType == 'application/vnd.oci.image.index.v1+json'
        assert !index.manifests.isEmpty()
        return index
    }

    /** The blob of a descriptor: present, with its size and digest; its name added to referenced. */
    private static File checkBlob(File layout, Map descriptor, Set<String> referenced) {
        File file = blob(layout, descriptor.digest as String)
        assert file.isFile(): "blob ${descriptor.digest} is missing"
        assert file.length() == (descriptor.size as long): "blob ${descriptor.digest} has the wrong size"
        assert sha256(file) == descriptor.digest: "blob ${descriptor.digest} does not match its digest"
        referenced << file.name
        return file
    }

    /**
     * An image manifest, its config and its layers: diff_ids of the uncompressed tars, one named history entry per
     * layer.
     *
     * @return [manifest:, config:, layers: [[name:, file:, mediaType:, diffId:]] bottom first]
     */
    private static Map checkImage(File layout, String manifestDigest, Set<String> referenced) {
        Map manifest = json(blob(layout, manifestDigest)) as Map
        assert manifest.schemaVersion == 2
        assert manifest.mediaType == 'application/vnd.oci.image.manifest.v1+json'
        assert manifest.config.mediaType == 'application/vnd.oci.image.config.v1+json'
        Map config = json(checkBlob(layout, manifest.config as Map, referenced)) as Map
        assert !manifest.layers.isEmpty()
        assert config.rootfs.type == 'layers'
        assert config.rootfs.diff_ids.size() == manifest.layers.size()
        // One history entry per layer, none empty, each named after its layer.
        assert config.history.size() == manifest.layers.size()
        List<Map> layers = []
        manifest.layers.eachWithIndex { Map descriptor, int i ->
            File file = checkBlob(layout, descriptor, referenced)
            String mediaType = descriptor.mediaType
            String diffId = config.rootfs.diff_ids[i]
            // The diff_id is the digest of the uncompressed tar; the blob's digest is of what is stored.
            if (!mediaType.endsWith('+zstd')) {
                assert diffId == (mediaType.endsWith('+gzip') ? gunzipSha256(file) : sha256(file))
            }
            assert !config.history[i].empty_layer
            String name = config.history[i].comment
            assert name ==~ /[a-z0-9]+(?:[._-][a-z0-9]+)*/: "history[$i] names no layer: ${config.history[i]}"
            layers << [name: name, file: file, mediaType: mediaType, diffId: diffId]
        }
        assert layers*.name.unique(false) == layers*.name: "a layer name comes twice: ${layers*.name}"
        assert layers*.mediaType.unique(false).size() == 1: 'every layer has the same codec'
        return [manifest: manifest, config: config, layers: layers]
    }

    /** A referrer entry of index.json whose subject is the given manifest; @return [digest:, manifest:, content:] */
    private static Map checkReferrer(File layout, Map entry, String subject, Set<String> referenced) {
        Map referrer = json(blob(layout, entry.digest as String)) as Map
        assert referrer.artifactType == entry.artifactType
        assert referrer.subject.digest == subject
        assert referrer.config.mediaType == 'application/vnd.oci.empty.v1+json'
        assert checkBlob(layout, referrer.config as Map, referenced).getText('UTF-8') == '{}'
        referrer.layers.each { checkBlob(layout, it as Map, referenced) }
        return [digest: entry.digest, manifest: referrer, content: blob(layout, referrer.layers[0].digest as String)]
    }

    /** blobs/sha256 holds exactly the referenced blobs; @return their names, sorted */
    private static List<String> checkNoOtherBlobs(File layout, Set<String> referenced) {
        List<String> blobs = names(new File(layout, 'blobs/sha256'))
        assert blobs as Set == referenced: "blobs/sha256 holds ${blobs}, the index references ${referenced}"
        return blobs
    }

    /** The layer's tar, decompressed with the JDK's reader when it is gzip. */
    static byte[] layerTar(File layer) {
        byte[] bytes = layer.bytes
        if (bytes.length >= 2 && bytes[0] == (byte) 0x1f && bytes[1] == (byte) 0x8b) {
            return new GZIPInputStream(new ByteArrayInputStream(bytes)).bytes
        }
        return bytes
    }

    static String gunzipSha256(File layer) {
        return 'sha256:' + MessageDigest.getInstance('SHA-256').digest(layerTar(layer)).encodeHex().toString()
    }

    static boolean contains(byte[] haystack, String needle) {
        byte[] n = needle.getBytes('UTF-8')
        outer:
        for (int i = 0; i + n.length <= haystack.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer
                }
            }
            return true
        }
        return false
    }

    /**
     * GNU tar's own listing of a layer blob: path (without a trailing slash) to
     * [mode: 'drwxr-xr-x', uid:, gid:, size:, time: 'yyyy-MM-dd HH:mm:ss' (UTC), link: symlink target or null].
     */
    Map<String, Map> listLayer(File layer, boolean gzip) {
        String out = run([path('tar'), '--numeric-owner', '--full-time', gzip ? '-tvzf' : '-tvf', layer.path])
        Map<String, Map> entries = [:]
        def line = ~/^(\S{10}) (\d+)\/(\d+) +(\d+) (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (.+?)(?: -> (.*))?$/
        out.readLines().findAll { it }.each { String text ->
            def m = line.matcher(text)
            assert m.matches(): "unexpected tar listing line: $text"
            String entryPath = m.group(6).replaceAll('/$', '')
            assert !entries.containsKey(entryPath): "$entryPath is twice in the layer"
            entries[entryPath] = [mode: m.group(1), uid: m.group(2) as long, gid: m.group(3) as long,
                    size: m.group(4) as long, time: m.group(5), link: m.group(7)]
        }
        assert !entries.isEmpty(): "tar listed nothing:\n$out"
        return entries
    }

    /**
     * The image as a runtime sees it, from GNU tar's listing of every layer applied bottom first. A path in several
     * layers must be the same directory in each: the plugin never lets a layer change what a lower one holds.
     */
    Map<String, Map> listImage(Map layout) {
        Map<String, Map> image = [:]
        for (Map layer : layout.layers as List<Map>) {
            listLayer(layer.file as File, (layer.mediaType as String).endsWith('+gzip')).each { String p, Map e ->
                if (image.containsKey(p)) {
                    assert e.mode.startsWith('d') && image[p] == e: "$p differs between layers: ${image[p]} and $e"
                }
                image[p] = e
            }
        }
        return image
    }

    // ---- real clients

    /** umoci unpack (as root, so not --rootless: owners and modes are applied for real) into target/NAME. */
    File unpack(File layout, String tag, String bundleName) {
        File bundle = new File(basedir, 'target/' + bundleName)
        deleteTree(bundle)
        run([path('umoci'), 'unpack', '--image', "${layout.absolutePath}:$tag", bundle.absolutePath])
        assert new File(bundle, 'rootfs').isDirectory()
        return bundle
    }

    /**
     * runc run of an unpacked bundle, under an id no other test uses; the container is deleted however the
     * run ends.
     *
     * @return the container's output
     */
    String runContainer(File bundle, int timeoutSeconds = 60) {
        File configFile = new File(bundle, 'config.json')
        Map config = json(configFile) as Map
        config.process.terminal = false
        configFile.setText(JsonOutput.toJson(config), 'UTF-8')
        String id = "scratch-it-$name-${ProcessHandle.current().pid()}-${System.nanoTime()}"
        try {
            return run([path('runc'), 'run', '--bundle', bundle.absolutePath, id], [timeout: timeoutSeconds])
        } finally {
            exec([path('runc'), 'delete', '-f', id])
        }
    }

    // ---- containers that keep running (a server, a toolkit attached to it)

    /**
     * runc run -d of an unpacked bundle, under an id no other test uses, after configure (if given) changed its
     * config.json (parsed: process, linux.namespaces, ...). stdin is /dev/null; the container's stdout and stderr
     * go to target/ROLE.stdout and target/ROLE.stderr. The caller deletes the container with deleteContainer in a
     * finally; when starting fails, this deletes it before it throws.
     *
     * @return [id:, pid: (the container's first process, as the host sees it), stdout: File, stderr: File]
     */
    Map startContainer(File bundle, String role, Closure configure = null) {
        File configFile = new File(bundle, 'config.json')
        Map config = json(configFile) as Map
        config.process.terminal = false
        if (configure != null) {
            configure(config)
        }
        configFile.setText(JsonOutput.toJson(config), 'UTF-8')
        String id = "scratch-it-$name-$role-${ProcessHandle.current().pid()}-${System.nanoTime()}"
        File stdout = new File(basedir, "target/${role}.stdout")
        File stderr = new File(basedir, "target/${role}.stderr")
        List<String> command = [path('runc'), 'run', '--detach', '--bundle', bundle.absolutePath, id]
        println "\$ ${command.join(' ')}"
        try {
            Process runc = new ProcessBuilder(command).directory(basedir)
                    .redirectInput(new File('/dev/null')).redirectOutput(stdout).redirectError(stderr).start()
            boolean finished = runc.waitFor(60, TimeUnit.SECONDS)
            if (!finished) {
                runc.destroyForcibly()
            }
            assert finished && runc.exitValue() == 0: "runc run --detach $id failed:\n${stdout.text}${stderr.text}"
            return [id: id, pid: state(id).pid as long, stdout: stdout, stderr: stderr]
        } catch (Throwable failure) {
            deleteContainer(id)
            throw failure
        }
    }

    /** runc state: [status: 'running'|'stopped'|..., pid:, bundle:, ...]. */
    Map state(String id) {
        String out = run([path('runc'), 'state', id])
        return new JsonSlurper().parseText(out.substring(out.indexOf('{'))) as Map
    }

    /** runc exec of a command in a running container; options: user: 'uid:gid', caps: ['CAP_...'], timeout:. */
    Map execIn(String id, List command, Map options = [:]) {
        List args = [path('runc'), 'exec']
        if (options.user) {
            args += ['--user', options.user]
        }
        (options.caps ?: []).each { args += ['--cap', it] }
        return exec(args + [id] + command, [timeout: options.timeout ?: 60])
    }

    /** runc delete --force: kills the container if it still runs. Never throws, for finally blocks. */
    void deleteContainer(String id) {
        if (id != null) {
            Map deleted = exec([path('runc'), 'delete', '--force', id])
            if (deleted.exit != 0) {
                warn("$name: could not delete the runc container $id: ${deleted.out.trim()}")
            }
        }
    }

    /**
     * Runs a command until it succeeds, as when a server has just been started and may not listen yet.
     *
     * @return the output of the first successful run
     */
    String retry(List command, int seconds = 20) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds)
        Map result = exec(command)
        while (result.exit != 0 && System.nanoTime() < deadline) {
            Thread.sleep(200)
            result = exec(command)
        }
        assert result.exit == 0: "${command.join(' ')} still failed after $seconds s:\n${result.out}"
        return result.out
    }

    /** skopeo inspect of DIR:TAG: the image summary, or with config = true the image config itself. */
    Map skopeoInspect(File layout, String tag, boolean config = false) {
        String reference = "oci:${layout.absolutePath}:$tag"
        String out = run([path('skopeo'), 'inspect'] + (config ? ['--config'] : []) + [reference])
        return new JsonSlurper().parseText(out.substring(out.indexOf('{'))) as Map
    }

    /** The blobs of the layout's referrers (the SBOM): their manifests, configs and layers, by file name. */
    List<String> referrerBlobs(File layout) {
        List<String> names = []
        for (Map entry : (json(new File(layout, 'index.json')) as Map).manifests) {
            if (entry.artifactType != null) {
                Map referrer = json(blob(layout, entry.digest as String)) as Map
                names << (entry.digest as String).substring(7)
                names << (referrer.config.digest as String).substring(7)
                referrer.layers.each { names << (it.digest as String).substring(7) }
            }
        }
        return names
    }

    /** skopeo copy to a new layout, which reads every blob and verifies its digest; returns the copy. */
    File skopeoCopy(File layout, String tag, String copyName) {
        File copy = new File(basedir, 'target/' + copyName)
        deleteTree(copy)
        // Keep every blob as it is (skopeo would otherwise compress an uncompressed layer) and refuse to rewrite.
        run([path('skopeo'), '--insecure-policy', 'copy', '--preserve-digests', '--dest-oci-accept-uncompressed-layers',
             "oci:${layout.absolutePath}:$tag", "oci:${copy.absolutePath}:$tag"])
        return copy
    }

    /** oci-image-tool validate: layout, JSON schemas, digests and sizes. */
    void validate(File layout, String tag) {
        String out = run([path('oci-image-tool'), 'validate', '--type', 'image', '--ref', "name=$tag",
                          layout.absolutePath])
        assert out.contains('Validation succeeded'): out
    }

    /** Digests checked by skopeo copy, the layout by oci-image-tool; each skipped (failed under CI) if missing. */
    void checkWithClients(File layout, String tag) {
        if (require('verify every blob digest with skopeo copy', 'skopeo')) {
            File copy = skopeoCopy(layout, tag, "skopeo-copy-${layout.name}")
            // skopeo kept every blob as it was: nothing needed converting. It copies the image, not its referrers.
            List<String> blobs = names(new File(layout, 'blobs/sha256')) - referrerBlobs(layout)
            assert names(new File(copy, 'blobs/sha256')) == blobs
            blobs.each {
                assert new File(copy, "blobs/sha256/$it").bytes == new File(layout, "blobs/sha256/$it").bytes
            }
        }
        if (require('validate the layout with oci-image-tool', 'oci-image-tool')) {
            validate(layout, tag)
        }
    }

    static Object mode(File file) {
        return Files.getAttribute(file.toPath(), 'unix:mode', LinkOption.NOFOLLOW_LINKS) & 07777
    }

    static Map owner(File file) {
        Path p = file.toPath()
        return [uid: Files.getAttribute(p, 'unix:uid', LinkOption.NOFOLLOW_LINKS),
                gid: Files.getAttribute(p, 'unix:gid', LinkOption.NOFOLLOW_LINKS)]
    }

    // ---- failure tests: a valid build, then a broken one that must leave its layout as it was

    /** Where the first, valid build of a failure test writes its layout. */
    File layoutDir() {
        return new File(basedir, 'target/oci')
    }

    /** The copy (cp -a, times kept) that the broken profile makes of the layout just before the broken build. */
    File snapshotDir() {
        return new File(basedir, 'target/oci-before')
    }

    /**
     * Every entry of a tree, links not followed: its path relative to dir ('' for dir itself) mapped to
     * [type:, mode:, size:, mtime: (nanoseconds), sha256: (files), link: (links)].
     */
    static Map<String, Map> describeTree(File dir) {
        Path root = dir.toPath()
        assert Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS): "$dir is not a directory"
        Map<String, Map> entries = new TreeMap<>()
        Files.walk(root).withCloseable { stream ->
            stream.forEach { Path p ->
                PosixFileAttributes attributes = Files.readAttributes(p, PosixFileAttributes, LinkOption.NOFOLLOW_LINKS)
                String type = attributes.isRegularFile() ? 'file' : attributes.isDirectory() ? 'directory'
                        : attributes.isSymbolicLink() ? 'link' : 'special'
                entries[root.relativize(p).toString()] = [
                        type  : type,
                        mode  : PosixFilePermissions.toString(attributes.permissions()),
                        size  : type == 'file' ? attributes.size() : null,
                        mtime : attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                        sha256: type == 'file' ? sha256(p.toFile()) : null,
                        link  : type == 'link' ? Files.readSymbolicLink(p).toString() : null]
            }
        }
        return entries
    }

    /**
     * Checks that the layout is still the one the snapshot recorded: the same names (so no staging folder left), and
     * for each the same type, permissions, size, sha256 and modification time, so no file was even rewritten. A
     * build that failed while writing made and removed its staging folder, which changes the times of the layout's
     * folder: pass directoriesTouched = true for those.
     */
    void assertLayoutUnchanged(boolean directoriesTouched = false) {
        File layout = layoutDir()
        File snapshot = snapshotDir()
        assert snapshot.isDirectory(): "no snapshot $snapshot: the broken profile's snapshot step did not run"
        Map<String, Map> before = describeTree(snapshot)
        Map<String, Map> after = describeTree(layout)
        assert before.containsKey('index.json') && before.containsKey('blobs/sha256'): \
                "the first build wrote no layout: $snapshot holds ${before.keySet()}"
        Set<String> added = after.keySet() - before.keySet()
        Set<String> removed = before.keySet() - after.keySet()
        assert added.isEmpty() && removed.isEmpty(): "the failed build added $added and removed $removed in $layout"
        before.each { String entry, Map was ->
            Map now = after[entry]
            Map expected = directoriesTouched && was.type == 'directory' ? was + [mtime: now.mtime] : was
            assert now == expected: "${entry ?: '.'} changed in $layout: was $was, is $now"
        }
        // Still a complete, valid layout, unless the test itself put something next to it.
        if (names(snapshot) == ['blobs', 'index.json', 'oci-layout']) {
            checkLayout(layout)
        }
    }

    /** Fails if build.log holds a Java stack trace or a NullPointerException. */
    void assertNoStackTrace(String log = buildLog()) {
        String trace = log.readLines().find {
            it ==~ /\s+at [\w.$\/]+ ?\(.*/ || it.startsWith('Caused by:') || it.startsWith('Exception in thread')
        }
        assert trace == null: "build.log holds a stack trace: $trace"
        assert !log.contains('NullPointerException')
    }

    /** The line on which Maven reports that scratch:build failed; there must be exactly one. */
    String scratchErrorLine(String log = buildLog()) {
        List<String> errors = log.readLines().findAll {
            it.startsWith('[ERROR] Failed to execute goal org.scratchimage:scratch-maven-plugin:')
        }
        assert errors.size() == 1: "expected one error of scratch:build in build.log, found ${errors.size()}"
        return errors[0]
    }

    /**
     * Checks a failure test whose broken build (the second invocation, -Pbroken) made a configuration mistake: the
     * first build wrote a layout; the second failed with a MojoFailureException (BUILD FAILURE, a user error) whose
     * message names the element, quotes the value (unless value is null: a message about an element that is not
     * set quotes nothing) and gives a fix, without a stack trace; and the layout is exactly as before.
     *
     * @return the error line, for checks of the rest of the message
     */
    String assertRejected(String element, String value) {
        String log = buildLog()
        assert builtLines().size() == 1: 'the first build must write a layout and the broken one must not'
        assert log.contains('BUILD FAILURE')
        String error = scratchErrorLine(log)
        assert error.contains(element): "the error does not name $element: $error"
        assert value == null || error.contains('"' + value + '"'): \
                "the error does not quote the value \"$value\": $error"
        assert error.contains('. Fix: '): "the error gives no fix: $error"
        // Maven's help link names the exception type: MojoExecutionException would mean an unexpected error.
        assert log.contains('/MAVEN/MojoFailureException')
        assert !log.contains('MojoExecutionException')
        assertNoStackTrace(log)
        assertLayoutUnchanged()
        return error
    }

    /**
     * Checks a failure test whose broken build met an I/O error: a MojoExecutionException ("Could not build the
     * image into" the folder, then the cause), without a stack trace, and the layout as before.
     *
     * @return the error line
     */
    String assertBuildError(String cause, boolean directoriesTouched) {
        String log = buildLog()
        assert builtLines().size() == 1: 'the first build must write a layout and the broken one must not'
        assert log.contains('BUILD FAILURE')
        String error = scratchErrorLine(log)
        assert error.contains(': Could not build the image into ' + layoutDir().absolutePath + ': '): error
        assert error.contains(cause): "the error does not say \"$cause\": $error"
        assert log.contains('/MAVEN/MojoExecutionException')
        assert !log.contains('MojoFailureException')
        assertNoStackTrace(log)
        assertLayoutUnchanged(directoriesTouched)
        return error
    }

    /**
     * Makes basedir/NAME a stand-in JAVA_HOME for one invocation (invoker.environmentVariables.JAVA_HOME.N = NAME,
     * relative to the test folder, where the invoker runs Maven): the mvn script runs $JAVA_HOME/bin/java, here a
     * script that runs the shell lines given, in which "$JAVA" is this JVM's java.
     */
    File javaHome(String name, String lines) {
        File java = new File(basedir, name + '/bin/java')
        java.parentFile.mkdirs()
        String real = new File(System.getProperty('java.home'), 'bin/java').absolutePath
        java.setText("#!/bin/bash\nJAVA='${real}'\n${lines}\n", 'UTF-8')
        assert java.setExecutable(true, false)
        return java.parentFile.parentFile
    }

    /** Whether this JVM, and so the builds it starts, runs as root, which reads and writes any file. */
    /**
     * @return whether an image path is one of the Debian package records the package metadata adds: status.d files,
     *     a package's copyright file, os-release, debian_version, or a folder of theirs
     */
    static boolean isPackageRecord(String path) {
        return path.startsWith('var/lib/dpkg/') || path in ['var', 'var/lib', 'var/lib/dpkg']
                || path ==~ /usr\/share\/doc\/[^\/]+(\/copyright)?/
                || path in ['etc/os-release', 'etc/debian_version']
    }

    static boolean runningAsRoot() {
        return Files.getAttribute(Path.of('/proc/self'), 'unix:uid') == 0
    }

    private static final String DAC_CAPABILITIES = '-dac_override,-dac_read_search'

    /**
     * For a selector script: whether file permissions can be made to apply to a build (see
     * javaHomeObeyingPermissions). As root that takes setpriv: missing, the test fails under CI=true, else it is
     * skipped with a warning. A root without the right to drop capabilities (CAP_SETPCAP) skips it with a warning.
     */
    boolean canObeyPermissions() {
        if (!runningAsRoot()) {
            return true
        }
        if (!require('make file permissions apply to a build run as root', 'setpriv')) {
            return false
        }
        Map probe = exec([path('setpriv'), "--inh-caps=$DAC_CAPABILITIES", "--bounding-set=$DAC_CAPABILITIES", 'true'])
        if (probe.exit != 0) {
            warn("SKIPPED TEST: $name: this root may not drop capabilities: ${probe.out.trim()}")
            return false
        }
        return true
    }

    /**
     * A JAVA_HOME (see javaHome) whose java obeys file permissions even as root: setpriv drops the capabilities that
     * let root read and write any file (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) from the inheritable and bounding
     * sets, so that neither the java it starts nor anything Maven starts has them.
     */
    File javaHomeObeyingPermissions(String name) {
        String dropped = DAC_CAPABILITIES
        return javaHome(name, runningAsRoot()
                ? "exec ${path('setpriv')} --inh-caps=$dropped --bounding-set=$dropped \"\$JAVA\" \"\$@\""
                : 'exec "$JAVA" "$@"')
    }

    /**
     * A JAVA_HOME (see javaHome) whose java may write no file larger than the limit, as on a full disk: a write
     * beyond it fails with EFBIG ("File too large") instead of killing the JVM with SIGXFSZ, which is ignored.
     */
    File javaHomeWithFileSizeLimit(String name, int kibibytes) {
        return javaHome(name, ["trap '' XFSZ", "ulimit -f $kibibytes", 'exec "$JAVA" "$@"'].join('\n'))
    }

    // ---- build.log

    String buildLog() {
        return new File(basedir, 'build.log').getText('UTF-8')
    }

    /** The info lines that end a build, one per scratch:build run. */
    List<String> builtLines() {
        return buildLog().readLines().findAll { it.startsWith('[INFO] Built image ') }
    }

    /**
     * Checks that the build failed on a user error, reported on Maven's error line with the element, the quoted
     * value and a fix, as a MojoFailureException, without a stack trace, and wrote no layout.
     */
    void assertUserError(String element, String value, File outputDirectory = new File(basedir, 'target/oci')) {
        String log = buildLog()
        assert log.contains('BUILD FAILURE')
        String error = log.readLines().find {
            it.startsWith('[ERROR] Failed to execute goal org.scratchimage:scratch-maven-plugin:')
        }
        assert error != null: 'no error line of scratch:build in build.log'
        assert error.contains(element): "the error does not name $element: $error"
        assert error.contains('"' + value + '"'): "the error does not quote the value \"$value\": $error"
        assert error.contains('. Fix: '): "the error gives no fix: $error"
        // Maven's help link names the exception type: MojoExecutionException would mean an unexpected error.
        assert log.contains('/MAVEN/MojoFailureException')
        assert !log.contains('MojoExecutionException')
        String trace = log.readLines().find {
            it ==~ /\s+at [\w.$\/]+ ?\(.*/ || it.startsWith('Caused by:') || it.startsWith('Exception in thread')
        }
        assert trace == null: "build.log holds a stack trace: $trace"
        assert !log.contains('NullPointerException')
        assert !outputDirectory.exists(): "$outputDirectory was written although the build failed"
    }
}
