// Package junitschema validates the JUnit XML renewsim writes against the
// schema CI servers read it with (the Surefire junit-10.xsd of Jenkins'
// xUnit plugin), for the tests of the packages that write it.
//
// The schema is not part of the repository: it is expected at
// ../shared/schemas/junit-10.xsd beside the module's root, and xmllint
// (Debian: libxml2-utils) does the validating. Where either is missing the
// test is skipped with a message that says which and where, so a fresh
// clone still passes, unless the CI environment variable is set: CI must
// run the check, so there a missing schema or xmllint fails the test.
//
// Callers are tests: they write the XML to a file and call Validate.
package junitschema
