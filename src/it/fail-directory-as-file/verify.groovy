def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<files>/<file>[1]/<source>', 'conf')
assert error.contains('is a directory') && error.contains('<directory>'): error
return true
