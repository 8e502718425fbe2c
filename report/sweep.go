package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/renewsim/renewsim/sim"
	"github.com/renewsim/renewsim/sweep"
)

// WriteVariantsCSV writes one row per variant: index, run (with -runs),
// seed, one column per -vary path and per sampled path (named "PATH
// (sampled)" when a -vary has the same path), then for each certificate
// ID.outcome, ID.renewed_at, ID.not_after, ID.served_at, ID.margin and
// ID.margin_seconds, and for each resource ID.outage and
// ID.outage_seconds. Empty cells are values that do not exist.
func WriteVariantsCSV(w io.Writer, vs []sweep.Variant) error {
	c := sweep.ColumnsOf(vs)
	head := []string{"index"}
	if c.Runs {
		head = append(head, "run")
	}
	head = append(head, "seed")
	head = append(head, c.Params...)
	for _, p := range c.Sampled {
		if slices.Contains(c.Params, p) {
			p += " (sampled)"
		}
		head = append(head, p)
	}
	for _, id := range c.Certs {
		for _, f := range []string{"outcome", "renewed_at", "not_after", "served_at", "margin", "margin_seconds"} {
			head = append(head, id+"."+f)
		}
	}
	for _, id := range c.Resources {
		head = append(head, id+".outage", id+".outage_seconds")
	}
	alarms := sweep.AlarmNames(vs)
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
		if c.Runs {
			r := ""
			if v.Run != nil {
				r = strconv.Itoa(*v.Run)
			}
			row = append(row, r)
		}
		row = append(row, strconv.FormatUint(v.Seed, 10))
		for _, p := range c.Params {
			s, _ := v.Params.Value(p)
			row = append(row, s)
		}
		for _, p := range c.Sampled {
			s, _ := v.Sampled.Value(p)
			row = append(row, s)
		}
		certs := firstByID(v.Certificates, func(x *sweep.Cert) string { return x.ID })
		for _, id := range c.Certs {
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
		resources := firstByID(v.Resources, func(x *sweep.Resource) string { return x.ID })
		for _, id := range c.Resources {
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
	return fmt.Sprintf("%.1f%% (%d/%d)", 100*float64(k)/float64(n), k, n)
}

// describeSweep says in one line what was swept: the variants, grid points
// and runs.
func describeSweep(a *sweep.Aggregate) string {
	s := fmt.Sprintf("%s: %s", a.Scenario, sim.Count(a.Variants, "variant"))
	switch {
	case a.Runs > 0 && a.GridPoints > 1:
		s += fmt.Sprintf(" (%s × %s)", sim.Count(a.GridPoints, "grid point"), sim.Count(a.Runs, "Monte Carlo run"))
	case a.Runs > 0:
		s += fmt.Sprintf(" (%s)", sim.Count(a.Runs, "Monte Carlo run"))
	}
	return s
}

// WriteAggregate prints the aggregate as text tables: per certificate the
// outcomes, P(expired) and margin percentiles, per resource P(outage) and
// outage percentiles.
func WriteAggregate(w io.Writer, a *sweep.Aggregate) error {
	var b bytes.Buffer
	fmt.Fprintln(&b, describeSweep(a))
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

// lastByID maps the id of each item of xs to the index of the last item
// with that id.
func lastByID[T any](xs []T, id func(*T) string) map[string]int {
	m := make(map[string]int, len(xs))
	for i := range xs {
		m[id(&xs[i])] = i
	}
	return m
}
