package scenarios

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/renewsim/renewsim/sim"
)

// The shipped scenarios, one file per scenario, named after it.
//
//go:embed library/*.yaml
var library embed.FS

// LibraryNames lists the shipped scenarios, sorted.
func LibraryNames() []string {
	entries, err := fs.ReadDir(library, "library")
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".yaml"); ok && !e.IsDir() {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// LibrarySource returns the YAML text of a shipped scenario.
func LibrarySource(name string) ([]byte, bool) {
	if !slices.Contains(LibraryNames(), name) {
		return nil, false
	}
	data, err := library.ReadFile("library/" + name + ".yaml")
	if err != nil {
		return nil, false
	}
	return data, true
}

// LoadLibrary loads a shipped scenario; its File is "library/<name>.yaml".
// The scenario's name must equal the file name.
func LoadLibrary(name string) (*sim.Scenario, error) {
	data, ok := LibrarySource(name)
	if !ok {
		return nil, fmt.Errorf("no library scenario %q (known: %s)", name, strings.Join(LibraryNames(), ", "))
	}
	return parse("library/"+name+".yaml", data, name)
}

// Library loads every shipped scenario, in name order. If any is bad it
// returns nil and the Errors of all of them.
func Library() ([]*sim.Scenario, error) {
	var out []*sim.Scenario
	var errs Errors
	for _, name := range LibraryNames() {
		sc, err := LoadLibrary(name)
		if err != nil {
			if es, ok := err.(Errors); ok {
				errs = append(errs, es...)
			} else {
				errs = append(errs, &Error{File: "library/" + name + ".yaml", Line: 1, Col: 1, Msg: err.Error()})
			}
			continue
		}
		out = append(out, sc)
	}
	if len(errs) > 0 {
		return nil, sortErrors(errs)
	}
	return out, nil
}
