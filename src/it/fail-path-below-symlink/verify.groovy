def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<binaries>/<binary>[1]/<path>', '/bin/app')
assert error.contains('is below /bin, which <symlinks>/<symlink>[1] declares as a symbolic link'): error
return true
