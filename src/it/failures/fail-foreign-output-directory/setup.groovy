import groovy.json.JsonOutput

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

// A folder that holds something the plugin did not write: it must be refused and left exactly as it is.
File precious = new File(basedir, 'precious')
new File(precious, 'drafts').mkdirs()
new File(precious, 'notes.txt').setText('my notes, not an OCI layout\n', 'UTF-8')
new File(precious, 'drafts/index.json').setText('{"not":"an image index"}\n', 'UTF-8')
new File(basedir, 'precious.json').setText(JsonOutput.toJson(tools.describeTree(precious)), 'UTF-8')
return true
