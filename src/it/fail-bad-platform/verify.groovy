def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<platform>', 'linux/x86_64')
assert error.contains('is not an OCI platform'): error
return true
