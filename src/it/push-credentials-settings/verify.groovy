// The <server> of settings.xml (-s) whose id is the registry gives the credentials, with a plain password and with
// one encrypted by mvn --encrypt-password under the master password of -Dsettings.security; <serverId> picks another
// server, and then the one named after the registry, which holds a wrong password, is not used.
def loader = new GroovyClassLoader(getClass().classLoader)
[new File(itRoot, 'tools'), new File(testClasses)].each { loader.addClasspath(it.path) }
def push = loader.parseClass(new File(itRoot, 'tools/PushTools.groovy')).newInstance(basedir, localRepositoryPath)
if (!push.toolsPresent()) {
    return true
}

/** The {...} value an mvn --encrypt-* run printed. */
String encrypted(Map run) {
    assert run.exit == 0: run.all
    def value = run.out =~ /\{[A-Za-z0-9+\/=]+\}/
    assert value.find(): "no encrypted value in: ${run.out}"
    return value.group()
}

String server(String id, String password) {
    return "    <server><id>$id</id><username>alice</username><password>$password</password></server>"
}

push.using(push.htpasswdRegistry('alice', 'settings-pw-1')) { registry ->
    String host = registry.host()
    Map auth = [user: 'alice', password: 'settings-pw-1']

    String reference = push.reference(registry, 'plain')
    Map plain = push.push('plain', reference, [], [:], push.settings('settings-plain', server(host, 'settings-pw-1')))
    push.assertCredentialsFrom(plain, registry, "settings.xml server \"$host\"")
    push.assertServed(registry, reference, auth)

    File security = new File(basedir, 'settings-security.xml')
    String master = encrypted(push.mvn('encrypt-master', ['--encrypt-master-password', 'its-master-password']))
    security.setText("<settingsSecurity><master>$master</master></settingsSecurity>\n", 'UTF-8')
    String password = encrypted(push.mvn('encrypt-password',
            ['--encrypt-password', 'settings-pw-1', "-Dsettings.security=$security.absolutePath"]))
    assert !password.contains('settings-pw-1')
    reference = push.reference(registry, 'encrypted')
    Map decrypted = push.push('encrypted', reference, ["-Dsettings.security=$security.absolutePath"], [:],
            push.settings('settings-encrypted', server(host, password)))
    push.assertCredentialsFrom(decrypted, registry, "settings.xml server \"$host\"")
    push.assertServed(registry, reference, auth)

    reference = push.reference(registry, 'server-id')
    Map named = push.push('server-id', reference, ['-Dscratch.serverId=its-registry'], [:],
            push.settings('settings-server-id', server(host, 'wrong-password') + '\n' +
                    server('its-registry', 'settings-pw-1')))
    push.assertCredentialsFrom(named, registry, "settings.xml server \"its-registry\"")
    push.assertServed(registry, reference, auth)
}
return true
