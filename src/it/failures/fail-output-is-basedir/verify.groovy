def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<outputDirectory>', basedir.absolutePath)
assert error.contains('holds files that are not part of an OCI layout') && error.contains('pom.xml'): error
// The project is untouched: its pom is there and no layout file or staging folder was added next to it.
assert new File(basedir, 'pom.xml').getText('UTF-8').contains('<artifactId>fail-output-is-basedir</artifactId>')
List<String> names = tools.names(basedir)
assert names.containsAll(['app.conf', 'build.log', 'pom.xml', 'target', 'verify.groovy'])
assert names.intersect(['oci-layout', 'index.json', 'blobs', '.scratch-staging']).isEmpty(): names
return true
