def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<outputDirectory>', '/')
assert error.contains('holds files that are not part of an OCI layout'): error
['oci-layout', 'index.json', 'blobs', '.scratch-staging'].each {
    assert !new File('/', it).exists(): "/$it exists: the build wrote to the root"
}
return true
