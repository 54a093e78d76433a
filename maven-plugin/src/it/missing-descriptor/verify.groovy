def log = new File(basedir, 'build.log').text
def expected = 'no release descriptor at ' + new File(basedir, 'src/main/bundle/molt-release.json').absolutePath
assert log.contains(expected) : "build.log does not say: ${expected}"
assert log.contains('<descriptor> (property molt.descriptor)') : 'build.log does not say how to point at a descriptor'
assert !new File(basedir, 'target').listFiles()?.any { it.name.endsWith('.molt') } : 'a bundle was written'
return true
