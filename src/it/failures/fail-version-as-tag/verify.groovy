def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<tags>', '1.0+build.5')
assert error.contains('The project version "1.0+build.5", the default tag when <tags> is not set, '
        + 'is not a valid tag'): error
assert error.contains('Fix: set <tags><tag>...</tag></tags>'): error
return true
