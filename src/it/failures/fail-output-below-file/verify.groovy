def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

File output = new File(basedir, 'app.conf/oci')
String log = tools.buildLog()
String error = tools.scratchErrorLine(log)
assert error.contains(': Could not build the image into ' + output.absolutePath + ': '): error
assert error.contains(new File(basedir, 'app.conf').absolutePath + ': it already exists, or a parent of it is not a directory'): error
assert error.contains('. Fix: '): error
assert log.contains('/MAVEN/MojoExecutionException')
tools.assertNoStackTrace(log)
tools.assertLayoutUnchanged()
assert new File(basedir, 'app.conf').getText('UTF-8') == 'listen=8080\n'
return true
