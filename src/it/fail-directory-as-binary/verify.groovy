def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<binaries>/<binary>[1]/<source>', 'bin')
assert error.contains('is a directory') && error.contains('<directory>'): error
return true
