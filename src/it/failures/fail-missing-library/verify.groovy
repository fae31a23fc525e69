def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<binaries>/<binary>[1]', '/bin/app')
assert error.contains('needs libgone.so, which is in none of the places the loader searches'): error
assert error.contains('<libraries>') && error.contains('<resolveLibraries>false</resolveLibraries>'): error
return true
