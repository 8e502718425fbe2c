package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/renewsim/renewsim/fleet"
	"github.com/renewsim/renewsim/report"
	"github.com/renewsim/renewsim/sweep"
)

var mergeDoc = commandDoc{
	name:    "merge",
	args:    "[flags] SHARD.jsonl|PART.json ...",
	purpose: "join the shards of a sweep, or the parts of a split check, into what the whole prints",
	about: `Joins the JSON Lines of the shards of one sweep (renewsim sweep -shard i/n;
"-" reads standard input) in variant order. With -json it prints exactly
what the sweep without -shard prints; without, the aggregate. Every
variant must be there once: a missing or repeated shard is an error.

Given the parts of a split check (renewsim check -shard i/n), it prints
exactly what check without -shard prints (-json as check -json) and exits as
check would: 1 when some certificate will not renew. -junit and -markdown
write the same files as check's. -report is refused for them: the fleet
page tells each certificate's story from the record of the run, which the
parts do not carry; run check -report without -shard for it.`,
}

func cmdMerge(args []string, stdout, stderr io.Writer) error {
	fs := commandFlags(&mergeDoc, stderr)
	asJSON := fs.Bool("json", false, "print one JSON object per variant (JSON Lines) instead of the aggregate")
	csvFile := fs.String("csv", "", "write one row per variant to `FILE` as CSV")
	reportDir := fs.String("report", "", "write sweep.html, the charts as SVG, variants.jsonl, variants.csv and summary.txt to `DIR`")
	var outs checkOutputs
	fs.StringVar(&outs.junit, "junit", "", "parts of a check: write the verdicts as JUnit XML to `FILE`, as check -junit does")
	fs.StringVar(&outs.markdown, "markdown", "", "parts of a check: write the counts and the table in Markdown to `FILE`, as check -markdown does")
	rest, err := parseCommand(fs, args)
	if err != nil {
		return err
	}
	if len(rest) == 0 {
		fs.Usage()
		return usagef("merge: no shard files given")
	}
	if parts, ok, err := checkShards(rest); err != nil {
		return err
	} else if ok {
		if *csvFile != "" {
			return usagef("merge: -csv is for sweeps; the parts given are of a check")
		}
		if *reportDir != "" {
			return usagef("merge: -report is refused for the parts of a check: the fleet page tells each certificate's story from the record of the run, which the parts do not carry; run check -report DIR without -shard (merge writes -junit and -markdown)")
		}
		return mergeCheck(parts, *asJSON, &outs, stdout)
	}
	if outs.junit != "" || outs.markdown != "" {
		return usagef("merge: -junit and -markdown are for the parts of a check (renewsim check -shard i/n); the files given are a sweep's")
	}
	var shards [][]sweep.Variant
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
		vs, err := sweep.Read(r)
		if f != nil {
			f.Close()
		}
		if err != nil {
			return usagef("%s: %v", path, err)
		}
		shards = append(shards, vs)
	}
	all, err := sweep.Merge(shards...)
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
		errs = append(errs, sweep.WriteJSONLines(out, all))
	} else {
		agg := sweep.Sum(all)
		errs = append(errs, report.WriteAggregate(out, &agg))
	}
	errs = append(errs, out.Flush())
	return errors.Join(errs...)
}

// checkShards reads the files when they are parts of a split check (the
// first one decides); ok is false for a sweep's shards, which are left to be
// streamed.
func checkShards(paths []string) (parts [][]byte, ok bool, err error) {
	for i, path := range paths {
		if path == "-" {
			if i == 0 {
				return nil, false, nil
			}
			return nil, false, usagef("merge: the parts of a check are files, not standard input")
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, false, &usageError{err}
		}
		if i == 0 && !fleet.IsShard(data) {
			return nil, false, nil
		}
		if !fleet.IsShard(data) {
			return nil, false, usagef("merge: %s is not a part of a split check (renewsim check -shard i/n)", path)
		}
		parts = append(parts, data)
	}
	return parts, true, nil
}

func mergeCheck(parts [][]byte, asJSON bool, outs *checkOutputs, stdout io.Writer) error {
	r, err := fleet.MergeShards(parts...)
	if err != nil {
		return usagef("merge: %v", err)
	}
	printer := fleet.WriteText
	if asJSON {
		printer = fleet.WriteJSON
	}
	return finishCheck(r, nil, outs, printer, stdout)
}
