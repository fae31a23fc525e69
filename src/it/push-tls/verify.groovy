// An HTTPS registry whose certificate no CA signed. With MAVEN_OPTS naming a trust store that holds it, the push
// works without a warning; without it, the push fails on a user error that names -Djavax.net.ssl.trustStore and
// <insecureRegistries>, without a stack trace, and puts no tag; with -Dscratch.insecureRegistries it works with a
// warning.
def loader = new GroovyClassLoader(getClass().classLoader)
[new File(itRoot, 'tools'), new File(testClasses)].each { loader.addClasspath(it.path) }
def push = loader.parseClass(new File(itRoot, 'tools/PushTools.groovy')).newInstance(basedir, localRepositoryPath)
if (!push.toolsPresent()) {
    return true
}

def pki = push.pki()
push.using(push.tlsRegistry(pki)) { registry ->
    String host = registry.host()
    Closure<List<String>> warnings = { Map run -> run.out.readLines().findAll { it.startsWith("[WARNING]") } }

    String reference = push.reference(registry, 'trusted')
    Map trusted = push.push('trusted', reference, [], [MAVEN_OPTS: "-Djavax.net.ssl.trustStore=${pki.trustStore()}" +
            " -Djavax.net.ssl.trustStorePassword=changeit"])
    assert warnings(trusted).isEmpty()
    push.assertServed(registry, reference, null, pki)

    Map refused = push.pushFails('untrusted', push.reference(registry, 'untrusted'))
    String error = push.errorLine(refused)
    assert error.contains("The certificate of registry $host (127.0.0.1:${registry.port()}) is not trusted"): error
    assert error.contains('-Djavax.net.ssl.trustStore=<file>'): error
    assert error.contains("list $host in <insecureRegistries>"): error
    assert refused.out.contains('/MAVEN/MojoFailureException')
    // The tag, and the tag fallback that lists the image's SBOM referrer (the registry has no referrers API).
    assert registry.tags('its/app') == ['sha256-' + push.layoutDigest().substring(7), 'trusted']

    reference = push.reference(registry, 'insecure')
    Map insecure = push.push('insecure', reference, ["-Dscratch.insecureRegistries=$host"])
    List<String> warned = warnings(insecure)
    assert warned.size() == 1 && warned[0].startsWith("[WARNING] Registry $host is in <insecureRegistries>: "): warned
    push.assertServed(registry, reference, null, pki)
}
return true
