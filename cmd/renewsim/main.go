// Command renewsim replays ACM certificate renewal scenarios on a virtual
// clock against real protocol fakes on loopback.
//
// Exit codes: 0 every expectation held, 1 some expectation failed, 2 the
// input or the command line was unusable.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// errFailed means the scenarios ran and some expectation did not hold.
var errFailed = errors.New("some expectations failed")

// usageError is a bad command line or unusable input.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

func exitCode(err error, stderr io.Writer) int {
	switch {
	case err == nil, errors.Is(err, errHelpShown):
		return 0
	case errors.Is(err, errFailed):
		return 1
	default:
		fmt.Fprintln(stderr, "renewsim:", err)
		return 2
	}
}

const usage = `renewsim simulates AWS Certificate Manager renewals on a virtual clock.

Usage:
  renewsim run [flags] [FILE|DIR ...]   run scenarios (none: the built-in library)
  renewsim validate FILE ...            check scenario files without running them
  renewsim list                         list the built-in scenarios
  renewsim sweep [flags] SCENARIO       what-if: run variants (-vary, -runs N) and sum them up
  renewsim merge [flags] SHARD.jsonl …  join the shards of a sweep (sweep -shard i/n)
  renewsim plot EVENTS.jsonl [-o FILE]  draw a timeline from a saved event log
  renewsim serve [flags] SCENARIO       run one scenario on an accelerated clock with every fake reachable
  renewsim check -acm PATH -zones PATH  read your fleet's AWS CLI exports, run it forward, say what renews

Run "renewsim COMMAND -h" for the flags of a command.
Exit codes: 0 all expectations held, 1 some failed, 2 unusable input or usage.
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usagef("no command given")
	}
	switch args[0] {
	case "run":
		return cmdRun(ctx, args[1:], stdout, stderr)
	case "validate":
		return cmdValidate(args[1:], stdout, stderr)
	case "list":
		return cmdList(args[1:], stdout, stderr)
	case "sweep":
		return cmdSweep(ctx, args[1:], stdout, stderr)
	case "merge":
		return cmdMerge(args[1:], stdout, stderr)
	case "serve":
		return cmdServe(ctx, args[1:], stdout, stderr)
	case "plot":
		return cmdPlot(args[1:], stdout, stderr)
	case "check":
		return cmdCheck(ctx, args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return usagef("unknown command %q", args[0])
}

// commandFlags is the flag set of a subcommand: errors and -h go to stderr,
// -h prints usage and then the flags.
func commandFlags(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	return fs
}

// errHelpShown means -h printed a command's usage: nothing else to do.
var errHelpShown = errors.New("help shown")

// parseCommand parses a command's flags (see parseArgs): -h ends the
// command with its usage shown, a bad flag is a usage error.
func parseCommand(fs *flag.FlagSet, args []string) ([]string, error) {
	rest, err := parseArgs(fs, args)
	switch {
	case err == flag.ErrHelp:
		return nil, errHelpShown
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
