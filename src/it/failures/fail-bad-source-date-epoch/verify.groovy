def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('the SOURCE_DATE_EPOCH environment variable', '-1')
assert error.contains('is not a number of seconds since 1970-01-01T00:00:00Z'): error
// The first build took its timestamp from the variable.
assert tools.checkLayout(tools.layoutDir()).config.created == '2023-11-14T22:13:20Z'
return true
