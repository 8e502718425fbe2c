// Command renewsim replays ACM certificate renewal scenarios on a virtual
// clock against real protocol fakes on loopback, and checks a real fleet's
// AWS CLI exports the same way — or its infrastructure code, before and
// after a Terraform plan or CloudFormation change set (check -terraform,
// -cloudformation: checkcode.go).
//
// The command is wiring only: one file per subcommand, each with its own
// flag.FlagSet and a commandDoc (its purpose, usage line and about text)
// from which its -h, "renewsim -h" and docs/cli.md are written. main maps
// the error a command returns to the exit code: 0 every expectation held,
// 1 some expectation failed, 2 the input or the command line was unusable.
//
// Callers adding a flag: use the name another command already uses for the
// same setting, with the same value placeholder (TestFlagNamesAreConsistent
// checks it), and refresh the reference with
// go test ./cmd/renewsim -run TestCLIReference -update. Renaming a flag: keep
// the old spelling for a release with deprecated(), which warns on stderr.
package main
