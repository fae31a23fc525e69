def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

// The element has no value of its own: the platform is named in the text.
String error = tools.assertRejected('<libraries>', null)
assert error.contains('cannot be resolved for the architecture mips64'): error
return true
