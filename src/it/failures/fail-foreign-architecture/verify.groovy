def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<binaries>/<binary>[1]', '/bin/app')
assert error.contains('is built for arm64, but <platform> is linux/amd64'): error
assert error.contains('set <platform> to linux/arm64'): error
return true
