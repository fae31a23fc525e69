def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<binaries>/<binary>[1]/<uid>', 'root')
assert error.contains('is not a numeric id') && error.contains('names are not resolved'): error
return true
