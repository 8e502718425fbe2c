package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

var versionDoc = commandDoc{
	name:    "version",
	purpose: "print the module version and VCS revision renewsim was built from",
	about: `Prints what the Go toolchain recorded in the binary: the module version
(a tag for go install ...@vX.Y.Z, "(devel)" for a build from a checkout),
the VCS revision and time, whether the checkout had uncommitted changes, and
the Go version. What was not recorded is "unknown": builds with
-buildvcs=false (as CI makes them) and go run record no revision.`,
}

func cmdVersion(args []string, stdout, stderr io.Writer) error {
	fs := commandFlags(&versionDoc, stderr)
	rest, err := parseCommand(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("version: unexpected argument %q", rest[0])
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		bi = nil
	}
	_, err = io.WriteString(stdout, versionText(bi))
	return err
}

// versionText says what bi records of the build, "unknown" for the rest;
// bi is nil when the binary carries no build information.
func versionText(bi *debug.BuildInfo) string {
	known := func(s string) string {
		if s == "" {
			return "unknown"
		}
		return s
	}
	var version, goVersion, revision, when, modified string
	if bi != nil {
		version, goVersion = bi.Main.Version, bi.GoVersion
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
	}
	if revision != "" && modified == "true" {
		revision += " (with uncommitted changes)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "renewsim %s\n", known(version))
	fmt.Fprintf(&b, "revision %s\n", known(revision))
	if when != "" {
		fmt.Fprintf(&b, "committed %s\n", when)
	}
	fmt.Fprintf(&b, "built with %s\n", known(goVersion))
	return b.String()
}
