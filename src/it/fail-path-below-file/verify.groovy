def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<files>/<file>[2]/<path>', '/etc/app.conf/app.conf')
assert error.contains('is below /etc/app.conf, which <files>/<file>[1] declares as a file'): error
return true
