package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/renewsim/renewsim/fleet"
	"github.com/renewsim/renewsim/iac"
	"github.com/renewsim/renewsim/report"
	"github.com/renewsim/renewsim/result"
)

// A check of infrastructure code (-terraform, -cloudformation) is check's
// pipeline once per fleet: package iac gives, per account and region, the
// fleet before the change and the fleet after it (after only, for a
// state); each is built, run and assessed like a fleet of exports, over
// one horizon, and the reports of the fleets after the change are joined
// into one, each certificate with its address and its verdict before.

// codeFleet is one fleet of a check of code: one account and region, one
// side of the change.
type codeFleet struct {
	after  bool
	fleet  *fleet.Fleet
	plan   *fleet.Plan
	report *fleet.Report
	built  *result.Scenario // for the fleet page, nil when not asked for or nothing ran
}

// checkCode checks the infrastructure code of req, with the exports given
// beside it, and prints and writes what the change does.
func (req *checkRequest) checkCode(ctx context.Context, stdout, stderr io.Writer) error {
	fs, err := req.readCode()
	if err != nil {
		return err
	}
	fleets, err := req.buildCode(fs)
	if err != nil {
		return err
	}
	out, err := req.scenarioFleet(fleets, stderr)
	if err != nil {
		return err
	}
	var whole []string
	for _, cf := range fleets {
		for _, e := range cf.plan.Entries {
			if e.Simulated && !slices.Contains(whole, e.ID) {
				whole = append(whole, e.ID)
			}
		}
	}
	for _, cf := range fleets {
		var run *checkRun
		if cf.plan.YAML != nil {
			// Each fleet runs with the alarms of -alarms that name its
			// certificates.
			file := ""
			if cf == out {
				file = req.scenarioOut
			}
			sc, res, err := runPlan(ctx, cf.plan, file, req.everyAttempt, req.alarms, whole)
			if err != nil {
				return err
			}
			run = &checkRun{sc: sc, res: res}
		}
		cf.report, cf.built = assess(cf.plan, run, cf.after && req.outs.dir != "")
	}
	r, page := req.compare(fs, fleets)
	return finishCheck(r, page, &req.outs, req.printer(), stdout)
}

// readCode reads the code and the exports and combines them. Every
// problem in every file, the code's and the exports', is unusable input.
func (req *checkRequest) readCode() (*iac.Fleets, error) {
	var probs fleet.Problems
	var base *fleet.Fleet
	if len(req.input.ACM)+len(req.input.Zones) > 0 || req.input.Account != "" {
		f, err := fleet.Read(req.input)
		if err != nil && !errors.As(err, &probs) {
			return nil, err
		}
		base = f
	}
	m, err := iac.Read(*req.code)
	var more fleet.Problems
	if err != nil && !errors.As(err, &more) {
		return nil, err
	}
	probs = append(probs, more...)
	if len(probs) > 0 {
		slices.SortStableFunc(probs, func(a, b *fleet.Problem) int { return cmp.Compare(a.File, b.File) })
		return nil, &usageError{fmt.Errorf("unusable input:\n%w", probs)}
	}
	fs, err := m.Fleets(base, iac.Options{Now: req.options.Now, Profile: req.options.Profile})
	if err != nil {
		return nil, &usageError{fmt.Errorf("unusable input:\n%w", err)}
	}
	return fs, nil
}

// buildCode turns every fleet that holds a certificate into a plan, all
// over one horizon: -until, or the longest any of them needs, so that the
// fleet before the change and the fleet after it are judged alike.
func (req *checkRequest) buildCode(fs *iac.Fleets) ([]*codeFleet, error) {
	var out []*codeFleet
	for _, r := range fs.Regions {
		if fs.Change && !iac.Empty(r.Before) {
			out = append(out, &codeFleet{fleet: r.Before})
		}
		if !iac.Empty(r.After) {
			out = append(out, &codeFleet{fleet: r.After, after: true})
		}
	}
	// Build's problems are those of the inputs (a fleet that mixes
	// accounts, say): unusable input, every one listed.
	build := func(opt fleet.Options) error {
		var probs fleet.Problems
		for _, cf := range out {
			p, err := fleet.Build(cf.fleet, opt)
			var ps fleet.Problems
			switch {
			case errors.As(err, &ps):
				probs = append(probs, ps...)
			case err != nil:
				return err
			}
			cf.plan = p
		}
		if len(probs) > 0 {
			return &usageError{fmt.Errorf("unusable input:\n%w", probs)}
		}
		return nil
	}
	if err := build(req.options); err != nil {
		return nil, err
	}
	if !req.options.Until.IsZero() || len(out) < 2 {
		return out, nil
	}
	until := out[0].plan.Until
	for _, cf := range out {
		if cf.plan.Until.After(until) {
			until = cf.plan.Until
		}
	}
	if !slices.ContainsFunc(out, func(cf *codeFleet) bool { return !cf.plan.Until.Equal(until) }) {
		return out, nil
	}
	opt := req.options
	opt.Until = until
	if err := build(opt); err != nil {
		return nil, err
	}
	return out, nil
}

// scenarioFleet is the fleet whose scenario -scenario-out writes: the
// fleet after the change (the fleet as it stands, for a state), which
// renewsim run runs with the same outcomes; nil when none is asked for or
// none can be simulated. Code that spans regions has one scenario per
// region, and a file holds one: that is a usage error, before anything
// runs.
func (req *checkRequest) scenarioFleet(fleets []*codeFleet, stderr io.Writer) (*codeFleet, error) {
	if req.scenarioOut == "" {
		return nil, nil
	}
	var after []*codeFleet
	for _, cf := range fleets {
		if cf.after && cf.plan.YAML != nil {
			after = append(after, cf)
		}
	}
	switch len(after) {
	case 0:
		fmt.Fprintf(stderr, "renewsim: no certificate can be simulated, so no scenario is written to %s\n", req.scenarioOut)
		return nil, nil
	case 1:
		return after[0], nil
	}
	var regions []string
	for _, cf := range after {
		regions = append(regions, cf.plan.Account+"/"+cf.plan.Region)
	}
	return nil, usagef("-scenario-out: the code describes certificates in %d regions (%s), one scenario each, and a file holds one: check the code of one region at a time", len(after), strings.Join(regions, ", "))
}

// compare joins the reports of the fleets after the change into one, each
// certificate named by its address and, for a change, with its verdict
// before it, the planned changes that bear on it and what the change does
// to its renewal. The fleet page gets the run of each certificate.
func (req *checkRequest) compare(fs *iac.Fleets, fleets []*codeFleet) (*fleet.Report, *report.FleetPage) {
	key := func(e *fleet.Entry) (string, *iac.Certificate) {
		if c := fs.Lookup(e.ARN); c != nil {
			return c.Address, c
		}
		return e.ARN, nil
	}
	before := map[string]*fleet.Entry{}
	var beforeOrder []string
	var afters []*fleet.Report
	page := &report.FleetPage{Runs: map[*fleet.Entry]*result.Scenario{}}
	for _, cf := range fleets {
		if !cf.after {
			for _, e := range cf.report.Certificates {
				k, _ := key(e)
				before[k] = e
				beforeOrder = append(beforeOrder, k)
			}
			continue
		}
		afters = append(afters, cf.report)
		for _, e := range cf.report.Certificates {
			if cf.built != nil && e.Simulated {
				page.Runs[e] = cf.built
			}
		}
	}
	planned := plannedBy(fs)
	seen := map[string]bool{}
	for _, r := range afters {
		for _, e := range r.Certificates {
			k, c := key(e)
			seen[k] = true
			if c != nil {
				e.Address = c.Address
				for _, n := range c.Notes {
					// The reason says why it cannot be told already.
					if !strings.HasPrefix(n, "cannot tell: ") {
						e.Notes = append(e.Notes, n)
					}
				}
			}
			if b := before[k]; b != nil {
				e.Before = &fleet.Before{Verdict: b.Verdict, Date: b.Date, Reason: b.Reason}
				if b.ARN != e.ARN {
					e.Before.ARN = b.ARN
				}
			}
			e.Planned = planned[k]
		}
	}
	until := req.options.Until
	if len(fleets) > 0 {
		until = fleets[0].plan.Until
	} else if until.IsZero() {
		until = req.options.Now.Add(fleet.DefaultHorizon)
	}
	r := fleet.Combine(req.options.Now, until, req.options.Profile, fs.Notes, afters...)
	if fs.Change {
		var deleted []string
		for _, k := range beforeOrder {
			if !seen[k] {
				deleted = append(deleted, k)
			}
		}
		r.SetChange(req.changeKind(), deleted)
	}
	return r, page
}

// changeKind is how the text names the change: a Terraform plan, a
// CloudFormation change set, or both.
func (req *checkRequest) changeKind() string {
	switch {
	case len(req.code.CloudFormation) == 0:
		return "plan"
	case len(req.code.Terraform) == 0:
		return "change set"
	}
	return "change"
}

// plannedBy lists, per certificate (address, or ARN outside the code), the
// planned changes that bear on it: deletions and replacements first, as
// the likelier causes of a break, then the others in the inputs' order.
func plannedBy(fs *iac.Fleets) map[string][]fleet.Planned {
	out := map[string][]fleet.Planned{}
	for _, a := range fs.Actions {
		for _, e := range a.Effects {
			for _, k := range e.Certificates {
				p := fleet.Planned{Address: a.Address, Action: string(a.Kind), Effect: e.Text}
				if !slices.Contains(out[k], p) {
					out[k] = append(out[k], p)
				}
			}
		}
	}
	rank := func(p fleet.Planned) int {
		switch iac.ActionKind(p.Action) {
		case iac.ActionDelete:
			return 0
		case iac.ActionReplace:
			return 1
		}
		return 2
	}
	for _, list := range out {
		slices.SortStableFunc(list, func(a, b fleet.Planned) int { return cmp.Compare(rank(a), rank(b)) })
	}
	return out
}
