// REGISTRY_AUTH_FILE names the containers auth file (podman, skopeo, buildah) whose "auths" entry gives the
// credentials, found by the repository's key "host/its/app" before the registry's.
def loader = new GroovyClassLoader(getClass().classLoader)
[new File(itRoot, 'tools'), new File(testClasses)].each { loader.addClasspath(it.path) }
def push = loader.parseClass(new File(itRoot, 'tools/PushTools.groovy')).newInstance(basedir, localRepositoryPath)
if (!push.toolsPresent()) {
    return true
}

push.using(push.htpasswdRegistry('alice', 'containers-pw-1')) { registry ->
    String host = registry.host()
    File file = new File(basedir, 'containers-auth.json')
    file.setText("""{"auths": {
  "$host/its/app": {"auth": "${'alice:containers-pw-1'.bytes.encodeBase64()}"},
  "$host": {"auth": "${'alice:wrong-password'.bytes.encodeBase64()}"}
}}""", 'UTF-8')
    String reference = push.reference(registry)
    Map run = push.push('push', reference, [], [REGISTRY_AUTH_FILE: file.absolutePath])
    push.assertCredentialsFrom(run, registry, "containers auth file ${file.absolutePath} auths \"$host/its/app\"")
    push.assertServed(registry, reference, [user: 'alice', password: 'containers-pw-1'])
}
return true
