package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// commandDoc is what a subcommand says about itself. Its -h and
// "renewsim -h" are written from it and the command's FlagSet, so they
// cannot disagree.
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
	var any bool
	fs.VisitAll(func(*flag.Flag) { any = true })
	if any {
		fmt.Fprintln(w, "\nFlags:")
		fs.PrintDefaults()
	}
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
