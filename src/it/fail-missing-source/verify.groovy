def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

tools.assertUserError('<files>/<file>[1]/<source>', 'src/main/image/missing.conf')
assert tools.buildLog().contains('does not exist')
return true
