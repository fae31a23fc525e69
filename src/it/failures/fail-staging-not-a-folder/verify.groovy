def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

File staging = new File(tools.layoutDir(), '.scratch-staging')
tools.assertBuildError(staging.absolutePath + ": is not the plugin's staging folder", false)
assert staging.getText('UTF-8') == 'not a folder'
return true
