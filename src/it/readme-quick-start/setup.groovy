// The README's Quick start pom, taken from README.md as printed (the first xml block under "## Quick start"), so
// that the README cannot drift from what works. Its plugin version must be the one under test.
File readme = new File(itRoot, '../../README.md')
String text = readme.getText('UTF-8')
int quickStart = text.indexOf('\n## Quick start\n')
assert quickStart >= 0: "README.md has no '## Quick start' section"
int start = text.indexOf('```xml\n', quickStart)
int end = text.indexOf('\n```', start)
assert start >= 0 && end > start: "no xml block in README.md's Quick start"
String pom = text.substring(start + '```xml\n'.length(), end + 1)
assert pom.contains("<version>$pluginVersion</version>"):
        "README.md's Quick start pom does not use the plugin version under test, $pluginVersion"
assert pom.readLines().size() <= 30: "README.md's Quick start pom has ${pom.readLines().size()} lines, not about 25"
new File(basedir, 'pom.xml').setText(pom, 'UTF-8')
return true
