package main

import (
	"context"
	"errors"
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
	case err == nil, errors.As(err, new(*helpShown)):
		return 0
	case errors.Is(err, errFailed):
		return 1
	default:
		fmt.Fprintln(stderr, "renewsim:", err)
		return 2
	}
}

// commands lists the subcommands in the order renewsim -h and docs/cli.md
// show them. Each file defines its own doc beside its flags.
var commands = []*commandDoc{&runDoc, &validateDoc, &listDoc, &sweepDoc, &mergeDoc, &plotDoc, &serveDoc, &checkDoc, &versionDoc}

// usage is what "renewsim -h" prints.
func usage(w io.Writer) {
	fmt.Fprint(w, "renewsim simulates AWS Certificate Manager renewals on a virtual clock.\n\nUsage: renewsim COMMAND [flags] [arguments]\n\nCommands:\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.purpose)
	}
	fmt.Fprint(w, `
Run "renewsim COMMAND -h" (or "renewsim help COMMAND") for a command's usage
and flags; docs/cli.md lists them all.
Exit codes: 0 all expectations held, 1 some failed, 2 unusable input or usage.
`)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		usage(stderr)
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
	case "version", "-version", "--version":
		return cmdVersion(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		if len(args) == 2 && args[0] == "help" && args[1] != "help" {
			// "renewsim help run" is "renewsim run -h", on stdout: asked for.
			return run(ctx, []string{args[1], "-h"}, stdout, stdout)
		}
		usage(stdout)
		return nil
	}
	usage(stderr)
	return usagef("unknown command %q", args[0])
}
