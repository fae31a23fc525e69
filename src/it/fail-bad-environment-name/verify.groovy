def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<environment>/<JAVA-OPTS>', 'JAVA-OPTS')
assert error.contains('is not a valid environment variable name'): error
return true
