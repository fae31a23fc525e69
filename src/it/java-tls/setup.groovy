// A test CA and a server certificate it signs (EC P-256, for 127.0.0.1), made with the JDK's keytool: tls/ca.p12
// (the CA's key), tls/server.p12 (the server's key and chain, for verify.groovy's server) and tls/truststore.p12
// (the CA's certificate alone, which the image trusts). Valid for two days: made anew on every run.
def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)
File dir = new File(basedir, 'tls')
tools.deleteTree(dir)
dir.mkdirs()
String keytool = new File(System.getProperty('java.home'), 'bin/keytool').path
Closure keytoolRun = { List args -> tools.run([keytool] + args + ['-storepass', 'changeit'], [dir: dir]) }
List ec = ['-keyalg', 'EC', '-groupname', 'secp256r1', '-validity', '2']
keytoolRun(['-genkeypair', '-alias', 'ca', '-dname', 'CN=Scratch Test CA', '-ext', 'bc:c', '-keystore', 'ca.p12'] + ec)
keytoolRun(['-exportcert', '-alias', 'ca', '-rfc', '-file', 'ca.crt', '-keystore', 'ca.p12'])
keytoolRun(['-genkeypair', '-alias', 'server', '-dname', 'CN=127.0.0.1', '-keystore', 'server.p12'] + ec)
keytoolRun(['-certreq', '-alias', 'server', '-file', 'server.csr', '-keystore', 'server.p12'])
keytoolRun(['-gencert', '-alias', 'ca', '-infile', 'server.csr', '-outfile', 'server.crt', '-rfc', '-validity', '2',
            '-ext', 'san=ip:127.0.0.1', '-ext', 'eku=serverAuth', '-keystore', 'ca.p12'])
keytoolRun(['-importcert', '-alias', 'ca', '-file', 'ca.crt', '-noprompt', '-keystore', 'server.p12'])
keytoolRun(['-importcert', '-alias', 'server', '-file', 'server.crt', '-keystore', 'server.p12'])
keytoolRun(['-importcert', '-alias', 'test-ca', '-file', 'ca.crt', '-noprompt', '-keystore', 'truststore.p12'])
assert new File(dir, 'truststore.p12').isFile()
return true
