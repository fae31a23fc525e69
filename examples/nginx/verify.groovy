// Not needed to build or use this example: the plugin's integration tests (`mvn install` at the repository root)
// build it as an invoker test and run this script against target/oci and target/toolkit, with real OCI clients.
// src/it/debugging-toolkit builds this project again and attaches the toolkit to the running nginx.
def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

File oci = new File(basedir, 'target/oci')
File toolkit = new File(basedir, 'target/toolkit')
File page = new File(basedir, 'src/main/html/index.html')

// Two executions, two layouts, one image each.
Map app = tools.checkLayout(oci)
Map kit = tools.checkLayout(toolkit)
[app, kit].each { assert it.config.history[0].created_by == "org.scratchimage:scratch-maven-plugin:$pluginVersion" }
assert app.tags == ['1.0.0', 'latest'] && kit.tags == ['1.0.0', 'latest']
// The images' entries; the SBOM's referrer follows them, untagged.
List appImages = app.index.manifests.findAll { !it.artifactType }
List kitImages = kit.index.manifests.findAll { !it.artifactType }
assert appImages*.annotations*.get('io.containerd.image.name') == ['nginx:1.0.0', 'nginx:latest']
assert kitImages*.annotations*.get('io.containerd.image.name') == ['nginx-toolkit:1.0.0', 'nginx-toolkit:latest']
assert app.referrers.size() == 1 && kit.referrers.size() == 1
List<String> built = tools.builtLines()
assert built.size() == 2: "expected two 'Built image' lines, got $built"
assert built[0].startsWith('[INFO] Built image nginx:1.0.0,latest ') && built[0].contains(app.manifestDigest)
assert built[1].startsWith('[INFO] Built image nginx-toolkit:1.0.0,latest ') && built[1].contains(kit.manifestDigest)

if (tools.require('list the layers', 'tar')) {
    // nginx's libraries below, the records of their Debian packages for scanners, what this project declares on top.
    assert app.layers*.name == ['libraries', 'metadata', 'app']
    assert tools.listLayer(app.layers[1].file as File, true).keySet().containsAll(
            ['var/lib/dpkg/status.d/nginx', 'var/lib/dpkg/status.d/libc6'])
    Map entries = tools.listLayer(app.layers[2].file as File, true)
    assert entries.keySet() == ['.', 'etc', 'etc/group', 'etc/nginx', 'etc/nginx/mime.types', 'etc/nginx/nginx.conf',
            'etc/passwd', 'home', 'home/nonroot', 'root', 'usr', 'usr/sbin', 'usr/sbin/nginx', 'usr/share',
            'usr/share/nginx', 'usr/share/nginx/html', 'usr/share/nginx/html/index.html', 'var', 'var/lib',
            'var/lib/nginx', 'var/log', 'var/log/nginx', 'var/log/nginx/access.log', 'var/log/nginx/error.log'] as Set
    // Only the folder nginx writes, and the home of the account, belong to nonroot.
    entries.each { String p, Map e ->
        long owner = p in ['var/lib/nginx', 'home/nonroot'] ? 65532 : 0
        assert e.uid == owner && e.gid == owner: "$p is owned by ${e.uid}:${e.gid}"
    }
    assert entries['var/lib/nginx'].mode == 'drwxr-xr-x'
    assert entries['home/nonroot'].mode == 'drwx------' && entries['root'].mode == 'drwx------'
    assert entries['etc/passwd'].mode == '-rw-r--r--' && entries['etc/group'].mode == '-rw-r--r--'
    assert entries['usr/sbin/nginx'].mode == '-rwxr-xr-x'
    assert entries['etc/nginx/nginx.conf'].mode == '-rw-r--r--'
    assert entries['var/log/nginx/access.log'].link == '/dev/stdout'
    assert entries['var/log/nginx/error.log'].link == '/dev/stderr'
    Set libraries = tools.listLayer(app.layers[0].file as File, true).keySet().findAll { it.contains('.so') }
    assert libraries.any { it.endsWith('/libpcre2-8.so.0') } && libraries.any { it.endsWith('/libssl.so.3') }

    assert kit.layers*.name == ['metadata', 'app']
    Map kitEntries = tools.listLayer(kit.layers[1].file as File, true)
    ['sh', 'ps', 'ls', 'wget', 'netstat', 'cat'].each { assert kitEntries["bin/$it"]?.link == 'busybox' }
}

if (tools.require('read the images with skopeo', 'skopeo')) {
    Map config = tools.skopeoInspect(oci, 'latest', true).config as Map
    assert config.Entrypoint == ['/usr/sbin/nginx']
    assert config.User == 'nonroot'
    assert config.ExposedPorts == ['8080/tcp': [:]]
    assert config.StopSignal == 'SIGQUIT'
    assert tools.skopeoInspect(toolkit, 'latest', true).config.Entrypoint == ['/bin/sh']
}

if (tools.require('run nginx and fetch its page', 'umoci', 'runc', 'nsenter', 'curl')) {
    String curl = tools.path('curl')
    String nsenter = tools.path('nsenter')
    // As the image says: nonroot from the start, runc's default capabilities, a network namespace of its own,
    // which nsenter enters to reach 127.0.0.1:8080.
    File bundle = tools.unpack(oci, 'latest', 'bundle')
    // <accounts> wrote what nginx, umoci and runc look the name up in.
    File rootfs = new File(bundle, 'rootfs')
    assert new File(rootfs, 'etc/passwd').getText('UTF-8') ==
            'root:x:0:0::/root:/sbin/nologin\nnonroot:x:65532:65532::/home/nonroot:/sbin/nologin\n'
    assert new File(rootfs, 'etc/group').getText('UTF-8') == 'root:x:0:\nnonroot:x:65532:\n'
    Map user = tools.json(new File(bundle, 'config.json')).process.user as Map
    assert user.uid == 65532 && user.gid == 65532: "umoci resolved <user>nonroot</user> to $user"
    String id = null
    try {
        Map nginx = tools.startContainer(bundle, 'nginx')
        id = nginx.id
        List<String> get = [nsenter, '-t', nginx.pid, '-n', curl, '-sS', '--max-time', '10']
        assert tools.retry(get + ['-f', 'http://127.0.0.1:8080/']) == page.getText('UTF-8')
        List<String> headers = tools.run(get + ['-o', '/dev/null', '-D', '-', 'http://127.0.0.1:8080/index.html'])
                .readLines()
        assert headers[0] == 'HTTP/1.1 200 OK'
        assert headers.contains('Content-Type: text/html'): 'mime.types maps .html'
        assert headers.contains('Server: nginx'): 'server_tokens off: no version'
        assert tools.run(get + ['-o', '/dev/null', '-w', '%{http_code}', 'http://127.0.0.1:8080/missing']) == '404'
        // The master and its worker, both nonroot.
        String processes = tools.run([tools.path('runc'), 'ps', id, '-e', '-o', 'pid,uid,args'])
        assert processes =~ /(?m)^\s*\d+\s+65532\s+nginx: master process \/usr\/sbin\/nginx$/
        assert processes =~ /(?m)^\s*\d+\s+65532\s+nginx: worker process$/
        assert !(processes =~ /(?m)^\s*\d+\s+0\s/): "a process runs as root:\n$processes"

        // SIGQUIT, the image's stop signal: nginx finishes and exits, and said what it did on stdout and stderr.
        tools.run([tools.path('runc'), 'kill', id, 'QUIT'])
        long deadline = System.nanoTime() + 20_000_000_000L
        while (tools.state(id).status != 'stopped' && System.nanoTime() < deadline) {
            Thread.sleep(200)
        }
        assert tools.state(id).status == 'stopped'
        String access = nginx.stdout.getText('UTF-8')
        assert access =~ /(?m)^127\.0\.0\.1 - - \[.*\] "GET \/ HTTP\/1\.1" 200 \d+ "-" "curl\//
        assert access =~ /(?m)"GET \/missing HTTP\/1\.1" 404 /
        String errors = nginx.stderr.getText('UTF-8')
        assert errors.contains('[notice] 1#1: start worker processes')
        assert errors.contains('gracefully shutting down') && errors =~ /(?m)\[notice\] 1#1: exit$/
        // Nothing but the 404 above.
        List<String> complaints = errors.readLines().findAll { it =~ /\[(emerg|alert|crit|error|warn)\]/ }
        assert complaints.size() == 1 && complaints[0].contains('open() "/usr/share/nginx/html/missing" failed'):
                "nginx complained:\n$errors"
    } finally {
        tools.deleteContainer(id)
    }

    // Started as root with `user nonroot;`, as Docker would run it (its default capabilities, which include
    // CAP_SETUID and CAP_SETGID): nginx looks nonroot up in /etc/passwd and /etc/group, and its worker runs as it.
    File rootBundle = tools.unpack(oci, 'latest', 'bundle-root')
    List<String> dockerCapabilities = ['CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD',
            'CAP_NET_RAW', 'CAP_SETGID', 'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE',
            'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE']
    String rootId = null
    try {
        Map nginx = tools.startContainer(rootBundle, 'nginx-root') { Map config ->
            config.process.user = [uid: 0, gid: 0]
            config.process.args = ['/usr/sbin/nginx', '-g', 'user nonroot;']
            config.process.capabilities = [bounding : dockerCapabilities, effective: dockerCapabilities,
                                           permitted: dockerCapabilities]
        }
        rootId = nginx.id
        assert tools.retry([nsenter, '-t', nginx.pid, '-n', curl, '-sSf', '--max-time', '10',
                            'http://127.0.0.1:8080/']) == page.getText('UTF-8')
        String processes = tools.run([tools.path('runc'), 'ps', rootId, '-e', '-o', 'pid,uid,gid,args'])
        assert processes =~ /(?m)^\s*\d+\s+0\s+0\s+nginx: master process \/usr\/sbin\/nginx -g user nonroot;$/
        assert processes =~ /(?m)^\s*\d+\s+65532\s+65532\s+nginx: worker process$/
        assert !(nginx.stderr.getText('UTF-8') =~ /\[(emerg|alert|crit|error|warn)\]/)
    } finally {
        tools.deleteContainer(rootId)
    }
}

tools.checkWithClients(oci, 'latest')
tools.checkWithClients(toolkit, 'latest')
return true
