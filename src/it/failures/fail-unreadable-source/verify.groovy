def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<files>/<file>[1]/<source>', 'secret.conf')
assert error.contains('is not readable by the build user'): error
return true
