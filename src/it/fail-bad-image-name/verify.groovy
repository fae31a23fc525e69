def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<image>', 'Team/App')
assert error.contains('is not a valid image name'): error
assert error.contains('lowercase'): error
return true
