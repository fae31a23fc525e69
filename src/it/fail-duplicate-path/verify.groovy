def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('/<path>', '/etc/app.conf')
assert error.contains('is declared twice'): error
assert error.contains('<files>/<file>[1]') && error.contains('<symlinks>/<symlink>[1]'): error
return true
