def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

File precious = new File(basedir, 'precious')
tools.assertUserError('<outputDirectory>', precious.absolutePath)
assert tools.buildLog().contains('notes.txt')
// Refused before anything was written or deleted: the folder holds its one file, unchanged.
assert tools.names(precious) == ['notes.txt']
assert new File(precious, 'notes.txt').getText('UTF-8') == 'my notes, not an OCI layout\n'
return true
