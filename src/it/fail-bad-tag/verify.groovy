def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<tags>/<tag>[2]', '-latest')
assert error.contains('is not a valid tag'): error
return true
