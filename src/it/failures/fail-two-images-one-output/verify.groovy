def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

// The broken build: default finds its image up to date, then app-debug fails before it writes anything, naming
// the folder, both images and both executions; the layout is exactly the one the first build wrote.
String output = tools.layoutDir().absolutePath
String error = tools.assertRejected('<outputDirectory>', output)
assert error.contains('(app-debug) on project fail-two-images-one-output'): error
String project = 'org.scratchimage.it:fail-two-images-one-output'
assert error.contains("already holds image \"app\" from $project execution \"default\""): error
assert error.contains("$project execution \"app-debug\" would replace it with image \"app-debug\""): error
assert error.contains('give each its own <outputDirectory>'): error
assert tools.buildLog().contains('[INFO] Image up to date: app:1.0 for linux/amd64 in ' + output)

Map layout = tools.checkLayout(tools.layoutDir())
// The image, then its SBOM referrer, untagged.
assert layout.index.manifests.collect { it.annotations?.get('io.containerd.image.name') } == ['app:1.0', null]
return true
