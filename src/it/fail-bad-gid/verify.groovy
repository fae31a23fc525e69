def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<binaries>/<binary>[1]/<gid>', '4294967295')
assert error.contains('is not a numeric id') && error.contains('4294967294'): error
return true
