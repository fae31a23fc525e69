def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

tools.assertUserError('<binaries>/<binary>[1]/<path>', '/bin/app')
assert tools.buildLog().contains('symbolic link')
return true
