// docs/debugging.md with runc, step by step: nginx from examples/nginx runs in a container of its own, with no
// shell; the toolkit image of the same project joins its PID and network namespaces through
// linux.namespaces[].path, sees its processes, reads its files under /proc/1/root and fetches its page on
// 127.0.0.1. Then the host does the same with nsenter and its own tools.
import java.nio.file.Files
import java.nio.file.Path

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

File page = new File(basedir, 'src/main/html/index.html')
assert tools.builtLines().size() == 2: 'examples/nginx builds the nginx image and the toolkit'
if (!tools.require('run the app and attach the toolkit', 'umoci', 'runc', 'nsenter', 'curl', 'ss')) {
    return true
}
String nsenter = tools.path('nsenter')
String curl = tools.path('curl')
Closure<Path> namespace = { long pid, String type -> Files.readSymbolicLink(Path.of("/proc/$pid/ns/$type")) }

File appBundle = tools.unpack(new File(basedir, 'target/oci'), 'latest', 'bundle-app')
File toolkitBundle = tools.unpack(new File(basedir, 'target/toolkit'), 'latest', 'bundle-toolkit')
String appId = null
String toolkitId = null
try {
    // 1. The app, detached: `runc run -d`, then its pid from `runc state`.
    Map app = tools.startContainer(appBundle, 'app')
    appId = app.id
    long pid = app.pid as long
    assert namespace(pid, 'net') != namespace(ProcessHandle.current().pid(), 'net'): 'the app has a network of its own'

    // 2. From the host: nsenter -t PID -n runs the host's curl and ss in the app's network namespace.
    List<String> inAppNetwork = [nsenter, '-t', pid, '-n']
    assert tools.retry(inAppNetwork + [curl, '-sSf', '--max-time', '10', 'http://127.0.0.1:8080/']) == page.getText('UTF-8')
    assert tools.run(inAppNetwork + [tools.path('ss'), '-Htln']) =~ /(?m)^LISTEN\s.*\s0\.0\.0\.0:8080\s/
    // ... and /proc/PID/root shows its files.
    assert tools.sha256(new File("/proc/$pid/root/usr/sbin/nginx")) == tools.sha256(new File('/usr/sbin/nginx'))

    // 3. The toolkit, joining the app's PID and network namespaces by path; its mount namespace stays its own,
    //    so its /bin is busybox's and the app's files are under /proc/1/root.
    Map toolkit = tools.startContainer(toolkitBundle, 'toolkit') { Map config ->
        config.linux.namespaces.each { Map ns ->
            if (ns.type == 'pid') {
                ns.path = "/proc/$pid/ns/pid".toString()
            } else if (ns.type == 'network') {
                ns.path = "/proc/$pid/ns/net".toString()
            }
        }
        config.process.args = ['/bin/sleep', '600']
    }
    toolkitId = toolkit.id
    long toolkitPid = toolkit.pid as long
    assert namespace(toolkitPid, 'pid') == namespace(pid, 'pid')
    assert namespace(toolkitPid, 'net') == namespace(pid, 'net')
    assert namespace(toolkitPid, 'mnt') != namespace(pid, 'mnt')

    // The app's processes: nginx is process 1 of the shared PID namespace.
    String processes = tools.run([tools.path('runc'), 'exec', toolkitId, 'ps', '-o', 'pid,user,args'])
    assert processes =~ /(?m)^\s*1\s+65532\s+nginx: master process \/usr\/sbin\/nginx$/
    assert processes =~ /(?m)^\s*\d+\s+65532\s+nginx: worker process$/
    assert processes =~ /(?m)^\s*\d+\s+0\s+\/bin\/sleep 600$/

    // The app's files under /proc/1/root, links included. Reading another user's /proc/PID/root takes that user
    // or CAP_SYS_PTRACE, which runc (like Docker) does not grant by default.
    List<String> list = ['ls', '-l', '/proc/1/root/usr/sbin', '/proc/1/root/var/log/nginx']
    Closure checkListing = { String listing ->
        assert listing =~ /(?m)^-rwxr-xr-x\s+1\s+0\s+0\s+\d+ .* nginx$/: "no nginx binary in:\n$listing"
        assert listing =~ /(?m)^l\S+\s.* access\.log -> \/dev\/stdout$/: "no access.log link in:\n$listing"
        assert listing =~ /(?m)^l\S+\s.* error\.log -> \/dev\/stderr$/
    }
    checkListing(tools.execIn(toolkitId, list, [user: '65532:65532']).out)
    checkListing(tools.execIn(toolkitId, list, [caps: ['CAP_SYS_PTRACE']]).out)
    Map denied = tools.execIn(toolkitId, list)
    assert denied.exit != 0 && denied.out.contains('/proc/1/root/usr/sbin: Permission denied'):
            'root without CAP_SYS_PTRACE reads /proc/1/root of a nonroot process: docs/debugging.md says it cannot'
    String config = tools.execIn(toolkitId, ['cat', '/proc/1/root/etc/nginx/nginx.conf'], [user: '65532:65532']).out
    assert config == new File(basedir, 'src/main/nginx/nginx.conf').getText('UTF-8')

    // The app's port on the shared loopback: busybox wget and netstat in the toolkit.
    assert tools.run([tools.path('runc'), 'exec', toolkitId, 'wget', '-qO-', 'http://127.0.0.1:8080/']) == page.getText('UTF-8')
    assert tools.run([tools.path('runc'), 'exec', toolkitId, 'netstat', '-tln']) =~
            /(?m)^tcp\s+0\s+0\s+0\.0\.0\.0:8080\s+0\.0\.0\.0:\*\s+LISTEN\s*$/

    // nginx logged both visits on its stdout.
    String access = app.stdout.getText('UTF-8')
    assert access =~ /(?m)"GET \/ HTTP\/1\.1" 200 \d+ "-" "curl\//
    assert access =~ /(?m)"GET \/ HTTP\/1\.1" 200 \d+ "-" "Wget"/
} finally {
    tools.deleteContainer(toolkitId)
    tools.deleteContainer(appId)
}
return true
