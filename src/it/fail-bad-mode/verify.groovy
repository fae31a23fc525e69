def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

tools.assertUserError('<binaries>/<binary>[1]/<mode>', '0789')
return true
