def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<layers>/<layer>[2]', 'app')
assert error.contains('is listed twice') && error.contains('Fix: list each layer once'): error
// The valid build: config, listed but empty, is not in the image; one layer, app.
Map layout = tools.checkLayout(tools.layoutDir())
assert layout.config.history*.comment == ['app']
return true
