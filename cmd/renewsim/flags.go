package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// commandDoc is what a subcommand says about itself. Its -h, "renewsim -h"
// and the CLI reference (docs/cli.md, written by TestCLIReference) are all
// written from it and the command's FlagSet, so they cannot disagree.
type commandDoc struct {
	name    string
	args    string // what follows "renewsim NAME" in the usage line
	purpose string // one line, lower-case, no full stop
	about   string // paragraphs on what it reads, writes and exits with; may be empty
}

// usageLine is "renewsim NAME ARGS".
func (d *commandDoc) usageLine() string {
	return strings.TrimSpace("renewsim " + d.name + " " + d.args)
}

// commandFlags is the flag set of a subcommand: errors and -h go to stderr,
// and -h prints the purpose, the usage line, the about text and the flags.
func commandFlags(doc *commandDoc, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(doc.name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { printUsage(stderr, doc, fs) }
	return fs
}

func printUsage(w io.Writer, doc *commandDoc, fs *flag.FlagSet) {
	fmt.Fprintf(w, "renewsim %s: %s.\n\nUsage: %s\n", doc.name, doc.purpose, doc.usageLine())
	if doc.about != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(doc.about))
	}
	flags, old := splitFlags(fs)
	if len(flags) > 0 {
		// flag's own layout, without the deprecated spellings: a FlagSet
		// holding the current flags prints them.
		shown := flag.NewFlagSet(fs.Name(), flag.ContinueOnError)
		shown.SetOutput(w)
		for _, f := range flags {
			shown.Var(f.Value, f.Name, f.Usage)
			shown.Lookup(f.Name).DefValue = f.DefValue
		}
		fmt.Fprintln(w, "\nFlags:")
		shown.PrintDefaults()
	}
	if len(old) > 0 {
		fmt.Fprintln(w, "\nDeprecated spellings (they still work in this release, with a warning):")
		for _, a := range old {
			fmt.Fprintf(w, "  %s\n    \t%s\n", a.spelling(), a.instead())
		}
	}
}

// splitFlags returns a flag set's flags in name order, apart from the
// deprecated spellings, which come second.
func splitFlags(fs *flag.FlagSet) (flags []*flag.Flag, old []*alias) {
	fs.VisitAll(func(f *flag.Flag) {
		if a, ok := f.Value.(*alias); ok {
			old = append(old, a)
			return
		}
		flags = append(flags, f)
	})
	return flags, old
}

// helpShown ends a command whose -h printed its usage: nothing else to do,
// exit 0. It carries the flag set, from which the CLI reference is written.
type helpShown struct{ fs *flag.FlagSet }

func (*helpShown) Error() string { return "help shown" }

// parseCommand parses a command's flags (see parseArgs): -h ends the
// command with its usage shown, a bad flag is a usage error.
func parseCommand(fs *flag.FlagSet, args []string) ([]string, error) {
	rest, err := parseArgs(fs, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return nil, &helpShown{fs}
	case err != nil:
		return nil, &usageError{err}
	}
	return rest, nil
}

// parseArgs parses flags wherever they appear among the arguments, so
// "renewsim run x.yaml -json" works like "renewsim run -json x.yaml". A lone
// "--" ends flag parsing.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// deprecated keeps old working as a spelling of the flag named to, for one
// release: it sets that flag and says on stderr what to write instead.
// Every renamed flag goes through here, so they all warn alike and -h and
// the CLI reference list them in one place.
//
// inverted is for a bool flag that meant the opposite of to: -cache-dns=false
// is -every-attempt. The old true was the default, so it sets nothing (and
// cannot undo an -every-attempt given beside it).
func deprecated(fs *flag.FlagSet, old, to string, inverted bool) {
	if fs.Lookup(to) == nil {
		panic("deprecated: -" + old + " stands for -" + to + ", which is not defined (yet)")
	}
	a := &alias{fs: fs, old: old, to: to, inverted: inverted}
	fs.Var(a, old, "deprecated: "+a.instead())
}

// alias is a deprecated spelling of a flag; see deprecated.
type alias struct {
	fs       *flag.FlagSet
	old, to  string
	inverted bool
}

func (a *alias) String() string { return "" }

// IsBoolFlag lets an alias of a bool flag be given without a value, as the
// flag itself can.
func (a *alias) IsBoolFlag() bool {
	if a.inverted {
		return true
	}
	if a.fs == nil {
		return false
	}
	b, ok := a.fs.Lookup(a.to).Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

func (a *alias) Set(v string) error {
	w := a.fs.Output()
	if !a.inverted {
		fmt.Fprintf(w, "renewsim: -%s is deprecated and goes in the next release; use -%s\n", a.old, a.to)
		return a.fs.Set(a.to, v)
	}
	on, err := strconv.ParseBool(v)
	if err != nil {
		return errors.New("want true or false")
	}
	if on {
		fmt.Fprintf(w, "renewsim: -%s is deprecated and goes in the next release; leave it out: it was the default, which -%s=false is\n", a.old, a.to)
		return nil
	}
	fmt.Fprintf(w, "renewsim: -%s=false is deprecated and goes in the next release; use -%s\n", a.old, a.to)
	return a.fs.Set(a.to, "true")
}

// spelling is the old flag as people wrote it.
func (a *alias) spelling() string {
	if a.inverted {
		return "-" + a.old + "=false"
	}
	return "-" + a.old
}

// instead says what to write now.
func (a *alias) instead() string {
	if a.inverted {
		return "use -" + a.to + " (-" + a.old + " alone was the default: leave it out)"
	}
	return "use -" + a.to
}
