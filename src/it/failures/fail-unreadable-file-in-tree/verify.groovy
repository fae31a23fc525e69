def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<directories>/<directory>[1]/<source>', 'tree')
String held = new File(basedir, 'tree/etc/shadow').absolutePath
assert error.contains('holds ' + held + ', which the build user cannot read'): error
assert error.contains('<excludes>'): error
return true
