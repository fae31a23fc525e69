def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<files>/<file>[1]/<path>', 'etc/app.conf')
assert error.contains('is not absolute'): error
return true
