package main

import (
	"errors"
	"flag"
	"fmt"

	"github.com/renewsim/renewsim/scenarios"
	"github.com/renewsim/renewsim/sim"
)

// alarmsFlag is -alarms FILE: alert rules added to every scenario.
type alarmsFlag struct{ path string }

func (f *alarmsFlag) add(fs *flag.FlagSet) {
	fs.StringVar(&f.path, "alarms", "", "judge the alert rules in `FILE` (a file holding an alarms: list) on every scenario, as if each declared them")
}

// load reads the file; nil when no -alarms was given. A bad file is a usage
// error with every problem at its file:line:col.
func (f *alarmsFlag) load() (*scenarios.AlarmSet, error) {
	if f.path == "" {
		return nil, nil
	}
	set, err := scenarios.LoadAlarms(f.path)
	if err != nil {
		var es scenarios.Errors
		if errors.As(err, &es) {
			return nil, &usageError{fmt.Errorf("unusable alarms file:\n%w", err)}
		}
		return nil, usagef("-alarms: %v", err)
	}
	return set, nil
}

// addAlarms adds set to every scenario; every problem of every scenario is
// reported, and then nothing runs.
func addAlarms(set *scenarios.AlarmSet, scs ...*sim.Scenario) error {
	if set == nil {
		return nil
	}
	var errs []error
	seen := map[string]bool{} // the variants of a sweep fail alike: say it once
	for _, sc := range scs {
		if err := set.AddTo(sc); err != nil && !seen[err.Error()] {
			seen[err.Error()] = true
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return &usageError{fmt.Errorf("the alarms of %s do not fit:\n%w", set.File, errors.Join(errs...))}
	}
	return nil
}
