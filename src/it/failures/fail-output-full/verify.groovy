def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

// Staging made and removed: the folder's times change, nothing else.
tools.assertBuildError('File too large', true)
assert tools.checkLayout(tools.layoutDir()).tags == ['1.0']
return true
