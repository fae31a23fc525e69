def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<symlinks>/<symlink>[1]/<target>', '')
assert error.contains('is empty'): error
return true
