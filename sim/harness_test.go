package sim_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"

	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/scenarios"
	"github.com/renewsim/renewsim/sim"
)

// TestHarness runs the scripts in testdata/: each file pins one rule of the
// model, driven without sockets (see harness_driver_test.go). Refresh the
// expected output with
//
//	go test ./sim/ -run TestHarness -rewrite
//
// and review the diff of testdata/.
//
// Commands (datadriven syntax: a directive, an optional body, ----, the
// expected output):
//
//	scenario [seed=N] [begin=false]   body: a scenario in YAML; starts the run (Begin) unless begin=false
//	world [at=TIME]                   body: canned answers from TIME (default: now), one per line:
//	                                    cname NAME: nxdomain|nodata|servfail|timeout|wrong|chain N|zone
//	                                    caa OWNER: servfail|timeout|none|<flag tag value>[;; …]|zone
//	                                    http DOMAIN: token|redirect [STATUS]|unreachable|<status> [body or location]|zone
//	                                    https DOMAIN: error TEXT|zone      tls RESOURCE: error TEXT|zone
//	                                    mail ADDRESS: refuse|tempfail|accept|zone
//	run [until=TIME]                  run the timers up to TIME (default: until, then End) and print the record since the last print
//	step [at=TIME]                    body: one input (begin, end, timer kind=K cert=I gen=G n=N,
//	                                    change do=… cert=… resource=…, cname cert=I attempt=A name=N rcode=R,
//	                                    tls resource=I, bogus); prints the model's error or the record
//	click domain=D [from=ADDRESS] | click mail=N [verdict=approved]
//	                                  follow an approval link now (mail=N: the N-th approval e-mail asked for)
//	effects [kind=(wake,send-email,…)] the effects carried out by the last command, in order
//	status cert=ID [at=TIME]          what ACM shows (sim.View) at TIME (default: now)
//	phase cert=ID                     the certificate's phase now (Model.Phase)
//	outage                            each resource's outage windows (result.Build)
//
// Any directive may carry bug=NAME: an expected failure, see knownBug.
//
// TIME is RFC 3339, or start, end, now, ID.issued, ID.expiry (the first
// NotAfter) or ID.notafter (the NotAfter shown now), optionally followed by
// one signed duration as scenarios write it: web.expiry-39d23h30m.
func TestHarness(t *testing.T) {
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		if filepath.Ext(path) != ".txt" {
			t.Skip("not a script (rapid keeps its failures under testdata/rapid)")
		}
		h := &harness{file: filepath.Base(path)}
		datadriven.RunTest(t, path, func(t *testing.T, td *datadriven.TestData) string {
			out, err := h.command(td)
			if err != nil {
				t.Fatalf("%s: %v", td.Pos, err)
			}
			if arg, ok := td.Arg("bug"); ok {
				return knownBug(t, td, strings.Join(arg.Vals, ","), out)
			}
			return out
		})
	})
}

// knownBug handles a directive marked bug=NAME: its expected output is what
// the rule says (written by hand, never rewritten), and the model is known
// to do otherwise. The case passes while the bug is there, logging it, and
// fails once the output matches, so that the mark is removed with the fix.
func knownBug(t *testing.T, td *datadriven.TestData, name, out string) string {
	if out == td.Expected {
		t.Errorf("%s: known bug %s no longer happens: remove the bug= mark", td.Pos, name)
	} else {
		t.Logf("%s: known bug %s; the rule expects:\n%sthe model does:\n%s", td.Pos, name, td.Expected, out)
	}
	return td.Expected
}

// harness holds the run a script drives.
type harness struct {
	file string
	d    *driver
	// printed is how much of the record and of the phase marks is printed.
	printed, marksPrinted int
}

// command runs one directive. An error is a broken script; what the model
// answers (an error from Step included) is output.
func (h *harness) command(td *datadriven.TestData) (string, error) {
	if td.Cmd != "scenario" && h.d == nil {
		return "", fmt.Errorf("%s before scenario", td.Cmd)
	}
	args := map[string]string{}
	for _, a := range td.CmdArgs {
		args[a.Key] = strings.Join(a.Vals, ",")
	}
	if h.d != nil && td.Cmd != "effects" {
		h.d.done = nil
	}
	switch td.Cmd {
	case "scenario":
		return h.scenario(td.Input, args)
	case "world":
		from := h.d.eng.Now()
		if s, ok := args["at"]; ok {
			t, err := h.when(s)
			if err != nil {
				return "", err
			}
			from = t
		}
		for _, line := range strings.Split(strings.TrimSpace(td.Input), "\n") {
			if err := h.d.w.setCanned(from, strings.TrimSpace(line)); err != nil {
				return "", err
			}
		}
		return "ok", nil
	case "run":
		var err error
		if s, ok := args["until"]; ok {
			t, werr := h.when(s)
			if werr != nil {
				return "", werr
			}
			err = h.d.runUntil(t)
		} else {
			err = h.d.finish()
		}
		return h.flush(err), nil
	case "step":
		return h.step(td.Input, args)
	case "click":
		return h.click(args)
	case "effects":
		kinds := strings.Split(args["kind"], ",")
		var shown []performed
		for _, p := range h.d.done {
			if args["kind"] == "" || slices.Contains(kinds, effectKind(p.e)) {
				shown = append(shown, p)
			}
		}
		return effectsText(h.d.sc, shown), nil
	case "status":
		at := h.d.eng.Now()
		if s, ok := args["at"]; ok {
			t, err := h.when(s)
			if err != nil {
				return "", err
			}
			at = t
		}
		i, err := h.cert(args["cert"])
		if err != nil {
			return "", err
		}
		return viewText(sim.View(h.d.sc, h.d.seed, h.d.m.Record(), at)[i]), nil
	case "phase":
		i, err := h.cert(args["cert"])
		if err != nil {
			return "", err
		}
		p, _ := h.d.m.Phase(i)
		return p.String(), nil
	case "outage":
		rs := result.Build(h.d.sc, h.d.seed, h.d.m.Record())
		var b strings.Builder
		for _, r := range rs.Resources {
			fmt.Fprintf(&b, "%s: %s\n", r.ID, r.Outage)
			for _, w := range r.Windows {
				fmt.Fprintf(&b, "  %s .. %s %s serial %s\n", stamp(w.Start), stamp(w.End), w.Cert, shortSerial(w.Serial))
			}
		}
		return b.String(), nil
	}
	return "", fmt.Errorf("unknown command %q", td.Cmd)
}

func (h *harness) scenario(body string, args map[string]string) (string, error) {
	sc, err := scenarios.Parse(strings.TrimSuffix(h.file, ".txt")+".yaml", []byte(body))
	if err != nil {
		return "", err
	}
	seed := sc.Seed
	if s, ok := args["seed"]; ok {
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			return "", fmt.Errorf("seed: %w", err)
		}
	}
	h.d = newDriver(sc, seed, true)
	h.printed, h.marksPrinted = 0, 0
	var b strings.Builder
	fmt.Fprintf(&b, "profile %s, %s .. %s\n", sc.ProfileName, stamp(sc.Start), stamp(sc.Until))
	for _, c := range sc.Certificates {
		method := c.Validation
		if method == "" {
			method = "no validation"
		}
		fmt.Fprintf(&b, "%s: %s, %s, %s, valid %s .. %s, %s\n", c.ID, c.Type, method, strings.Join(c.Names(), " "),
			stamp(c.Issued), stamp(c.NotAfter), renewalText(&sc.Profile, c))
	}
	if args["begin"] == "false" {
		return b.String(), nil
	}
	err = h.d.begin()
	b.WriteString(h.flush(err))
	return b.String(), nil
}

// renewalText says when the first certificate's renewal starts: ACM's
// window, or the span a comparison profile's policy draws from.
func renewalText(p *sim.Profile, c sim.Certificate) string {
	if p.RenewalPolicy == sim.PolicyWindow {
		return "window " + sim.FormatDuration(p.Window(c.Type, c.Issued))
	}
	lo, hi := p.RenewalBounds(c.Type, c.Issued, c.NotAfter)
	if lo.Equal(hi) {
		return fmt.Sprintf("renewal %s at %s", p.RenewalPolicy, stamp(lo))
	}
	return fmt.Sprintf("renewal %s from %s to %s", p.RenewalPolicy, stamp(lo), stamp(hi))
}

// flush prints the record since the last print, and err.
func (h *harness) flush(err error) string {
	rec := h.d.m.Record()
	out := renderRecord(rec[h.printed:], h.printed, h.d.marks[h.marksPrinted:], h.certIDs())
	h.printed, h.marksPrinted = len(rec), len(h.d.marks)
	if err != nil {
		out += "error: " + err.Error() + "\n"
	}
	return out
}

func (h *harness) certIDs() []string {
	var ids []string
	for _, c := range h.d.sc.Certificates {
		ids = append(ids, c.ID)
	}
	return ids
}

func (h *harness) cert(id string) (int, error) {
	for i, c := range h.d.sc.Certificates {
		if c.ID == id {
			return i, nil
		}
	}
	return 0, fmt.Errorf("no certificate %q", id)
}

// bogus is an input the model does not know: it has the input method of
// Begin, but is not a Begin.
type bogus struct{ sim.Begin }

// step feeds one input now and carries out what it asks for, as the driver
// does; an error from Step is output, and leaves the run usable.
func (h *harness) step(body string, args map[string]string) (string, error) {
	if s, ok := args["at"]; ok {
		t, err := h.when(s)
		if err != nil {
			return "", err
		}
		if err := h.d.runUntil(t); err != nil {
			return h.flush(err), nil
		}
	}
	kind, rest, _ := strings.Cut(strings.TrimSpace(body), " ")
	kv := map[string]string{}
	for _, f := range strings.Fields(rest) {
		k, v, _ := strings.Cut(f, "=")
		kv[k] = v
	}
	num := func(k string) int {
		n, _ := strconv.Atoi(kv[k])
		return n
	}
	var in sim.Input
	switch kind {
	case "begin":
		in = sim.Begin{}
		h.d.begun = true
	case "end":
		in = sim.End{}
	case "timer":
		in = sim.Timer{Kind: sim.TimerKind(kv["kind"]), Cert: num("cert"), Gen: num("gen"), N: num("n")}
	case "change":
		in = sim.Change{Do: kv["do"], Cert: kv["cert"], Resource: kv["resource"], Domain: kv["domain"]}
	case "cname":
		rec, _ := sim.ValidationRecord(h.d.seed, h.d.sc.Profile.Account, kv["name"])
		in = sim.CNAMEAnswer{Cert: num("cert"), Attempt: num("attempt"), Record: rec, Rcode: kv["rcode"]}
	case "tls":
		in = sim.TLSAnswer{Resource: num("resource")}
	case "bogus":
		in = bogus{}
	default:
		return "", fmt.Errorf("step: unknown input %q", kind)
	}
	now := h.d.eng.Now()
	if err := h.d.m.Step(now, in); err != nil {
		return h.flush(nil) + "error: " + err.Error() + "\n", nil
	}
	h.d.notePhases(now)
	h.d.queue = append(h.d.queue[:0], h.d.m.Ready().Effects...)
	for len(h.d.queue) > 0 && h.d.err == nil {
		e := h.d.queue[0]
		h.d.queue = h.d.queue[1:]
		h.d.perform(e)
	}
	return h.flush(h.d.err), nil
}

// click follows an approval link now.
func (h *harness) click(args map[string]string) (string, error) {
	now := h.d.eng.Now()
	var r sim.ClickResult
	switch {
	case args["domain"] != "":
		r = h.d.w.click(args["domain"], args["from"], now)
	case args["mail"] != "":
		n, err := strconv.Atoi(args["mail"])
		if err != nil || n < 1 || n > len(h.d.w.sent) {
			return "", fmt.Errorf("click mail=%s: %d approval e-mails were sent", args["mail"], len(h.d.w.sent))
		}
		e := h.d.w.sent[n-1]
		r = h.d.w.clickCode(e.Code, e.Domain, "", now)
		if args["verdict"] == "approved" {
			r = sim.ClickResult{Domain: e.Domain, Code: e.Code, Approved: true, Status: 200}
		}
	default:
		return "", fmt.Errorf("click needs domain= or mail=")
	}
	h.d.step(now, r)
	return h.flush(h.d.err), nil
}

// when reads a TIME argument.
func (h *harness) when(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	anchor, off := s, ""
	if i := strings.IndexAny(s, "+-"); i >= 0 {
		anchor, off = s[:i], s[i:]
	}
	var base time.Time
	sc := h.d.sc
	switch {
	case anchor == "start":
		base = sc.Start
	case anchor == "end":
		base = sc.Until
	case anchor == "now":
		base = h.d.eng.Now()
	default:
		id, field, ok := strings.Cut(anchor, ".")
		i, err := h.cert(id)
		if !ok || err != nil {
			return time.Time{}, fmt.Errorf("time %q: want RFC 3339, start, end, now or <cert>.issued|expiry|notafter, ±duration", s)
		}
		switch field {
		case "issued":
			base = sc.Certificates[i].Issued
		case "expiry":
			base = sc.Certificates[i].NotAfter
		case "notafter":
			base = sim.View(sc, h.d.seed, h.d.m.Record(), h.d.eng.Now())[i].NotAfter
		default:
			return time.Time{}, fmt.Errorf("time %q: unknown anchor %q", s, field)
		}
	}
	if off == "" {
		return base, nil
	}
	// One signed duration, read as scenarios read it (sim.ParseDuration):
	// "-40d1h" is 40 days and an hour before.
	d, err := sim.ParseDuration(off)
	if err != nil {
		return time.Time{}, fmt.Errorf("time %q: %w", s, err)
	}
	return base.Add(d), nil
}
