def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<files>/<file>[1]/<path>', '/etc/.wh.app.conf')
assert error.contains('has a name starting with \".wh.\"'): error
return true
