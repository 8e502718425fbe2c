package report_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/fleet"
	"github.com/renewsim/renewsim/internal/junitschema"
	"github.com/renewsim/renewsim/report"
	"github.com/renewsim/renewsim/result"
)

// changeCheck is the hand-built check as the fleet after a plan: api
// breaks (a record the plan destroys), gone expired before too, pending is
// created and never issues, www is created and renews, slow and status
// stay as they were, and apex is deleted.
func changeCheck() *fleet.Report {
	f := handCheck()
	renews := &fleet.Before{Verdict: fleet.VerdictRenews, Date: ptrTime(time.Date(2026, 7, 24, 0, 0, 0, 0, time.UTC)), Reason: "its validation CNAME is in place"}
	for _, c := range f.Certificates {
		c.Address = "aws_acm_certificate." + c.ID
		switch c.ID {
		case "api":
			c.Address = `module.edge.aws_acm_certificate.this["api|pipe"]`
			c.Before = renews
			c.Planned = []fleet.Planned{{Address: `aws_route53_record.validation["api.example.com"]`, Action: "delete",
				Effect: "destroys the validation record _x.api.example.com that module.edge.aws_acm_certificate.this[\"api|pipe\"] validates with"}}
		case "gone":
			c.Before = &fleet.Before{Verdict: c.Verdict, Date: c.Date, Reason: c.Reason}
		case "slow", "status":
			c.Before = &fleet.Before{Verdict: c.Verdict, Date: c.Date, Reason: c.Reason}
		}
	}
	f.SetChange("plan", []string{"aws_acm_certificate.apex"})
	return f
}

// The pull-request comment starts with what the change breaks, each break
// with its verdict after and before and the planned changes that bear on
// it; then what else it does; then, folded away, every certificate.
func TestFleetChangeMarkdown(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, report.WriteFleetMarkdown(&buf, changeCheck()))
	md := buf.String()
	assert.True(t, strings.HasPrefix(md, "## ❌ renewsim: this plan breaks the renewal of 2 certificates\n\n"), md)
	breaks := strings.Index(md, "| | Certificate | After this plan | Before this plan | Planned changes that bear on it |")
	details := strings.Index(md, "<details><summary>Every certificate after this plan (6)</summary>")
	require.Positive(t, breaks)
	require.Greater(t, details, breaks, "the breaks first, the detail folded below")
	assert.Contains(t, md, "| ❌ | `module.edge.aws_acm_certificate.this[\"api\\|pipe\"]`<br>api.example.com, \\*.api.example.com | **expires on 2026-09-06 because CNAME &lt;missing&gt;",
		"a pipe in an address does not end the cell")
	assert.Contains(t, md, "| renews around 2026-07-24: its validation CNAME is in place | `aws_route53_record.validation[\"api.example.com\"]` (delete): destroys the validation record")
	assert.Contains(t, md, "| ➖ | `aws_acm_certificate.pending`<br>pending.example.com | **not issued: never validated (not simulated)** | did not exist: this plan creates it |")
	assert.Contains(t, md, "It fixes 0, creates 1, deletes 1 and leaves 3 unchanged.\n")
	assert.Contains(t, md, "- ✅ creates `aws_acm_certificate.www`: renews around 2026-08-10 and once more by 2028-03-31: its CNAME is in place\n")
	assert.Contains(t, md, "- ➖ deletes `aws_acm_certificate.apex`\n")
	assert.Contains(t, md, "- ⚠️ `aws_acm_certificate.gone` does not renew before this plan either, so it is not this plan's doing: already expired on 2026-03-03 (not simulated)\n")
	assert.Contains(t, md, "<details><summary>Shared validation records (1)")
	assert.Contains(t, md, "<details><summary>Notes (1)</summary>")
	assert.Equal(t, strings.Count(md, "<details>"), strings.Count(md, "</details>"))
	assert.NotContains(t, md, "not listed")

	none := changeCheck()
	for _, c := range none.Certificates {
		if c.Before == nil {
			c.Before = &fleet.Before{Verdict: c.Verdict, Date: c.Date, Reason: c.Reason}
		}
		c.Verdict = fleet.VerdictRenews
		c.Date = ptrTime(time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC))
	}
	none.SetChange("plan", nil)
	buf.Reset()
	require.NoError(t, report.WriteFleetMarkdown(&buf, none))
	assert.True(t, strings.HasPrefix(buf.String(), "## ✅ renewsim: this plan breaks no certificate renewal\n"), buf.String())
	assert.NotContains(t, buf.String(), "| | Certificate | After this plan |", "no breaks, no table of them")

	empty := fleet.Combine(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2028, 3, 31, 0, 0, 0, 0, time.UTC), "acm-2026", nil)
	empty.SetChange("change set", nil)
	buf.Reset()
	require.NoError(t, report.WriteFleetMarkdown(&buf, empty))
	assert.Equal(t, "## ✅ renewsim: no certificates in this change set\n\nNothing in the inputs is an ACM certificate, so there is no renewal to check.\n", buf.String())
}

// However large the fleet and however many breaks, the comment fits what
// GitHub takes (65,536 characters): the breaks first, as many as fit, and
// how many more; the folded detail only if room is left.
func TestFleetChangeMarkdownBounded(t *testing.T) {
	f := changeCheck()
	api := f.Certificates[1]
	require.Equal(t, "api", api.ID)
	f.Certificates = nil
	for i := range 3000 {
		c := *api
		c.ID = fmt.Sprintf("api-%04d", i)
		c.Address = fmt.Sprintf("aws_acm_certificate.api[%d]", i)
		f.Certificates = append(f.Certificates, &c)
	}
	counted(f)
	f.SetChange("plan", nil)
	var buf bytes.Buffer
	require.NoError(t, report.WriteFleetMarkdown(&buf, f))
	md := buf.String()
	assert.LessOrEqual(t, len(md), 60000)
	assert.Contains(t, md, "`aws_acm_certificate.api[0]`")
	assert.Regexp(t, `\n\d+ more broken certificates are not listed: the comment would outgrow what GitHub takes \(65,536 characters\)`, md)
	assert.True(t, strings.HasPrefix(md, "## ❌ renewsim: this plan breaks the renewal of 3000 certificates\n"))
	assert.Equal(t, strings.Count(md, "<details>"), strings.Count(md, "</details>"))
}

// JUnit of a change: a failure is a break; what does not renew before the
// change either is skipped, said so; a deleted certificate passes.
func TestFleetChangeJUnit(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, report.WriteFleetJUnit(&buf, changeCheck()))
	x := buf.String()
	assert.Contains(t, x, `<testsuites name="renewsim check" tests="7" failures="2" errors="0">`)
	assert.Contains(t, x, `skipped="3">`, "gone (expired before too), slow (undecided), status (cannot tell)")
	assert.Equal(t, 7, strings.Count(x, "<testcase "))
	assert.Contains(t, x, `<failure type="breaks" message="this plan breaks its renewal: expires on 2026-09-06 because CNAME &lt;missing&gt;`)
	assert.Contains(t, x, `<failure type="breaks" message="this plan breaks its renewal: not issued: never validated (not simulated) (before: it did not exist: this plan creates it)`)
	assert.Contains(t, x, `<skipped type="expired" message="does not renew before this plan either, so it is not this plan&#39;s doing: already expired on 2026-03-03 (not simulated)">`)
	assert.Contains(t, x, `<testcase name="aws_acm_certificate.apex (deleted by this plan)" classname="aws_acm_certificate.apex">`)
	assert.Contains(t, x, `<property name="change" value="plan"></property>`)
	assert.Contains(t, x, "planned: aws_route53_record.validation[&#34;api.example.com&#34;] (delete): destroys")
	file := filepath.Join(t.TempDir(), "change.xml")
	require.NoError(t, os.WriteFile(file, buf.Bytes(), 0o644))
	junitschema.Validate(t, file)
}

// The page of a change says at the top what it breaks, and the table and
// the drill-down give every certificate's verdict before it.
func TestFleetChangePage(t *testing.T) {
	f := changeCheck()
	var buf bytes.Buffer
	require.NoError(t, report.WriteFleetHTML(&buf, &report.FleetPage{Check: f}))
	d := parsePage(t, buf.Bytes())
	assert.Empty(t, d.external)
	for _, h := range d.hrefs {
		assert.True(t, d.ids[strings.TrimPrefix(h, "#")], "the link %s lands nowhere", h)
	}
	require.Len(t, d.rows, len(f.Certificates), "one row per certificate in the table; the breaks are a table of their own")
	page := buf.String()
	assert.Contains(t, page, `<h2 id="change">this plan breaks the renewal of 2 certificates</h2>`)
	assert.Less(t, strings.Index(page, `id="change"`), strings.Index(page, `id="certificates"`), "the change first")
	assert.Contains(t, page, "<th>Before</th>")
	assert.Contains(t, d.text, "after this plan: 6 certificates of account 123456789012 in us-east-1")
	assert.Contains(t, d.text, "It fixes 0, creates 1, deletes 1 and leaves 3 unchanged.")
	assert.Contains(t, d.text, "deletes aws_acm_certificate.apex")
	assert.Contains(t, d.text, "plannedaws_route53_record.validation[\"api.example.com\"] (delete): destroys")
	assert.Contains(t, d.text, "addressmodule.edge.aws_acm_certificate.this[\"api|pipe\"]")

	buf.Reset()
	require.NoError(t, report.WriteFleetHTML(&buf, &report.FleetPage{Check: handCheck()}))
	assert.NotContains(t, buf.String(), "<th>Before</th>", "a check of exports has no before")
	assert.NotContains(t, buf.String(), `id="change"`)
}

// A check that ran several scenarios (one per region) gives the page each
// certificate's own run: every failing one has its story and timeline, and
// events.jsonl holds every run's record.
func TestFleetPageRuns(t *testing.T) {
	a, runA := syntheticCheck(100)
	b, runB := syntheticCheck(100)
	runB.Name = "fleet-b"
	for _, c := range b.Certificates {
		c.ARN = strings.Replace(c.ARN, "us-east-1", "eu-west-1", 1)
	}
	b.Region = "eu-west-1"
	page := &report.FleetPage{Runs: map[*fleet.Entry]*result.Scenario{}}
	for _, c := range a.Certificates {
		page.Runs[c] = runA
	}
	for _, c := range b.Certificates {
		page.Runs[c] = runB
	}
	page.Check = fleet.Combine(a.Now, a.Until, a.Profile, nil, a, b)
	dir := t.TempDir()
	_, err := report.WriteFleetDir(dir, page)
	require.NoError(t, err)
	html, err := os.ReadFile(filepath.Join(dir, "index.html"))
	require.NoError(t, err)
	d := parsePage(t, html)
	failing := page.Check.Counts.Expires
	require.Positive(t, failing)
	assert.Equal(t, 1+failing, d.svgs, "the fleet timeline, and each failing certificate's own from its run")
	assert.NotContains(t, d.text, "Nothing was simulated")
	events, err := os.Open(filepath.Join(dir, "events.jsonl"))
	require.NoError(t, err)
	defer events.Close()
	names := map[string]int{}
	sc := bufio.NewScanner(events)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l struct{ Scenario string }
		require.NoError(t, json.Unmarshal(sc.Bytes(), &l))
		names[l.Scenario]++
	}
	assert.Equal(t, map[string]int{runA.Name: len(runA.Log()), "fleet-b": len(runB.Log())}, names)
}
