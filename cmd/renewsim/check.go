package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/renewsim/renewsim/fleet"
	"github.com/renewsim/renewsim/report"
	"github.com/renewsim/renewsim/scenarios"
	"github.com/renewsim/renewsim/sim"
	simrun "github.com/renewsim/renewsim/sim/run"
)

const checkUsage = `Usage: renewsim check -acm PATH -zones PATH [flags]

Reads your ACM fleet as the AWS CLI exports it, turns it into a scenario of
the fleet as it stands at -now, runs it forward and prints per certificate,
most urgent first: renews around DATE, or expires on DATE because REASON,
and what to fix.

  -acm PATH       aws acm list-certificates and describe-certificate output
                  (and optionally get-account-configuration): a file (JSON,
                  a JSON array, JSON Lines) or a directory of them; repeatable
  -zones PATH     aws route53 list-resource-record-sets output or BIND zone
                  files (told apart by content): a file or a directory; repeatable
  -zone NAME=FILE a zone file whose zone name the file does not tell; repeatable

The horizon is two years from -now, or longer until every certificate's next
renewal is decided. Certificates the inputs cannot settle (no zone data for a
name, HTTP validation, no describe output) are listed as "cannot tell", and
already expired or never issued ones are listed without simulation; neither
changes the exit status.

Exit 0 when every simulated certificate renews in the horizon, 1 when some
will not, 2 on unusable input (every problem listed: file and JSON path, or
file:line) or usage. -scenario-out writes the scenario, which renewsim run
loads with the same outcomes and exit status, and sweep varies.

Flags:
`

func cmdCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := commandFlags("check", checkUsage, stderr)
	var acm, zoneDirs, zonePairs stringsFlag
	fs.Var(&acm, "acm", "ACM exports: a `PATH` (file or directory); repeatable")
	fs.Var(&zoneDirs, "zones", "zones: a `PATH` (Route 53 JSON or BIND, file or directory); repeatable")
	fs.Var(&zonePairs, "zone", "a zone file with its zone name, `NAME=FILE`; repeatable")
	account := fs.String("account-config", "", "aws acm get-account-configuration output `FILE` (DaysBeforeExpiry)")
	nowText := fs.String("now", "", "look at the fleet as it stands at `TIME` (RFC 3339; default: now)")
	untilText := fs.String("until", "", "run until `TIME` (RFC 3339; default: two years, or until every next renewal is decided)")
	profile := fs.String("profile", sim.DefaultProfile, "renewal rules: `NAME` of a profile ("+strings.Join(sim.ProfileNames(), ", ")+")")
	asJSON := fs.Bool("json", false, "print the verdicts as JSON")
	scenarioOut := fs.String("scenario-out", "", "write the generated scenario to `FILE.yaml`")
	shard := fs.String("shard", "", "run only part `i/n` of the fleet (certificates sharing a resource stay together) and print it as JSON for renewsim merge")
	everyAttempt := fs.Bool("every-attempt", false, "ask the fake servers at every attempt and handshake at every probe, as run -every-attempt does (same verdicts, much slower)")
	var alarms alarmsFlag
	alarms.add(fs)
	rest, err := parseCommand(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		fs.Usage()
		return usagef("check: unexpected argument %q (inputs are given with -acm, -zones and -zone)", rest[0])
	}
	if len(acm) == 0 || len(zoneDirs)+len(zonePairs) == 0 {
		fs.Usage()
		return usagef("check: give the ACM exports with -acm and the zones with -zones or -zone")
	}
	shardI, shardN := 0, 0
	if *shard != "" {
		if *asJSON {
			return usagef("check: -shard prints its part as JSON for renewsim merge; leave out -json")
		}
		if shardI, shardN, err = parseShard(*shard); err != nil {
			return err
		}
	}
	if !slices.Contains(sim.ProfileNames(), *profile) {
		return usagef("-profile: unknown profile %q (known: %s)", *profile, strings.Join(sim.ProfileNames(), ", "))
	}
	now := time.Now().UTC().Truncate(time.Second)
	if *nowText != "" {
		if now, err = parseRFC3339("-now", *nowText); err != nil {
			return err
		}
	}
	var until time.Time
	if *untilText != "" {
		if until, err = parseRFC3339("-until", *untilText); err != nil {
			return err
		}
		if !until.After(now) {
			return usagef("-until (%s) is not after -now (%s)", until.Format(time.RFC3339), now.Format(time.RFC3339))
		}
	}
	set, err := alarms.load()
	if err != nil {
		return err
	}
	in := fleet.Input{ACM: acm, Account: *account}
	for _, p := range zoneDirs {
		in.Zones = append(in.Zones, fleet.ZoneSource{Path: p})
	}
	for _, p := range zonePairs {
		name, file, ok := strings.Cut(p, "=")
		if !ok || name == "" || file == "" {
			return usagef("-zone: want NAME=FILE like example.com=db.example.com, got %q", p)
		}
		in.Zones = append(in.Zones, fleet.ZoneSource{Name: name, Path: file})
	}

	f, err := fleet.Read(in)
	if err != nil {
		return &usageError{fmt.Errorf("unusable input:\n%w", err)}
	}
	plan, err := fleet.Build(f, fleet.Options{Now: now, Until: until, Profile: *profile, Shard: shardI, Shards: shardN})
	if err != nil {
		return &usageError{fmt.Errorf("unusable input:\n%w", err)}
	}
	var report *fleet.Report
	if plan.YAML == nil {
		// Nothing to run: every certificate is settled without a simulation.
		if *scenarioOut != "" {
			fmt.Fprintf(stderr, "renewsim: no certificate can be simulated, so no scenario is written to %s\n", *scenarioOut)
		}
		report = fleet.Assess(plan, nil)
	} else if report, err = runPlan(ctx, plan, *scenarioOut, *everyAttempt, set); err != nil {
		return err
	}
	switch {
	case shardN > 0:
		err = fleet.WriteShard(stdout, report)
	case *asJSON:
		err = fleet.WriteJSON(stdout, report)
	default:
		err = fleet.WriteText(stdout, report)
	}
	if err != nil {
		return err
	}
	if report.Failed() {
		return errFailed
	}
	return nil
}

// runPlan loads the plan's scenario the way run loads a file, writes it
// when asked, runs it and judges the fleet from the record.
func runPlan(ctx context.Context, plan *fleet.Plan, scenarioOut string, everyAttempt bool, alarms *scenarios.AlarmSet) (*fleet.Report, error) {
	sc, err := scenarios.Parse(plan.File, plan.YAML)
	if err == nil {
		err = simrun.Check(sc)
	}
	if err != nil {
		// The inputs were read without a problem, so this is renewsim's
		// fault; still nothing runs.
		return nil, fmt.Errorf("check: the scenario made from the inputs does not load (please report this):\n%w", err)
	}
	if plan.Shards > 0 && alarms != nil {
		// A part holds some of the certificates the alarms may name.
		if err := alarms.AddToPart(sc, plan.FleetCertificates); err != nil {
			return nil, &usageError{fmt.Errorf("the alarms of %s do not fit:\n%w", alarms.File, err)}
		}
	} else if err := addAlarms(alarms, sc); err != nil {
		return nil, err
	}
	if scenarioOut != "" {
		if err := os.WriteFile(scenarioOut, plan.YAML, 0o644); err != nil {
			return nil, fmt.Errorf("check: write the scenario: %w", err)
		}
	}
	res, err := simrun.Run(ctx, sc, simrun.Options{CacheDNS: !everyAttempt, CacheProbes: !everyAttempt})
	if err != nil {
		return nil, fmt.Errorf("check: run %s: %w", plan.File, err)
	}
	rep := fleet.Assess(plan, res.Log)
	if len(sc.Alarms) > 0 {
		rep.SetAlarms(alarmVerdicts(report.Build(sc, res.Seed, res.Log).Alarms))
	}
	return rep, nil
}

// alarmVerdicts turns the alarms judged on the run into the fleet's
// verdicts, per certificate.
func alarmVerdicts(rs []report.AlarmResult) map[string][]fleet.AlarmVerdict {
	out := map[string][]fleet.AlarmVerdict{}
	for _, r := range rs {
		for _, c := range r.Certificates {
			v := fleet.AlarmVerdict{Alarm: r.Name, Rule: r.Rule, Fires: c.Fired, FirstFires: c.FirstFired, FalseAlarms: c.FalseAlarms,
				Troubles: c.Troubles, Missed: c.Missed, LeadTime: c.LeadTime, LeadTimeSeconds: c.LeadTimeSeconds}
			undecided := false
			for _, f := range c.Firings {
				undecided = undecided || f.Outcome == report.FiringUndecided
				if c.LeadTimeSeconds != nil && f.LeadTimeSeconds != nil && *f.LeadTimeSeconds == *c.LeadTimeSeconds && v.Before == nil {
					v.Before = f.At
				}
			}
			switch {
			case c.Missed > 0:
				v.Warns = fleet.WarnsMissed
			case c.Troubles > 0:
				v.Warns = fleet.WarnsInTime
			case undecided:
				v.Warns = fleet.WarnsUndecided
			case c.FalseAlarms > 0:
				v.Warns = fleet.WarnsFalse
			default:
				v.Warns = fleet.WarnsSilent
			}
			out[c.Cert] = append(out[c.Cert], v)
		}
	}
	return out
}

func parseRFC3339(flagName, s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, usagef("%s: want an RFC 3339 time like 2026-04-01T00:00:00Z, got %q", flagName, s)
	}
	return t.UTC(), nil
}
