def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<files>/<file>[1]/<source>', 'src/main/image/missing.conf')
assert error.contains('does not exist'): error
// The fix says where relative paths start.
assert error.contains('relative paths resolve against the project directory ' + basedir.absolutePath): error
return true
