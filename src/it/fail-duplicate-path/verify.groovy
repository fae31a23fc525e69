def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

tools.assertUserError('/<path>', '/etc/app.conf')
String error = tools.buildLog().readLines().find { it.startsWith('[ERROR] Failed to execute goal') }
assert error.contains('<files>/<file>[1]') && error.contains('<symlinks>/<symlink>[1]'): error
return true
