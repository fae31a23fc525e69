// -Dscratch.username/-Dscratch.password reach a Basic registry, and the log says the credentials came from them.
def loader = new GroovyClassLoader(getClass().classLoader)
[new File(itRoot, 'tools'), new File(testClasses)].each { loader.addClasspath(it.path) }
def push = loader.parseClass(new File(itRoot, 'tools/PushTools.groovy')).newInstance(basedir, localRepositoryPath)
if (!push.toolsPresent()) {
    return true
}

push.using(push.htpasswdRegistry('alice', 'properties-pw-1')) { registry ->
    String reference = push.reference(registry)
    Map run = push.push('push', reference, ['-Dscratch.username=alice', '-Dscratch.password=properties-pw-1'])
    push.assertCredentialsFrom(run, registry, "<username> and <password> (scratch.username)")
    push.assertServed(registry, reference, [user: 'alice', password: 'properties-pw-1'])
}
return true
