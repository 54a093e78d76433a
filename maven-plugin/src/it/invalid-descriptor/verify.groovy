def log = new File(basedir, 'build.log').text
// Every problem, each naming its field, in one build error; no stack trace for the user.
["invalid release descriptor ${new File(basedir, 'src/main/bundle/molt-release.json').absolutePath}",
 "name 'Bank' must match",
 "version '1.0' must be MAJOR.MINOR.PATCH[-qualifier]",
 'behaviours[0].version must be >= 1, was 0'].each { expected ->
  assert log.contains(expected) : "build.log does not say: ${expected}"
}
assert !log.contains('at dev.molt.') : 'a stack trace reached the build log'
assert !new File(basedir, 'target').listFiles()?.any { it.name.endsWith('.molt') } : 'a bundle was written'
return true
