def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertBuildError(
        '/proc/version changed while the layer was written: expected 0 bytes, found more', true)
assert error.contains('Nothing was written to the layout'): error
return true
