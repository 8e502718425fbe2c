package record

import (
	"slices"
	"time"

	"github.com/renewsim/renewsim/sim"
)

// Window is one stretch in which a resource served an expired
// certificate: which one (Cert, Serial) and from when to when.
type Window struct {
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
	Cert   string    `json:"cert"`
	Serial string    `json:"serial"`
}

// Outage is every stretch in which resource served an expired
// certificate, in order of start, the way a client sees it: from the
// record's TLS probes, a stretch starts when the served certificate
// expired (or when an expired one was deployed) and ends when a client
// verifies one again, the resource stops serving it, or the run ends (the
// record's end entry, or until). A record without probes falls back to
// what was deployed. The list is empty, never nil, when there was none.
func (x *Index) Outage(resource string, until time.Time) []Window {
	var windows []Window
	end := x.EndOr(until)
	if r, ok := x.resources.lookup(resource); ok {
		if x.probed[r] {
			windows = probeWindows(x.log, x.byResource[r], end, func(serial string) (string, bool) {
				cert, ok := x.deployedBy[resourceSerial{r, serial}]
				return cert, ok
			})
		} else {
			windows = deployWindows(x.log, x.byResource[r], end)
		}
	}
	slices.SortStableFunc(windows, func(a, b Window) int { return a.Start.Compare(b.Start) })
	if windows == nil {
		windows = []Window{}
	}
	return windows
}

// Total is the time windows (in order of start) cover, overlaps counted
// once.
func Total(ws []Window) time.Duration {
	var total time.Duration
	var curStart, curEnd time.Time
	for i, w := range ws {
		if i == 0 || w.Start.After(curEnd) {
			total += curEnd.Sub(curStart)
			curStart, curEnd = w.Start, w.End
			continue
		}
		curEnd = maxT(curEnd, w.End)
	}
	if len(ws) > 0 {
		total += curEnd.Sub(curStart)
	}
	return total
}

// probeWindows reads the outage of one resource from its entries, at those
// positions of log. deployedBy names the certificate of the last
// deployment of a serial on the resource in the whole record.
func probeWindows(log []sim.Entry, at []int32, end time.Time, deployedBy func(serial string) (string, bool)) []Window {
	var windows []Window
	var open *Window
	var servedSince time.Time
	closeAt := func(t time.Time) {
		if open != nil && t.After(open.Start) {
			open.End = t
			windows = append(windows, *open)
		}
		open = nil
	}
	for _, p := range at {
		e := &log[p]
		switch e.Kind {
		case sim.KindDeployed:
			servedSince = e.Time
		case sim.KindUndeployed:
			closeAt(e.Time)
		case sim.KindProbe:
			expired := e.Detail.Expired != nil && *e.Detail.Expired
			if !expired {
				closeAt(e.Time)
				continue
			}
			if open != nil && open.Serial == e.Detail.Serial {
				continue
			}
			closeAt(e.Time)
			start := servedSince
			if e.Detail.NotAfter != nil && e.Detail.NotAfter.After(start) {
				start = *e.Detail.NotAfter
			}
			open = &Window{Start: start, Cert: e.Cert, Serial: e.Detail.Serial}
			if cert, ok := deployedBy(e.Detail.Serial); ok {
				open.Cert = cert
			}
		}
	}
	closeAt(end)
	return windows
}

// served is what a resource serves of one certificate, since when.
type served struct {
	since    time.Time
	notAfter time.Time
	serial   string
}

// deployWindows reads the outage of one resource from what was deployed on
// it, at those positions of log.
func deployWindows(log []sim.Entry, at []int32, end time.Time) []Window {
	cur := map[string]served{}
	var order []string // certificates in the order first deployed
	seen := map[string]bool{}
	var windows []Window
	closeSeg := func(cert string, at time.Time) {
		s, ok := cur[cert]
		if !ok {
			return
		}
		delete(cur, cert)
		if start := maxT(s.since, s.notAfter); at.After(start) {
			windows = append(windows, Window{Start: start, End: at, Cert: cert, Serial: s.serial})
		}
	}
	for _, p := range at {
		e := &log[p]
		switch e.Kind {
		case sim.KindDeployed:
			closeSeg(e.Cert, e.Time)
			if !seen[e.Cert] {
				seen[e.Cert] = true
				order = append(order, e.Cert)
			}
			na := time.Time{}
			if e.Detail.NotAfter != nil {
				na = *e.Detail.NotAfter
			}
			cur[e.Cert] = served{since: e.Time, notAfter: na, serial: e.Detail.Serial}
		case sim.KindUndeployed:
			closeSeg(e.Cert, e.Time)
		}
	}
	for _, cert := range order {
		closeSeg(cert, end)
	}
	return windows
}

func maxT(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
