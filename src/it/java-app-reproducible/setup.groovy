// examples/java-app, exactly as a user copies it, twice: here, where the invoker builds it, and in elsewhere/, a
// folder of another name at another depth, which verify.groovy builds.
def loader = new GroovyClassLoader(getClass().classLoader)
Class javaApps = loader.parseClass(new File(itRoot, 'tools/JavaApps.groovy'))
javaApps.copyExample(itRoot, 'java-app', basedir)
javaApps.copyExample(itRoot, 'java-app', new File(basedir, 'elsewhere/deeper'))
return true
