def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

tools.assertUserError('<files>/<file>[1]/<path>', 'etc/app.conf')
assert tools.buildLog().contains('is not absolute')
return true
