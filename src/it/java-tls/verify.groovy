// The image's HttpsURLConnection, run under runc in the host's network namespace, fetches a page from a loopback
// HTTPS server this script starts, with a certificate signed by the test CA of setup.groovy: the trust store in
// the image (given by <jvmFlags>), the security providers and jdk.crypto.ec (added by <java> to what jdeps found)
// are all there. The same client linked with java.base alone fails its handshake: the check can fail.
import com.sun.net.httpserver.HttpExchange
import com.sun.net.httpserver.HttpsConfigurator
import com.sun.net.httpserver.HttpsServer
import groovy.json.JsonOutput
import java.nio.charset.StandardCharsets
import java.security.KeyStore
import javax.net.ssl.KeyManagerFactory
import javax.net.ssl.SSLContext

def loader = new GroovyClassLoader(getClass().classLoader)
def tools = loader.parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)
def java = loader.parseClass(new File(itRoot, 'tools/JavaApps.groovy')).newInstance(tools)

File oci = new File(basedir, 'target/oci')
File ociJavaBase = new File(basedir, 'target/oci-java-base')
Map layout = tools.checkLayout(oci)
assert layout.layers*.name == ['libraries', 'metadata', 'jre', 'app']
Map entry = java.entrypoint(layout.config.config.Entrypoint as List<String>)
assert entry.flags == ['-Djavax.net.ssl.trustStore=/etc/test-ca/truststore.p12',
                       '-Djavax.net.ssl.trustStorePassword=changeit']
assert entry.classpath == ['/app/java-tls.jar']
assert entry.mainClass == 'org.scratchimage.it.tls.Fetch'
if (!tools.require('run the client', 'umoci', 'runc')) {
    return true
}

KeyStore keys = KeyStore.getInstance('PKCS12')
new File(basedir, 'tls/server.p12').withInputStream { keys.load(it, 'changeit'.toCharArray()) }
KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.defaultAlgorithm)
keyManagers.init(keys, 'changeit'.toCharArray())
SSLContext tls = SSLContext.getInstance('TLS')
tls.init(keyManagers.keyManagers, null, null)
HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0)
server.httpsConfigurator = new HttpsConfigurator(tls)
int requests = 0
server.createContext('/') { HttpExchange exchange ->
    requests++
    byte[] body = 'hello over TLS'.getBytes(StandardCharsets.UTF_8)
    exchange.sendResponseHeaders(200, body.length)
    exchange.responseBody.withStream { it.write(body) }
}
server.start()
String url = "https://127.0.0.1:${server.address.port}/"

/** Runs the image's entrypoint with the URL, in the host's network namespace: [exit:, out:]. */
Closure<Map> fetch = { File layoutDir, String bundleName ->
    File bundle = tools.unpack(layoutDir, '1.0', bundleName)
    File configFile = new File(bundle, 'config.json')
    Map config = tools.json(configFile) as Map
    config.process.terminal = false
    config.process.args = config.process.args + [url]
    config.linux.namespaces = config.linux.namespaces.findAll { it.type != 'network' }
    configFile.setText(JsonOutput.toJson(config), 'UTF-8')
    String id = "scratch-it-java-tls-$bundleName-${ProcessHandle.current().pid()}"
    try {
        return tools.exec([tools.path('runc'), 'run', '--bundle', bundle.absolutePath, id], [timeout: 120])
    } finally {
        tools.exec([tools.path('runc'), 'delete', '-f', id])
    }
}

try {
    Map fetched = fetch(oci, 'bundle')
    assert fetched.exit == 0: fetched.out
    assert fetched.out =~ /(?m)^fetched 200 TLS_\S+ EC hello over TLS$/
    assert requests == 1

    Map javaBase = fetch(ociJavaBase, 'bundle-java-base')
    assert javaBase.exit != 0: "java.base alone should not be enough: ${javaBase.out}"
    // The handshake fails: on the client's side (an SSL exception), or the server gives up on the client's hello
    // first and resets the connection, as one CI run saw.
    assert javaBase.out =~ /(?m)^failed (javax\.net\.ssl\.SSL\w*Exception|java\.net\.SocketException: Connection reset)/
    assert requests == 1
} finally {
    server.stop(0)
}

// The runtimes: the default one holds jdk.crypto.ec, the control java.base alone.
File bundle = new File(basedir, 'target/bundle')
File jdk = new File(System.getProperty('java.home'))
assert java.moduleNames(java.run(bundle, ['/opt/java/bin/java', '--list-modules'])) ==
        java.closure(jdk, ['java.base', 'jdk.crypto.ec', 'jdk.zipfs'])
assert java.moduleNames(java.run(new File(basedir, 'target/bundle-java-base'), ['/opt/java/bin/java', '--list-modules'])) ==
        ['java.base'] as SortedSet
return true
