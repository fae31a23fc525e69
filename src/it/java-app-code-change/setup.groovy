// The project under test is examples/java-app, exactly as a user copies it: copied rather than kept twice.
def loader = new GroovyClassLoader(getClass().classLoader)
loader.parseClass(new File(itRoot, 'tools/JavaApps.groovy')).copyExample(itRoot, 'java-app', basedir)
return true
