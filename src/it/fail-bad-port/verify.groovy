def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<ports>/<port>[1]', '8080/http')
assert error.contains('is not a port'): error
return true
