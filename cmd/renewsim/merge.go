package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/renewsim/renewsim/report"
)

const mergeUsage = `Usage: renewsim merge [-json] [-csv FILE] [-report DIR] SHARD.jsonl ...

Joins the JSON Lines of the shards of one sweep ("renewsim sweep -shard i/n
-json", "-" for standard input) in variant order. With -json it prints
exactly what the sweep without -shard prints; without, the aggregate. Every
variant must be there once: a missing or repeated shard is an error.

Flags:
`

func cmdMerge(args []string, stdout, stderr io.Writer) error {
	fs := commandFlags("merge", mergeUsage, stderr)
	asJSON := fs.Bool("json", false, "print one JSON object per variant (JSON Lines) instead of the aggregate")
	csvFile := fs.String("csv", "", "write one row per variant to `FILE` as CSV")
	reportDir := fs.String("report", "", "write sweep.html, the charts as SVG, variants.jsonl, variants.csv and summary.txt to `DIR`")
	rest, err := parseCommand(fs, args)
	if err != nil {
		return err
	}
	if len(rest) == 0 {
		fs.Usage()
		return usagef("merge: no shard files given")
	}
	var shards [][]report.VariantResult
	for _, path := range rest {
		var r io.Reader = os.Stdin
		var f *os.File
		if path != "-" {
			f, err = os.Open(path)
			if err != nil {
				return &usageError{err}
			}
			r = f
		}
		vs, err := report.ReadVariants(r)
		if f != nil {
			f.Close()
		}
		if err != nil {
			return usagef("%s: %v", path, err)
		}
		shards = append(shards, vs)
	}
	all, err := report.MergeVariants(shards...)
	if err != nil {
		return usagef("merge: %v", err)
	}
	out := bufio.NewWriterSize(stdout, 64*1024)
	var errs []error
	if *csvFile != "" {
		errs = append(errs, writeFile(*csvFile, func(w io.Writer) error { return report.WriteVariantsCSV(w, all) }))
	}
	if *reportDir != "" {
		page := report.SweepPage{Command: commandLine("merge", args), Variants: all}
		if _, err := report.WriteSweepDir(*reportDir, page); err != nil {
			errs = append(errs, fmt.Errorf("-report %s: %w", *reportDir, err))
		}
	}
	if *asJSON {
		errs = append(errs, report.WriteVariantsJSON(out, all))
	} else {
		agg := report.AggregateVariants(all)
		errs = append(errs, report.WriteAggregate(out, &agg))
	}
	errs = append(errs, out.Flush())
	return errors.Join(errs...)
}
