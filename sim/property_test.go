package sim_test

import (
	"flag"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/scenarios"
	"github.com/renewsim/renewsim/sim"
)

// Property tests: random scenarios (every certificate type and validation
// method, resources, timeline changes, random canned world answers) run
// through the harness driver, and what must hold of every run is checked on
// its record and effects. rapid runs -rapid.checks of them (here 20 unless
// the flag or RAPID_CHECKS says otherwise, so that `go test -race ./sim/`
// stays a few seconds); a failure is shrunk to a small scenario and saved
// under testdata/rapid/ to replay.

func TestMain(m *testing.M) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "rapid.checks" })
	if _, env := os.LookupEnv("RAPID_CHECKS"); !set && !env {
		_ = flag.Set("rapid.checks", "20")
	}
	os.Exit(m.Run())
}

// randomRun is one generated case: a scenario and the canned answers of
// its world.
type randomRun struct {
	yaml   string
	sc     *sim.Scenario
	canned []cannedLine
}

// cannedLine is one line of the world command, from a virtual time on.
type cannedLine struct {
	from time.Time
	line string
}

var (
	profileStarts = map[string][]time.Time{
		"acm-2026":   {time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
		"acm-legacy": {time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
		"cabf-2027":  {time.Date(2027, 3, 20, 0, 0, 0, 0, time.UTC)},
		"cabf-2029":  {time.Date(2029, 3, 20, 0, 0, 0, 0, time.UTC)},
		// Comparison profiles: seeded renewal times must keep every property.
		"ari":               {time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
		"two-thirds-jitter": {time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
		"fixed-30d":         {time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
		"letsencrypt-2026":  {time.Date(2026, 5, 13, 0, 0, 0, 0, time.UTC)},
	}
	resourceKinds = []string{"elb", "cloudfront", "apigateway", "other"}
)

// genRun draws a scenario the loader accepts, in YAML, and a canned world.
func genRun(t *rapid.T) randomRun {
	profile := rapid.SampledFrom([]string{"acm-2026", "acm-legacy", "cabf-2027", "cabf-2029", "ari", "two-thirds-jitter", "fixed-30d", "letsencrypt-2026"}).Draw(t, "profile")
	p, _ := sim.LookupProfile(profile)
	start := rapid.SampledFrom(profileStarts[profile]).Draw(t, "start")
	retry := rapid.SampledFrom([]string{"1h", "3h", "7h"}).Draw(t, "retry")
	var y strings.Builder
	fmt.Fprintf(&y, "name: random\nprofile: %s\nstart: %s\nseed: %d\n", profile, start.Format(time.RFC3339), rapid.Uint64Range(1, 5).Draw(t, "seed"))
	fmt.Fprintf(&y, "overrides:\n  retry_interval: %s\n", retry)

	// Resources; cloudfront ones carry the hostnames of http-validated names.
	nres := rapid.IntRange(0, 3).Draw(t, "resources")
	kinds := make([]string, nres)
	hostnames := make([][]string, nres)
	var cloudfront []int
	for i := range kinds {
		kinds[i] = rapid.SampledFrom(resourceKinds).Draw(t, fmt.Sprintf("kind%d", i))
		if kinds[i] == "cloudfront" {
			cloudfront = append(cloudfront, i)
		}
	}

	type cert struct {
		id, typ, method, domain string
		names                   []string
		expiry                  time.Time
	}
	var certs []cert
	var certYAML strings.Builder
	ncerts := rapid.IntRange(1, 3).Draw(t, "certificates")
	var mailboxes []string
	for j := 0; j < ncerts; j++ {
		c := cert{id: fmt.Sprintf("c%d", j)}
		c.typ = rapid.SampledFrom([]string{sim.TypeAmazonIssued, sim.TypeAmazonIssued, sim.TypeAmazonIssued, sim.TypePrivate, sim.TypePrivateCA, sim.TypeImported}).Draw(t, c.id+".type")
		methods := []string{sim.ValidationDNS, sim.ValidationEmail}
		if len(cloudfront) > 0 {
			methods = append(methods, sim.ValidationHTTP)
		}
		if c.typ == sim.TypeAmazonIssued {
			c.method = rapid.SampledFrom(methods).Draw(t, c.id+".method")
		}
		c.domain = fmt.Sprintf("n%d.example.com", j)
		fmt.Fprintf(&certYAML, "  - id: %s\n    domain: %s\n    type: %s\n", c.id, c.domain, c.typ)
		c.names = []string{c.domain}
		switch c.method {
		case sim.ValidationDNS:
			if rapid.Bool().Draw(t, c.id+".wildcard") {
				c.names = append(c.names, "*."+c.domain)
				fmt.Fprintf(&certYAML, "    sans: [\"*.%s\"]\n", c.domain)
			}
			rec := rapid.SampledFrom([]string{"present", "present", "absent", "wrong", "chain-3", "chain-6", "no-underscore", "doubled-suffix"}).Draw(t, c.id+".record")
			fmt.Fprintf(&certYAML, "    validation: dns\n    validation_record: %s\n", rec)
		case sim.ValidationEmail:
			if rapid.Bool().Draw(t, c.id+".www") {
				c.names = append(c.names, "www."+c.domain)
				fmt.Fprintf(&certYAML, "    sans: [www.%s]\n", c.domain)
			}
			fmt.Fprintf(&certYAML, "    validation: email\n")
			mailboxes = append(mailboxes, "admin@"+c.domain)
		case sim.ValidationHTTP:
			rec := rapid.SampledFrom([]string{"present", "redirect", "absent", "wrong"}).Draw(t, c.id+".record")
			fmt.Fprintf(&certYAML, "    validation: http\n    validation_record: %s\n", rec)
		}
		// in_use_by: any resources; http-validated ones on cloudfront only,
		// and at least one, whose hostnames lead to the token.
		var users []string
		for i := range kinds {
			if (c.method != sim.ValidationHTTP || kinds[i] == "cloudfront") && rapid.Bool().Draw(t, fmt.Sprintf("%s.uses.r%d", c.id, i)) {
				users = append(users, fmt.Sprintf("r%d", i))
			}
		}
		if c.method == sim.ValidationHTTP {
			r := rapid.SampledFrom(cloudfront).Draw(t, c.id+".cdn")
			if !slices.Contains(users, fmt.Sprintf("r%d", r)) {
				users = append(users, fmt.Sprintf("r%d", r))
			}
			hostnames[r] = append(hostnames[r], c.domain)
		}
		if len(users) > 0 {
			fmt.Fprintf(&certYAML, "    in_use_by: [%s]\n", strings.Join(users, ", "))
		}
		if rapid.Bool().Draw(t, c.id+".exported") {
			certYAML.WriteString("    exported: true\n")
		}
		c.expiry = start.Add(p.Validity(c.typ, start))
		certs = append(certs, c)
	}
	if nres > 0 {
		y.WriteString("resources:\n")
		for i, k := range kinds {
			fmt.Fprintf(&y, "  - id: r%d\n    kind: %s\n    deploy_delay: %dm\n", i, k, 10*rapid.IntRange(0, 60).Draw(t, fmt.Sprintf("delay%d", i)))
			if len(hostnames[i]) > 0 {
				fmt.Fprintf(&y, "    hostnames: [%s]\n", strings.Join(hostnames[i], ", "))
			}
		}
	}
	y.WriteString("certificates:\n" + certYAML.String())

	// Until: after the first expiry, sometimes into a second cycle.
	last := certs[0].expiry
	for _, c := range certs {
		if c.expiry.After(last) {
			last = c.expiry
		}
	}
	until := last.Add(time.Duration(rapid.IntRange(0, 10).Draw(t, "until+d")) * sim.Day)
	if rapid.IntRange(0, 3).Draw(t, "second cycle") == 0 {
		until = until.Add(p.PublicValidity / 2)
	}
	fmt.Fprintf(&y, "until: %s\n", until.Format(time.RFC3339))
	span := int(until.Sub(start) / time.Hour)
	// Random times fall in the last part of the run, where renewals happen,
	// to the minute: some land between a validation and its issue.
	at := func(label string) time.Time {
		m := rapid.IntRange(span*30, span*60).Draw(t, label)
		return start.Add(time.Duration(m) * time.Minute)
	}

	if len(mailboxes) > 0 {
		y.WriteString("unlisted_mailboxes: " + rapid.SampledFrom([]string{"accept", "reject"}).Draw(t, "unlisted") + "\nmailboxes:\n")
		for i, mb := range mailboxes {
			fmt.Fprintf(&y, "  - address: %s\n", mb)
			switch rapid.IntRange(0, 2).Draw(t, fmt.Sprintf("mailbox%d", i)) {
			case 1:
				fmt.Fprintf(&y, "    clicks: after %dh\n", rapid.IntRange(0, 100).Draw(t, fmt.Sprintf("mailbox%d.after", i)))
			case 2:
				fmt.Fprintf(&y, "    clicks: at %s\n", at(fmt.Sprintf("mailbox%d.at", i)).Format(time.RFC3339))
			}
			if rapid.IntRange(0, 4).Draw(t, fmt.Sprintf("mailbox%d.rejects", i)) == 0 {
				y.WriteString("    rejects: true\n")
			}
		}
	}

	// Timeline: attach, detach, export, validation records, CAA, e-mail.
	var timeline []string
	for k := rapid.IntRange(0, 6).Draw(t, "changes"); k > 0; k-- {
		when := at(fmt.Sprintf("change%d.at", k)).Format(time.RFC3339)
		c := certs[rapid.IntRange(0, len(certs)-1).Draw(t, fmt.Sprintf("change%d.cert", k))]
		var do []string
		if nres > 0 {
			do = append(do, "attach", "detach")
		}
		do = append(do, "export", "dns-add", "dns-delete")
		if c.method == sim.ValidationDNS || c.method == sim.ValidationHTTP {
			do = append(do, "delete-validation-record", "restore-validation-record")
		}
		if c.method == sim.ValidationEmail {
			do = append(do, "click-approval", "resend-validation-email", "mailbox-reject", "mailbox-accept")
		}
		switch action := rapid.SampledFrom(do).Draw(t, fmt.Sprintf("change%d.do", k)); action {
		case "attach", "detach":
			r := rapid.IntRange(0, nres-1).Draw(t, fmt.Sprintf("change%d.resource", k))
			if action == "attach" && c.method == sim.ValidationHTTP && kinds[r] != "cloudfront" {
				continue
			}
			timeline = append(timeline, fmt.Sprintf("  - at: %s\n    do: %s\n    cert: %s\n    resource: r%d\n", when, action, c.id, r))
		case "export", "delete-validation-record", "restore-validation-record", "resend-validation-email":
			timeline = append(timeline, fmt.Sprintf("  - at: %s\n    do: %s\n    cert: %s\n", when, action, c.id))
		case "dns-add":
			value := rapid.SampledFrom([]string{`0 issue "amazon.com"`, `0 issue "letsencrypt.org"`, `0 issuewild ";"`}).Draw(t, fmt.Sprintf("change%d.caa", k))
			timeline = append(timeline, fmt.Sprintf("  - at: %s\n    do: dns-add\n    record: '%s. 300 IN CAA %s'\n", when, rapid.SampledFrom([]string{"example.com", c.domain}).Draw(t, fmt.Sprintf("change%d.owner", k)), value))
		case "dns-delete":
			timeline = append(timeline, fmt.Sprintf("  - at: %s\n    do: dns-delete\n    name: example.com.\n    type: CAA\n", when))
		case "click-approval":
			timeline = append(timeline, fmt.Sprintf("  - at: %s\n    do: click-approval\n    domain: %s\n", when, rapid.SampledFrom(c.names).Draw(t, fmt.Sprintf("change%d.domain", k))))
		case "mailbox-reject", "mailbox-accept":
			timeline = append(timeline, fmt.Sprintf("  - at: %s\n    do: %s\n    address: admin@%s\n", when, action, c.domain))
		}
	}
	if len(timeline) > 0 {
		y.WriteString("timeline:\n" + strings.Join(timeline, ""))
	}

	sc, err := scenarios.Parse("random.yaml", []byte(y.String()))
	if err != nil {
		t.Fatalf("the generator wrote a scenario the loader refuses: %v\n%s", err, y.String())
	}

	// Canned answers from random times: DNS, CAA, HTTP and mail outcomes.
	var cs []cannedLine
	for k := rapid.IntRange(0, 4).Draw(t, "canned"); k > 0; k-- {
		c := certs[rapid.IntRange(0, len(certs)-1).Draw(t, fmt.Sprintf("canned%d.cert", k))]
		from := at(fmt.Sprintf("canned%d.from", k))
		var line string
		switch rapid.IntRange(0, 3).Draw(t, fmt.Sprintf("canned%d.what", k)) {
		case 0:
			line = "cname " + c.domain + ": " + rapid.SampledFrom([]string{"nxdomain", "nodata", "servfail", "timeout", "wrong", "chain 5", "chain 6", "zone"}).Draw(t, fmt.Sprintf("canned%d.cname", k))
		case 1:
			line = "caa " + rapid.SampledFrom([]string{"example.com", c.domain}).Draw(t, fmt.Sprintf("canned%d.owner", k)) + ": " +
				rapid.SampledFrom([]string{"servfail", "none", `0 issue "letsencrypt.org"`, `0 issue "amazon.com"`, "zone"}).Draw(t, fmt.Sprintf("canned%d.caa", k))
		case 2:
			line = "http " + c.domain + ": " + rapid.SampledFrom([]string{"404", "token", "redirect", "unreachable", "500 oops", "zone"}).Draw(t, fmt.Sprintf("canned%d.http", k))
		case 3:
			line = "mail admin@" + c.domain + ": " + rapid.SampledFrom([]string{"refuse", "tempfail", "accept", "zone"}).Draw(t, fmt.Sprintf("canned%d.mail", k))
		}
		cs = append(cs, cannedLine{from: from, line: line})
	}
	return randomRun{yaml: y.String(), sc: sc, canned: cs}
}

// run drives r to its end and returns the driver.
func (r randomRun) run(t require.TestingT) *driver {
	d := newDriver(r.sc, r.sc.Seed, false)
	for _, c := range r.canned {
		require.NoError(t, d.w.setCanned(c.from, c.line))
	}
	require.NoError(t, d.finish(), "scenario:\n%s", r.yaml)
	return d
}

func TestPropertyARNNeverChanges(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := genRun(t)
		rec := r.run(t).m.Record()
		arns := map[string]string{}
		for _, e := range rec {
			arn := e.Detail.ARN
			if arn == "" && e.Detail.Event != nil {
				arn = e.Detail.Event.Resources[0]
			}
			if arn == "" || e.Cert == "" {
				continue
			}
			if first, ok := arns[e.Cert]; ok && first != arn {
				t.Fatalf("%s: the ARN of %s changed from %s to %s (%s)\n%s", stamp(e.Time), e.Cert, first, arn, e.Kind, r.yaml)
			}
			arns[e.Cert] = arn
		}
	})
}

func TestPropertyNotAfterNeverGoesBack(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := genRun(t)
		rec := r.run(t).m.Record()
		last := map[string]time.Time{}
		for _, e := range rec {
			if (e.Kind != sim.KindCert && e.Kind != sim.KindIssued) || e.Detail.NotAfter == nil {
				continue
			}
			na := *e.Detail.NotAfter
			if prev, ok := last[e.Cert]; ok && !na.After(prev) {
				t.Fatalf("%s: %s's NotAfter went from %s to %s\n%s", stamp(e.Time), e.Cert, stamp(prev), stamp(na), r.yaml)
			}
			last[e.Cert] = na
		}
		// What ACM shows agrees, fortnight by fortnight.
		prev := map[string]time.Time{}
		for at := r.sc.Start; !at.After(r.sc.Until); at = at.Add(14 * sim.Day) {
			for _, v := range sim.View(r.sc, r.sc.Seed, rec, at) {
				if v.NotAfter.Before(prev[v.ID]) {
					t.Fatalf("%s: View shows %s's NotAfter back at %s from %s\n%s", stamp(at), v.ID, stamp(v.NotAfter), stamp(prev[v.ID]), r.yaml)
				}
				prev[v.ID] = v.NotAfter
			}
		}
	})
}

// TestPropertyIneligibleNeverRenews: no validation attempt and no renewed
// certificate while the certificate's latest status says INELIGIBLE, also
// when eligibility is lost during the issue delay (eligibility-across-
// cycles.txt, once the bug issue-after-detach).
func TestPropertyIneligibleNeverRenews(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := genRun(t)
		d := newDriver(r.sc, r.sc.Seed, true)
		for _, c := range r.canned {
			require.NoError(t, d.w.setCanned(c.from, c.line))
		}
		require.NoError(t, d.finish(), "scenario:\n%s", r.yaml)
		elig := map[string]sim.Eligibility{}
		for _, e := range d.m.Record() {
			switch e.Kind {
			case sim.KindStatus:
				elig[e.Cert] = e.Detail.StatusOf().Eligibility
			case sim.KindAttempt, sim.KindIssued:
				if elig[e.Cert] == sim.Eligible {
					continue
				}
				t.Fatalf("%s: %s %s while the last status said %s\n%s", stamp(e.Time), e.Kind, e.Cert, elig[e.Cert], r.yaml)
			}
		}
	})
}

// servedWindows is, from the Deploy effects alone, when each resource served
// a certificate past its NotAfter: from NotAfter (or from when it was
// deployed, if later) until it serves another one or the run ends.
func servedWindows(d *driver) map[string][][2]time.Time {
	type seg struct {
		since    time.Time
		serial   string
		notAfter time.Time
	}
	cur := map[int]*seg{}
	out := map[string][][2]time.Time{}
	closeAt := func(ri int, at time.Time) {
		s := cur[ri]
		if s == nil || s.serial == "" {
			return
		}
		if from := maxT(s.since, s.notAfter); at.After(from) {
			out[d.sc.Resources[ri].ID] = append(out[d.sc.Resources[ri].ID], [2]time.Time{from, at})
		}
	}
	for _, p := range d.done {
		dep, ok := p.e.(sim.Deploy)
		if !ok {
			continue
		}
		closeAt(dep.Resource, p.at)
		cur[dep.Resource] = &seg{since: p.at, serial: dep.Serial, notAfter: dep.NotAfter}
	}
	for ri := range cur {
		closeAt(ri, d.sc.Until)
	}
	for id := range out {
		out[id] = union(out[id])
	}
	return out
}

func maxT(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// union merges overlapping or touching windows.
func union(ws [][2]time.Time) [][2]time.Time {
	slices.SortFunc(ws, func(a, b [2]time.Time) int { return a[0].Compare(b[0]) })
	var out [][2]time.Time
	for _, w := range ws {
		if n := len(out); n > 0 && !w[0].After(out[n-1][1]) {
			out[n-1][1] = maxT(out[n-1][1], w[1])
			continue
		}
		out = append(out, w)
	}
	return out
}

func TestPropertyOutageIsServingPastNotAfter(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := genRun(t)
		d := r.run(t)
		want := servedWindows(d)
		res := result.Build(r.sc, r.sc.Seed, d.m.Record())
		for _, rr := range res.Resources {
			var got [][2]time.Time
			for _, w := range rr.Windows {
				got = append(got, [2]time.Time{w.Start, w.End})
			}
			got = union(got)
			if !reflect.DeepEqual(want[rr.ID], got) {
				t.Fatalf("resource %s: result.Build's outage windows %v, but it served a certificate past its NotAfter during %v\n%s", rr.ID, got, want[rr.ID], r.yaml)
			}
		}
	})
}

func TestPropertyRunIsPure(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := genRun(t)
		a, b := r.run(t), r.run(t)
		if !reflect.DeepEqual(a.m.Record(), b.m.Record()) {
			t.Fatalf("two runs of the same scenario and seed wrote different records\n%s", r.yaml)
		}
		if !reflect.DeepEqual(a.done, b.done) {
			t.Fatalf("two runs of the same scenario and seed asked for different effects\n%s", r.yaml)
		}
	})
}
