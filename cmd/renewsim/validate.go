package main

import (
	"fmt"
	"io"

	"github.com/renewsim/renewsim/scenarios"
	"github.com/renewsim/renewsim/sim"
	simrun "github.com/renewsim/renewsim/sim/run"
)

var validateDoc = commandDoc{
	name:    "validate",
	args:    "[flags] FILE ...",
	purpose: "check scenario files without running them",
	about: `Loads each scenario file, and the alarms file of -alarms against each, as
run would, and reports every problem as file:line:col: message. Exit 0
when every file is usable, 2 when some is not.`,
}

func cmdValidate(args []string, stdout, stderr io.Writer) error {
	fs := commandFlags(&validateDoc, stderr)
	var alarms alarmsFlag
	alarms.add(fs)
	rest, err := parseCommand(fs, args)
	if err != nil {
		return err
	}
	if len(rest) == 0 {
		fs.Usage()
		return usagef("validate: no files given")
	}
	set, err := alarms.load()
	if err != nil {
		return err
	}
	bad := 0
	for _, f := range rest {
		sc, err := scenarios.Load(f)
		if err == nil {
			err = addAlarms(set, sc)
		}
		if err == nil {
			err = simrun.Check(sc)
		}
		if err != nil {
			fmt.Fprintln(stderr, err)
			bad++
			continue
		}
		fmt.Fprintf(stdout, "%s: ok (%s, %s, %s, %s%s)\n", f, sc.Name, sim.Count(len(sc.Certificates), "certificate"), sim.Count(len(sc.Timeline), "timeline change"), sim.Count(len(sc.Expect), "expectation"), alarmCount(sc))
	}
	if bad > 0 {
		return usagef("%d of %s %s not usable", bad, sim.Count(len(rest), "file"), sim.Verb(bad, "is", "are"))
	}
	return nil
}

var listDoc = commandDoc{
	name:    "list",
	purpose: "list the built-in scenarios",
	about: `Prints the name and the first line of the description of every scenario
of the built-in library, which renewsim run, sweep and serve take by name.`,
}

func cmdList(args []string, stdout, stderr io.Writer) error {
	fs := commandFlags(&listDoc, stderr)
	if _, err := parseCommand(fs, args); err != nil {
		return err
	}
	for _, n := range scenarios.LibraryNames() {
		sc, err := scenarios.LoadLibrary(n)
		if err != nil {
			return &usageError{err}
		}
		fmt.Fprintf(stdout, "%-28s %s\n", n, firstLine(sc.Description))
	}
	return nil
}

func firstLine(s string) string {
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}

// alarmCount is ", N alarms" for a scenario that declares or is given any.
func alarmCount(sc *sim.Scenario) string {
	if len(sc.Alarms) == 0 {
		return ""
	}
	return ", " + sim.Count(len(sc.Alarms), "alarm")
}

// count is "1 alarm", "2 alarms".
