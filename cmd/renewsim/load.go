package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/renewsim/renewsim/scenarios"
	"github.com/renewsim/renewsim/sim"
	simrun "github.com/renewsim/renewsim/sim/run"
)

// loadAll loads the scenarios named by args (files, directories of *.yaml,
// or names from the built-in library), or the whole library when args is
// empty. Every problem in every file is reported before anything runs.
func loadAll(args []string) ([]*sim.Scenario, error) {
	if len(args) == 0 {
		var out []*sim.Scenario
		for _, n := range scenarios.LibraryNames() {
			sc, err := scenarios.LoadLibrary(n)
			if err != nil {
				return nil, &usageError{err}
			}
			out = append(out, sc)
		}
		return out, nil
	}
	var files []string
	for _, a := range args {
		st, err := os.Stat(a)
		switch {
		case err == nil && st.IsDir():
			matches, _ := filepath.Glob(filepath.Join(a, "*.yaml"))
			more, _ := filepath.Glob(filepath.Join(a, "*.yml"))
			matches = append(matches, more...)
			slices.Sort(matches)
			if len(matches) == 0 {
				return nil, usagef("%s: no *.yaml scenario files in this directory", a)
			}
			files = append(files, matches...)
		case err == nil:
			files = append(files, a)
		case slices.Contains(scenarios.LibraryNames(), a):
			files = append(files, "library:"+a)
		default:
			return nil, usagef("%s: no such file, directory or built-in scenario (see renewsim list)", a)
		}
	}
	var out []*sim.Scenario
	var errs []error
	for _, f := range files {
		var sc *sim.Scenario
		var err error
		if name, ok := strings.CutPrefix(f, "library:"); ok {
			sc, err = scenarios.LoadLibrary(name)
		} else {
			sc, err = scenarios.Load(f)
		}
		if err == nil {
			err = simrun.Check(sc)
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, sc)
	}
	if len(errs) > 0 {
		return nil, &usageError{fmt.Errorf("unusable scenarios:\n%w", errors.Join(errs...))}
	}
	return out, nil
}
