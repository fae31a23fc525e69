def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<stopSignal>', 'SIGTERMINATE')
assert error.contains('is not a signal'): error
return true
