def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

File precious = new File(basedir, 'precious')
Map before = new groovy.json.JsonSlurper().parse(new File(basedir, 'precious.json'), 'UTF-8') as Map
String error = tools.assertRejected('<outputDirectory>', precious.absolutePath)
assert error.contains('notes.txt'): error
assert error.contains('never deletes what it did not write'): error
// Refused before anything was written or deleted: the folder is exactly as setup.groovy left it.
assert groovy.json.JsonOutput.toJson(tools.describeTree(precious)) == groovy.json.JsonOutput.toJson(before)
return true
