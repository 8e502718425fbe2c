package report

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/sim"
)

// Param is one parameter of a sweep variant: a path into the scenario and
// the value it had.
type Param struct {
	Path  string
	Value string
}

// Params keep their order; in JSON they are one object whose keys are the
// paths, in that order.
type Params []Param

// MarshalJSON writes {"path": "value", …} in order.
func (ps Params) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := sweepMarshalString(p.Path)
		if err != nil {
			return nil, err
		}
		v, err := sweepMarshalString(p.Value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads an object of strings, keeping the order of its keys.
func (ps *Params) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		*ps = nil
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("params: want an object of path: value, got %v", tok)
	}
	out := Params{}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return err
		}
		var v string
		if err := dec.Decode(&v); err != nil {
			return fmt.Errorf("params: %q: want a string value: %w", kt, err)
		}
		out = append(out, Param{Path: kt.(string), Value: v})
	}
	*ps = out
	return nil
}

// Value returns the value of path.
func (ps Params) Value(path string) (string, bool) {
	for _, p := range ps {
		if p.Path == path {
			return p.Value, true
		}
	}
	return "", false
}

func sweepMarshalString(s string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// VariantResult is what happened in one variant of a sweep: its parameters,
// each certificate's first renewal cycle and each resource's outage. It is
// one line of `renewsim sweep -json`.
type VariantResult struct {
	Scenario string `json:"scenario"`
	Index    int    `json:"index"`
	// Of is the number of variants in the whole sweep (all shards).
	Of int `json:"of"`
	// Run is the Monte Carlo run of a sweep with -runs, absent otherwise.
	Run  *int   `json:"run,omitempty"`
	Seed uint64 `json:"seed"`
	// Params are the -vary values; Sampled the values drawn for the run.
	Params       Params            `json:"params"`
	Sampled      Params            `json:"sampled,omitempty"`
	Certificates []VariantCert     `json:"certificates"`
	Resources    []VariantResource `json:"resources"`
	// Alarms are the scenario's alarms in this variant (absent when it
	// has none).
	Alarms []VariantAlarm `json:"alarms,omitempty"`
}

// VariantCert is one certificate's first renewal cycle in a variant.
type VariantCert struct {
	ID      string      `json:"id"`
	Outcome sim.Outcome `json:"outcome"` // renewed | expired | pending
	// RenewedAt is when the renewal was issued (null when not renewed).
	RenewedAt *time.Time `json:"renewed_at"`
	// NotAfter is the first certificate's expiry.
	NotAfter time.Time `json:"not_after"`
	// ServedAt is when the last resource that used the certificate when it
	// was renewed began to serve the new one (the renewal time when no
	// resource used it); null when not renewed, or when some resource did
	// not serve it before the run ended.
	ServedAt *time.Time `json:"served_at"`
	// Margin is NotAfter - ServedAt: how long before expiry the new
	// certificate was everywhere. Negative means an outage. Null with
	// ServedAt.
	Margin        *string `json:"margin"`
	MarginSeconds *int64  `json:"margin_seconds"`
}

// MarginDuration is the margin, and whether there is one.
func (c *VariantCert) MarginDuration() (time.Duration, bool) {
	if c.MarginSeconds == nil {
		return 0, false
	}
	return time.Duration(*c.MarginSeconds) * time.Second, true
}

// VariantResource is one resource's outage in a variant: the total time it
// served an expired certificate, as in the run report.
type VariantResource struct {
	ID            string `json:"id"`
	Outage        string `json:"outage"`
	OutageSeconds int64  `json:"outage_seconds"`
}

// VariantInfo says which variant of a sweep a run was.
type VariantInfo struct {
	Index, Of int
	Run       int // Monte Carlo run, -1 for none
	Params    Params
	Sampled   Params
}

// BuildVariant reads the record of a run of one variant: outcomes and
// outages as Build reads them, and the margin of each certificate.
func BuildVariant(info VariantInfo, sc *sim.Scenario, seed uint64, log []sim.Entry) VariantResult {
	// A sweep does not check expectations: leave them out of the build.
	noExpect := *sc
	noExpect.Expect = nil
	s := result.Build(&noExpect, seed, log)
	v := VariantResult{
		Scenario: sc.Name, Index: info.Index, Of: info.Of, Seed: seed,
		Params: slices.Clone(info.Params), Sampled: slices.Clone(info.Sampled),
		Certificates: []VariantCert{}, Resources: []VariantResource{},
	}
	if v.Params == nil {
		v.Params = Params{}
	}
	if info.Run >= 0 {
		r := info.Run
		v.Run = &r
	}
	for _, c := range s.Certificates {
		vc := VariantCert{ID: c.ID, Outcome: c.Outcome, NotAfter: c.NotAfter.UTC()}
		if c.RenewedAt != nil {
			t := c.RenewedAt.UTC()
			vc.RenewedAt = &t
			if served, ok := sweepServedAt(log, s.Index().CertEntries(c.ID)); ok {
				served = served.UTC()
				vc.ServedAt = &served
				m := vc.NotAfter.Sub(served)
				text := sim.FormatDuration(m)
				secs := int64(m / time.Second)
				vc.Margin, vc.MarginSeconds = &text, &secs
			}
		}
		v.Certificates = append(v.Certificates, vc)
	}
	for _, r := range s.Resources {
		v.Resources = append(v.Resources, VariantResource{ID: r.ID, Outage: sim.FormatDuration(time.Duration(r.OutageSeconds) * time.Second), OutageSeconds: r.OutageSeconds})
	}
	v.Alarms = variantAlarms(s.Alarms)
	return v
}

// sweepServedAt is when the first renewal of a certificate was served by
// the last of the resources that served it when it was renewed; the
// renewal time when none did. ok is false when there was no renewal, or
// some of those resources never served it (and were not detached from it
// first). It reads the certificate's entries at those positions of log.
func sweepServedAt(log []sim.Entry, at []int32) (time.Time, bool) {
	serving := map[string]bool{}
	var order []string
	issued := -1
	for k, p := range at {
		e := &log[p]
		if e.Kind == sim.KindIssued && e.Detail.Cycle == 1 {
			issued = k
			break
		}
		switch e.Kind {
		case sim.KindDeployed:
			if !serving[e.Resource] {
				serving[e.Resource] = true
				order = append(order, e.Resource)
			}
		case sim.KindUndeployed:
			delete(serving, e.Resource)
		}
	}
	if issued < 0 {
		return time.Time{}, false
	}
	renewal := &log[at[issued]]
	serial := renewal.Detail.Serial
	last := renewal.Time
	// Each of those resources is settled by its first later entry that
	// serves the renewal (when) or detaches the certificate.
	settled := map[string]bool{}
	servedAt := map[string]time.Time{}
	for _, p := range at[issued+1:] {
		e := &log[p]
		if !serving[e.Resource] || settled[e.Resource] {
			continue
		}
		switch {
		case e.Kind == sim.KindDeployed && e.Detail.Serial == serial:
			settled[e.Resource] = true
			servedAt[e.Resource] = e.Time
		case e.Kind == sim.KindUndeployed:
			settled[e.Resource] = true // detached before it was served: no longer a user
		}
	}
	for _, res := range order {
		if !serving[res] {
			continue
		}
		if !settled[res] {
			return time.Time{}, false
		}
		if t, ok := servedAt[res]; ok {
			if t.After(last) {
				last = t
			}
		}
	}
	return last, true
}

// WriteVariantJSON writes v as one line of JSON Lines. The same result
// always gives the same bytes.
func WriteVariantJSON(w io.Writer, v *VariantResult) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// WriteVariantsJSON writes one line per variant, in the order given.
func WriteVariantsJSON(w io.Writer, vs []VariantResult) error {
	bw := bufio.NewWriter(w)
	for i := range vs {
		if err := WriteVariantJSON(bw, &vs[i]); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// ReadVariants reads JSON Lines written by WriteVariantJSON. Blank lines
// are skipped; anything else that is not a variant is an error naming its
// line.
func ReadVariants(r io.Reader) ([]VariantResult, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 64*1024*1024)
	var out []VariantResult
	line := 0
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		var v VariantResult
		dec := json.NewDecoder(bytes.NewReader(text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("line %d: not a sweep variant: %v", line, err)
		}
		if v.Of <= 0 || v.Index < 0 || v.Index >= v.Of {
			return nil, fmt.Errorf("line %d: variant index %d of %d is out of range", line, v.Index, v.Of)
		}
		if v.Params == nil {
			v.Params = Params{}
		}
		if v.Certificates == nil {
			v.Certificates = []VariantCert{}
		}
		if v.Resources == nil {
			v.Resources = []VariantResource{}
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// MergeVariants combines the shards of one sweep into the variants in
// index order, exactly as the unsharded sweep gives them. Every variant
// from 0 to Of-1 must be there once, and all must belong to the same
// scenario and sweep size.
func MergeVariants(shards ...[]VariantResult) ([]VariantResult, error) {
	var all []VariantResult
	for _, s := range shards {
		all = append(all, s...)
	}
	if len(all) == 0 {
		return nil, errors.New("no variants to merge")
	}
	of, name := all[0].Of, all[0].Scenario
	for _, v := range all {
		if v.Of != of {
			return nil, fmt.Errorf("variant %d belongs to a sweep of %d variants, variant %d to one of %d: these are not shards of one sweep", all[0].Index, of, v.Index, v.Of)
		}
		if v.Scenario != name {
			return nil, fmt.Errorf("variant %d is of scenario %q, variant %d of %q: these are not shards of one sweep", all[0].Index, name, v.Index, v.Scenario)
		}
	}
	slices.SortStableFunc(all, func(a, b VariantResult) int { return a.Index - b.Index })
	var missing []string
	nMissing := 0
	next := 0
	for i, v := range all {
		if i > 0 && all[i-1].Index == v.Index {
			return nil, fmt.Errorf("variant %d appears twice (a shard given twice, or shards of different -shard n?)", v.Index)
		}
		for ; next < v.Index; next++ {
			nMissing++
			if len(missing) < 10 {
				missing = append(missing, strconv.Itoa(next))
			}
		}
		next = v.Index + 1
	}
	for ; next < of; next++ {
		nMissing++
		if len(missing) < 10 {
			missing = append(missing, strconv.Itoa(next))
		}
	}
	if nMissing > 0 {
		more := ""
		if nMissing > len(missing) {
			more = fmt.Sprintf(", … (%d in all)", nMissing)
		}
		return nil, fmt.Errorf("%d of %d variants are missing: %s%s (is a shard missing?)", nMissing, of, strings.Join(missing, ", "), more)
	}
	return all, nil
}

// sweepColumns are the parameter, certificate and resource names of a set
// of variants, in first-seen order.
type sweepColumns struct {
	params, sampled, certs, resources []string
	runs                              bool
}

func sweepColumnsOf(vs []VariantResult) sweepColumns {
	var c sweepColumns
	newOrder := func() idOrder { return idOrder{at: map[string]int32{}} }
	params, sampled, certs, resources := newOrder(), newOrder(), newOrder(), newOrder()
	for _, v := range vs {
		if v.Run != nil {
			c.runs = true
		}
		for _, p := range v.Params {
			params.add(p.Path)
		}
		for _, p := range v.Sampled {
			sampled.add(p.Path)
		}
		for _, x := range v.Certificates {
			certs.add(x.ID)
		}
		for _, x := range v.Resources {
			resources.add(x.ID)
		}
	}
	c.params, c.sampled, c.certs, c.resources = params.ids, sampled.ids, certs.ids, resources.ids
	return c
}

// WriteVariantsCSV writes one row per variant: index, run (with -runs),
// seed, one column per -vary path and per sampled path (named "PATH
// (sampled)" when a -vary has the same path), then for each certificate
// ID.outcome, ID.renewed_at, ID.not_after, ID.served_at, ID.margin and
// ID.margin_seconds, and for each resource ID.outage and
// ID.outage_seconds. Empty cells are values that do not exist.
func WriteVariantsCSV(w io.Writer, vs []VariantResult) error {
	c := sweepColumnsOf(vs)
	head := []string{"index"}
	if c.runs {
		head = append(head, "run")
	}
	head = append(head, "seed")
	head = append(head, c.params...)
	for _, p := range c.sampled {
		if slices.Contains(c.params, p) {
			p += " (sampled)"
		}
		head = append(head, p)
	}
	for _, id := range c.certs {
		for _, f := range []string{"outcome", "renewed_at", "not_after", "served_at", "margin", "margin_seconds"} {
			head = append(head, id+"."+f)
		}
	}
	for _, id := range c.resources {
		head = append(head, id+".outage", id+".outage_seconds")
	}
	alarms := sweepAlarmNames(vs)
	for _, n := range alarms {
		for _, f := range alarmCSVFields {
			head = append(head, "alarm."+n+"."+f)
		}
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(head); err != nil {
		return err
	}
	ts := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	for _, v := range vs {
		row := []string{strconv.Itoa(v.Index)}
		if c.runs {
			r := ""
			if v.Run != nil {
				r = strconv.Itoa(*v.Run)
			}
			row = append(row, r)
		}
		row = append(row, strconv.FormatUint(v.Seed, 10))
		for _, p := range c.params {
			s, _ := v.Params.Value(p)
			row = append(row, s)
		}
		for _, p := range c.sampled {
			s, _ := v.Sampled.Value(p)
			row = append(row, s)
		}
		certs := firstByID(v.Certificates, func(x *VariantCert) string { return x.ID })
		for _, id := range c.certs {
			cells := make([]string, 6)
			if i, ok := certs[id]; ok {
				x := &v.Certificates[i]
				cells[0], cells[1], cells[2], cells[3] = string(x.Outcome), ts(x.RenewedAt), ts(&x.NotAfter), ts(x.ServedAt)
				if x.Margin != nil {
					cells[4] = *x.Margin
					cells[5] = strconv.FormatInt(*x.MarginSeconds, 10)
				}
			}
			row = append(row, cells...)
		}
		resources := firstByID(v.Resources, func(x *VariantResource) string { return x.ID })
		for _, id := range c.resources {
			cells := make([]string, 2)
			if i, ok := resources[id]; ok {
				x := &v.Resources[i]
				cells[0], cells[1] = x.Outage, strconv.FormatInt(x.OutageSeconds, 10)
			}
			row = append(row, cells...)
		}
		row = append(row, alarmCSVCells(&v, alarms)...)
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// firstByID maps the id of each item of xs to the index of the first item
// with that id.
func firstByID[T any](xs []T, id func(*T) string) map[string]int {
	m := make(map[string]int, len(xs))
	for i := len(xs) - 1; i >= 0; i-- {
		m[id(&xs[i])] = i
	}
	return m
}

// Aggregate is what a sweep says overall.
type Aggregate struct {
	Scenario string
	Variants int
	// Runs is the number of Monte Carlo runs per grid point (0: none);
	// GridPoints the number of grid points.
	Runs, GridPoints int
	Certificates     []CertAggregate
	Resources        []ResourceAggregate
	// AnyExpired counts the variants in which some certificate expired,
	// AnyOutage those in which some resource had an outage.
	AnyExpired, AnyOutage int
	// Alarms sums up the scenario's alarms (none when it has none).
	Alarms []AlarmAggregate
}

// CertAggregate is one certificate over every variant. The margin
// percentiles use the nearest-rank method over all variants, a variant
// without a margin (not renewed, or not served before the end) counting as
// the smallest: a percentile that falls on one is nil.
type CertAggregate struct {
	ID                        string
	Renewed, Expired, Pending int
	// WithMargin counts the variants with a margin; Negative those whose
	// margin is below zero (served after expiry).
	WithMargin, Negative int
	MarginP5, MarginP50  *time.Duration
	MarginP95            *time.Duration
	MarginMin, MarginMax *time.Duration
}

// PExpired is the share of variants in which the certificate expired.
func (c *CertAggregate) PExpired(n int) float64 { return sweepShare(c.Expired, n) }

// ResourceAggregate is one resource over every variant; outage percentiles
// use the nearest-rank method.
type ResourceAggregate struct {
	ID                   string
	WithOutage           int
	OutageP50, OutageP95 time.Duration
	OutageMax            time.Duration
}

func sweepShare(k, n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(k) / float64(n)
}

// Percentile is the nearest-rank percentile p (0 < p <= 100) of sorted
// values: the value at rank ceil(p/100 × n), counting from 1. It is
// always one of the values, and the same values always give the same
// answer.
func Percentile[T any](sorted []T, p float64) (T, bool) {
	var zero T
	n := len(sorted)
	if n == 0 {
		return zero, false
	}
	rank := int(math.Ceil(p / 100 * float64(n)))
	rank = max(1, min(n, rank))
	return sorted[rank-1], true
}

// Aggregate sums up variants.
func AggregateVariants(vs []VariantResult) Aggregate {
	c := sweepColumnsOf(vs)
	a := Aggregate{Variants: len(vs)}
	grid := map[string]bool{}
	for _, v := range vs {
		if a.Scenario == "" {
			a.Scenario = v.Scenario
		}
		if v.Run != nil {
			a.Runs = max(a.Runs, *v.Run+1)
		}
		key, _ := v.Params.MarshalJSON()
		grid[string(key)] = true
		expired, outage := false, false
		for _, x := range v.Certificates {
			expired = expired || x.Outcome == sim.OutcomeExpired
		}
		for _, x := range v.Resources {
			outage = outage || x.OutageSeconds > 0
		}
		if expired {
			a.AnyExpired++
		}
		if outage {
			a.AnyOutage++
		}
	}
	a.GridPoints = len(grid)
	// Every variant's entry for a certificate or resource, in the order of
	// the variants.
	certRank := make(map[string]int, len(c.certs))
	for i, id := range c.certs {
		certRank[id] = i
	}
	resRank := make(map[string]int, len(c.resources))
	for i, id := range c.resources {
		resRank[id] = i
	}
	certsOf := make([][]*VariantCert, len(c.certs))
	resOf := make([][]*VariantResource, len(c.resources))
	for i := range vs {
		for j := range vs[i].Certificates {
			x := &vs[i].Certificates[j]
			certsOf[certRank[x.ID]] = append(certsOf[certRank[x.ID]], x)
		}
		for j := range vs[i].Resources {
			x := &vs[i].Resources[j]
			resOf[resRank[x.ID]] = append(resOf[resRank[x.ID]], x)
		}
	}
	for k, id := range c.certs {
		ca := CertAggregate{ID: id}
		var margins []*time.Duration
		for _, x := range certsOf[k] {
			switch x.Outcome {
			case sim.OutcomeRenewed:
				ca.Renewed++
			case sim.OutcomeExpired:
				ca.Expired++
			default:
				ca.Pending++
			}
			if m, ok := x.MarginDuration(); ok {
				ca.WithMargin++
				if m < 0 {
					ca.Negative++
				}
				margins = append(margins, &m)
			} else {
				margins = append(margins, nil)
			}
		}
		slices.SortStableFunc(margins, sweepCmpMargin)
		ca.MarginP5, _ = Percentile(margins, 5)
		ca.MarginP50, _ = Percentile(margins, 50)
		ca.MarginP95, _ = Percentile(margins, 95)
		for _, m := range margins {
			if m != nil {
				if ca.MarginMin == nil {
					ca.MarginMin = m
				}
				ca.MarginMax = m
			}
		}
		a.Certificates = append(a.Certificates, ca)
	}
	for k, id := range c.resources {
		ra := ResourceAggregate{ID: id}
		var outages []time.Duration
		for _, x := range resOf[k] {
			d := time.Duration(x.OutageSeconds) * time.Second
			outages = append(outages, d)
			if d > 0 {
				ra.WithOutage++
			}
		}
		slices.Sort(outages)
		ra.OutageP50, _ = Percentile(outages, 50)
		ra.OutageP95, _ = Percentile(outages, 95)
		if len(outages) > 0 {
			ra.OutageMax = outages[len(outages)-1]
		}
		a.Resources = append(a.Resources, ra)
	}
	a.Alarms = aggregateAlarms(vs)
	return a
}

// sweepCmpMargin orders margins, a missing one first.
func sweepCmpMargin(a, b *time.Duration) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	case *a < *b:
		return -1
	case *a > *b:
		return 1
	}
	return 0
}

func sweepMarginText(m *time.Duration) string {
	if m == nil {
		return "none"
	}
	return sim.FormatDuration(*m)
}

func sweepPct(k, n int) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%% (%d/%d)", 100*sweepShare(k, n), k, n)
}

// Describe says in one line what was swept: the variants, grid points and
// runs.
func (a *Aggregate) Describe() string {
	s := fmt.Sprintf("%s: %s", a.Scenario, sweepPlural(a.Variants, "variant"))
	switch {
	case a.Runs > 0 && a.GridPoints > 1:
		s += fmt.Sprintf(" (%s × %s)", sweepPlural(a.GridPoints, "grid point"), sweepPlural(a.Runs, "Monte Carlo run"))
	case a.Runs > 0:
		s += fmt.Sprintf(" (%s)", sweepPlural(a.Runs, "Monte Carlo run"))
	}
	return s
}

// WriteAggregate prints the aggregate as text tables: per certificate the
// outcomes, P(expired) and margin percentiles, per resource P(outage) and
// outage percentiles.
func WriteAggregate(w io.Writer, a *Aggregate) error {
	var b bytes.Buffer
	fmt.Fprintln(&b, a.Describe())
	n := a.Variants
	rows := [][]string{{"certificate", "renewed", "expired", "pending", "P(expired)", "margin p5", "p50", "p95", "min", "max"}}
	for _, c := range a.Certificates {
		rows = append(rows, []string{c.ID, strconv.Itoa(c.Renewed), strconv.Itoa(c.Expired), strconv.Itoa(c.Pending), sweepPct(c.Expired, n),
			sweepMarginText(c.MarginP5), sweepMarginText(c.MarginP50), sweepMarginText(c.MarginP95), sweepMarginText(c.MarginMin), sweepMarginText(c.MarginMax)})
	}
	sweepTable(&b, rows)
	if len(a.Resources) > 0 {
		fmt.Fprintln(&b)
		rows = [][]string{{"resource", "P(outage)", "outage p50", "p95", "max"}}
		for _, r := range a.Resources {
			rows = append(rows, []string{r.ID, sweepPct(r.WithOutage, n),
				sim.FormatDuration(r.OutageP50), sim.FormatDuration(r.OutageP95), sim.FormatDuration(r.OutageMax)})
		}
		sweepTable(&b, rows)
	}
	fmt.Fprintln(&b)
	fmt.Fprintf(&b, "P(any certificate expired) %s, P(any outage) %s\n", sweepPct(a.AnyExpired, n), sweepPct(a.AnyOutage, n))
	fmt.Fprintln(&b, "margin: expiry - when the last resource served the renewed certificate (below 0: outage);")
	fmt.Fprintln(&b, "none: not renewed, or not served before the end (counted as the smallest); percentiles by nearest rank")
	writeAlarmAggregate(&b, a)
	_, err := w.Write(b.Bytes())
	return err
}

// sweepTable writes rows in columns: the first left-aligned, the others
// right-aligned, two spaces apart.
func sweepTable(b *bytes.Buffer, rows [][]string) {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	for _, r := range rows {
		var line strings.Builder
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			switch {
			case i == 0:
				line.WriteString(c + pad)
			default:
				line.WriteString("  " + pad + c)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
}

// sweepPlural writes "1 variant", "2 variants".
func sweepPlural(n int, unit string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, unit)
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// lastByID maps the id of each item of xs to the index of the last item
// with that id.
func lastByID[T any](xs []T, id func(*T) string) map[string]int {
	m := make(map[string]int, len(xs))
	for i := range xs {
		m[id(&xs[i])] = i
	}
	return m
}
