def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<files>/<file>[1]/<path>', '')
assert error.contains('is empty'): error
return true
