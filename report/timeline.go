package report

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/renewsim/renewsim/record"
	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/sim"
)

// Lane kinds.
const (
	LaneCertificate = "certificate"
	LaneResource    = "resource"
	LaneWorld       = "world" // changes that concern no certificate or resource
)

// Band states. Certificate lanes use the first five (and "status X" for a
// status ACM may report that renewsim does not model yet); resource lanes
// the last three.
const (
	StateValid       = "valid"                // issued, renewal window not open yet (or renewed)
	StatePendingAuto = "PENDING_AUTO_RENEWAL" // in the renewal window, ACM renewing
	StatePendingVal  = "PENDING_VALIDATION"   // renewal failing: action required
	StateIneligible  = "ineligible"           // in the window but not eligible: ACM does not try
	StateExpired     = "EXPIRED"
	StateServing     = "serving"   // the resource serves a valid certificate
	StateOutage      = "outage"    // the resource serves an expired certificate
	StateTLSError    = "tls-error" // clients reject what the resource serves, for another reason than expiry
)

// Marker classes: how a marker is drawn.
const (
	MarkWorld          = "world"           // a timeline change (CNAME deleted, detached…)
	MarkActionRequired = "action-required" // Renewal Action Required notice
	MarkNotice         = "notice"          // other EventBridge events worth a label
	MarkMinor          = "minor"           // noise drawn subtly, without a label
	MarkEmail          = "email"           // an e-mail sent
	MarkClick          = "click"           // someone clicked an approval link
	MarkAttempts       = "attempts"        // validation attempts started failing
	MarkRenewed        = "renewed"
	MarkDeployed       = "deployed"
	MarkUndeployed     = "undeployed"
	MarkExpired        = "expired"
	MarkOther          = "other" // an entry kind this version does not know
)

// Timeline is what a timeline plot shows, read from the record of one
// scenario: one lane per certificate and per resource with coloured bands
// for the states that matter, and markers for what happened.
type Timeline struct {
	Scenario string
	Profile  string
	Seed     string
	Start    time.Time
	End      time.Time
	Lanes    []Lane
	Markers  []Marker
	Margins  []Margin
	// AlarmNames are the scenario's alarms, in order: the markers of
	// alarm k have the class AlarmClass(k).
	AlarmNames []string
}

// Lane is one row of the plot.
type Lane struct {
	Kind  string // LaneCertificate, LaneResource or LaneWorld
	ID    string
	Title string // what the lane is about, e.g. the certificate's domain
	Bands []Band
}

// Band is one stretch of one state on a lane.
type Band struct {
	Start, End time.Time
	State      string
	Note       string // what the band is about, e.g. the certificate served
}

// Marker is one thing that happened at one time on one lane.
type Marker struct {
	Time  time.Time
	Lane  int      // index in Lanes
	Class string   // one of the Mark* constants
	Kind  sim.Kind // the entry kind it comes from
	Label string   // a few words; empty for markers drawn without a label
	Text  string   // the entry's sentence
}

// Margin is how long before the old certificate's expiry a renewal was
// issued: how close the certificate came to expiring.
type Margin struct {
	Lane    int
	Renewed time.Time
	Expiry  time.Time
}

// Outages returns every stretch in which some resource served an expired
// certificate, in time order.
func (t *Timeline) Outages() []Band {
	var out []Band
	for _, l := range t.Lanes {
		for _, b := range l.Bands {
			if b.State == StateOutage {
				out = append(out, b)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Band) int { return a.Start.Compare(b.Start) })
	return out
}

var (
	profileRe = regexp.MustCompile(`profile ([^,\s]+)`)
	seedRe    = regexp.MustCompile(`seed (\d+)`)
)

// NewTimeline reads the timeline of one scenario from its record alone, as
// read back from an event log: the start entry gives the start, profile and
// seed, certificate entries the certificates, deployments the resources and
// the end entry the end.
func NewTimeline(name string, log []sim.Entry) *Timeline {
	t := &Timeline{Scenario: name}
	for i := range log {
		switch e := &log[i]; {
		case e.Kind == sim.KindStart && e.Cert == "" && t.Start.IsZero():
			t.Start = e.Time
			if m := profileRe.FindStringSubmatch(e.Detail.Text); m != nil {
				t.Profile = m[1]
			}
			if m := seedRe.FindStringSubmatch(e.Detail.Text); m != nil {
				t.Seed = m[1]
			}
		case e.Kind == sim.KindEnd:
			t.End = e.Time
		}
	}
	if len(log) > 0 {
		if t.Start.IsZero() {
			t.Start = log[0].Time
		}
		if t.End.IsZero() {
			t.End = log[len(log)-1].Time
		}
	}
	t.build(log, record.New(log), nil, nil)
	return t
}

// TimelineOf is the timeline of a run's result, with a lane for every
// certificate and resource the scenario declares, in its order.
func TimelineOf(s *result.Scenario) *Timeline {
	idx := s.Index()
	t := &Timeline{Scenario: s.Name, Profile: s.Profile, Seed: fmt.Sprint(s.Seed), Start: s.Start, End: idx.EndOr(s.Until)}
	certs := make([]string, 0, len(s.Certificates))
	res := make([]string, 0, len(s.Resources))
	titles := make(map[string]string, len(s.Certificates))
	for _, c := range s.Certificates {
		certs = append(certs, c.ID)
		titles[c.ID] = c.Domain
	}
	for _, r := range s.Resources {
		res = append(res, r.ID)
	}
	t.build(s.Log(), idx, certs, res)
	for i := range t.Lanes {
		if l := &t.Lanes[i]; l.Kind == LaneCertificate && l.Title == "" {
			l.Title = titles[l.ID]
		}
	}
	t.alarmMarkers(s.Alarms)
	return t
}

// build makes the lanes: the declared ones first, then any the record
// mentions, in the order it first does.
func (t *Timeline) build(log []sim.Entry, idx *record.Index, certs, resources []string) {
	certs = appendUnlisted(certs, idx.Certs())
	resources = appendUnlisted(resources, idx.Resources())
	if idx.World() {
		t.Lanes = append(t.Lanes, Lane{Kind: LaneWorld, ID: "world", Title: "DNS and other changes"})
	}
	for _, c := range certs {
		t.Lanes = append(t.Lanes, certLane(c, log, idx.CertEntries(c), t.End))
	}
	for _, r := range resources {
		t.Lanes = append(t.Lanes, resourceLane(r, log, idx, t.End))
	}
	t.markers(log)
}

// appendUnlisted appends to list the ids it does not hold yet.
func appendUnlisted(list, ids []string) []string {
	listed := make(map[string]bool, len(list))
	for _, id := range list {
		listed[id] = true
	}
	for _, id := range ids {
		if !listed[id] {
			list = append(list, id)
		}
	}
	return list
}

// bandTrack cuts a lane into bands as its state changes.
type bandTrack struct {
	bands []Band
	state string
	note  string
	since time.Time
}

func (tr *bandTrack) set(at time.Time, state, note string) {
	if state == tr.state && note == tr.note {
		return
	}
	tr.close(at)
	tr.state, tr.note, tr.since = state, note, at
}

func (tr *bandTrack) close(at time.Time) {
	if tr.state != "" && at.After(tr.since) {
		tr.bands = append(tr.bands, Band{Start: tr.since, End: at, State: tr.state, Note: tr.note})
	}
	tr.state = ""
}

func certLane(id string, log []sim.Entry, at []int32, end time.Time) Lane {
	l := Lane{Kind: LaneCertificate, ID: id}
	var tr bandTrack
	inWindow, ineligible := false, false
	for _, p := range at {
		e := &log[p]
		if e.Time.After(end) {
			continue
		}
		switch e.Kind {
		case sim.KindCert:
			if l.Title == "" && len(e.Detail.Names) > 0 {
				l.Title = e.Detail.Names[0]
			}
			inWindow = false
			tr.set(e.Time, StateValid, "")
		case sim.KindWindow:
			inWindow = true
			ineligible = e.Detail.StatusOf().Eligibility == sim.Ineligible
			if ineligible {
				tr.set(e.Time, StateIneligible, "")
			} else if tr.state == StateValid {
				tr.set(e.Time, StatePendingAuto, "")
			}
		case sim.KindStatus:
			if e.Detail.StatusOf().Eligibility != "" {
				ineligible = e.Detail.StatusOf().Eligibility == sim.Ineligible
			}
			tr.set(e.Time, certState(*e.Detail, inWindow, ineligible), "")
			if e.Detail.StatusOf().RenewalStatus == sim.RenewalSuccess {
				inWindow = false
			}
		case sim.KindIssued:
			inWindow = false
			tr.set(e.Time, StateValid, "")
		case sim.KindExpired:
			tr.set(e.Time, StateExpired, "")
		}
	}
	tr.close(end)
	l.Bands = tr.bands
	return l
}

func certState(d sim.Detail, inWindow, ineligible bool) string {
	switch {
	case d.StatusOf().Status == sim.StatusExpired:
		return StateExpired
	case d.StatusOf().Status != "" && d.StatusOf().Status != sim.StatusIssued:
		return "status " + string(d.StatusOf().Status)
	}
	switch d.StatusOf().RenewalStatus {
	case sim.RenewalPendingAuto:
		return StatePendingAuto
	case sim.RenewalPendingValidation:
		return StatePendingVal
	case sim.RenewalFailed:
		return "renewal " + string(sim.RenewalFailed)
	}
	if inWindow && ineligible {
		return StateIneligible
	}
	return StateValid
}

// resourceLane reads what a resource served: deployments say when it
// served something, the outage windows of resourceResult (from TLS probes
// when the record has them, else from the served certificate's NotAfter)
// when that was an expired certificate, and probes when clients rejected it
// for another reason. The outage bands are the summary's outage windows.
func resourceLane(id string, log []sim.Entry, idx *record.Index, end time.Time) Lane {
	l := Lane{Kind: LaneResource, ID: id}
	at := idx.ResourceEntries(id)
	var layers [][]Band // later layers win

	// Serving, from deployments: the certificates served, in the order
	// first deployed.
	var serving bandTrack
	var order []string       // certificates in the order first deployed
	rank := map[string]int{} // certificate -> index in order
	var now []int            // indexes in order of the certificates served now, ascending
	for _, p := range at {
		e := &log[p]
		if e.Time.After(end) {
			continue
		}
		switch e.Kind {
		case sim.KindDeployed:
			k, ok := rank[e.Cert]
			if !ok {
				k = len(order)
				rank[e.Cert] = k
				order = append(order, e.Cert)
			}
			if i, found := slices.BinarySearch(now, k); !found {
				now = slices.Insert(now, i, k)
			}
		case sim.KindUndeployed:
			if k, ok := rank[e.Cert]; ok {
				if i, found := slices.BinarySearch(now, k); found {
					now = slices.Delete(now, i, i+1)
				}
			}
		default:
			continue
		}
		if len(now) == 0 {
			serving.close(e.Time)
			continue
		}
		serving.set(e.Time, StateServing, joinServed(order, now))
	}
	serving.close(end)
	layers = append(layers, serving.bands)

	// Handshakes that fail for another reason than expiry.
	var probes bandTrack
	for _, p := range at {
		e := &log[p]
		if e.Kind != sim.KindProbe || e.Time.After(end) {
			continue
		}
		rejected := e.Detail.Verified != nil && !*e.Detail.Verified
		expired := e.Detail.Expired != nil && *e.Detail.Expired
		if rejected && !expired {
			probes.set(e.Time, StateTLSError, e.Detail.Err)
			continue
		}
		probes.close(e.Time)
	}
	probes.close(end)
	layers = append(layers, probes.bands)

	var outage []Band
	for _, w := range idx.Outage(id, end) {
		outage = append(outage, Band{Start: w.Start, End: w.End, State: StateOutage, Note: w.Cert})
	}
	layers = append(layers, outage)
	l.Bands = flattenBands(layers)
	return l
}

// joinServed names the certificates at indexes now of order.
func joinServed(order []string, now []int) string {
	if len(now) == 1 {
		return order[now[0]]
	}
	names := make([]string, len(now))
	for i, k := range now {
		names[i] = order[k]
	}
	return strings.Join(names, ", ")
}

// flattenBands paints layers of bands over each other, later layers on top, and
// returns the visible stretches in time order. At every start or end of a
// band, the visible band is the last one of the last layer that covers
// that instant.
func flattenBands(layers [][]Band) []Band {
	var cuts []time.Time
	for _, layer := range layers {
		for _, b := range layer {
			cuts = append(cuts, b.Start, b.End)
		}
	}
	slices.SortFunc(cuts, func(a, b time.Time) int { return a.Compare(b) })
	cuts = slices.CompactFunc(cuts, func(a, b time.Time) bool { return a.Equal(b) })
	// Per layer, a sweep over the cuts: its bands by start, and those begun
	// by now in a max-heap of their index, which drops the ones ended.
	type sweep struct {
		layer  []Band
		starts []int // indexes of layer by start
		next   int   // in starts: the first band not begun yet
		begun  indexHeap
	}
	sweeps := make([]sweep, len(layers))
	for i, layer := range layers {
		sw := &sweeps[i]
		sw.layer = layer
		sw.starts = make([]int, len(layer))
		for j := range sw.starts {
			sw.starts[j] = j
		}
		slices.SortStableFunc(sw.starts, func(a, b int) int { return layer[a].Start.Compare(layer[b].Start) })
	}
	var tr bandTrack
	for _, at := range cuts {
		var top *Band
		for i := range sweeps {
			sw := &sweeps[i]
			for sw.next < len(sw.starts) && !at.Before(sw.layer[sw.starts[sw.next]].Start) {
				sw.begun.push(sw.starts[sw.next])
				sw.next++
			}
			// A band ended by now stays ended: the cuts only grow.
			for len(sw.begun) > 0 && !at.Before(sw.layer[sw.begun[0]].End) {
				sw.begun.pop()
			}
			if len(sw.begun) > 0 {
				top = &sw.layer[sw.begun[0]]
			}
		}
		if top == nil {
			tr.close(at)
			continue
		}
		tr.set(at, top.State, top.Note)
	}
	if len(cuts) > 0 {
		tr.close(cuts[len(cuts)-1])
	}
	return tr.bands
}

// indexHeap is a max-heap of indexes.
type indexHeap []int

func (h *indexHeap) push(i int) {
	*h = append(*h, i)
	s := *h
	for k := len(s) - 1; k > 0; {
		parent := (k - 1) / 2
		if s[parent] >= s[k] {
			break
		}
		s[parent], s[k] = s[k], s[parent]
		k = parent
	}
}

func (h *indexHeap) pop() {
	s := *h
	n := len(s) - 1
	s[0] = s[n]
	s = s[:n]
	for k := 0; ; {
		big, l, r := k, 2*k+1, 2*k+2
		if l < n && s[l] > s[big] {
			big = l
		}
		if r < n && s[r] > s[big] {
			big = r
		}
		if big == k {
			break
		}
		s[k], s[big] = s[big], s[k]
		k = big
	}
	*h = s
}

// markers picks what happened from the record, with short labels.
func (t *Timeline) markers(log []sim.Entry) {
	var out []Marker
	notAfter := map[string]time.Time{}
	type runKey struct {
		kind sim.Kind
		cert string
	}
	failRun := map[runKey]int{} // kind and cert -> index in out of its failing-run marker, while failing
	failCount := map[int]int{}  // index in out -> failures in its run
	add := func(e *sim.Entry, lane int, class, label string) int {
		if lane < 0 {
			return -1
		}
		out = append(out, Marker{Time: e.Time, Lane: lane, Class: class, Kind: e.Kind, Label: label, Text: e.Detail.Text})
		return len(out) - 1
	}
	// The first lane of each certificate and resource, and the world's.
	certLanes, resLanes, worldLane := map[string]int{}, map[string]int{}, -1
	for i := len(t.Lanes) - 1; i >= 0; i-- {
		switch l := &t.Lanes[i]; l.Kind {
		case LaneCertificate:
			certLanes[l.ID] = i
		case LaneResource:
			resLanes[l.ID] = i
		case LaneWorld:
			if l.ID == "world" {
				worldLane = i
			}
		}
	}
	laneOf := func(lanes map[string]int, id string) int {
		if i, ok := lanes[id]; ok {
			return i
		}
		return -1
	}
	for i := range log {
		e := &log[i]
		if e.Time.After(t.End) {
			continue
		}
		cert := laneOf(certLanes, e.Cert)
		res := laneOf(resLanes, e.Resource())
		either := cert
		if either < 0 {
			either = res
		}
		switch e.Kind {
		case sim.KindStart, sim.KindStatus, sim.KindEnd, sim.KindProbe:
		case sim.KindWindow, sim.KindCert:
			if e.Detail.NotAfter != nil {
				notAfter[e.Cert] = *e.Detail.NotAfter
			}
		case sim.KindAttempt, sim.KindCAA:
			// A run of failing checks is one marker that counts them.
			key := runKey{e.Kind, e.Cert}
			if e.Detail.OK == nil || *e.Detail.OK {
				delete(failRun, key)
				continue
			}
			i, ok := failRun[key]
			if !ok {
				i = add(e, cert, MarkAttempts, "")
				failRun[key] = i
			}
			if i >= 0 {
				failCount[i]++
			}
		case sim.KindTimeline:
			lane := either
			if lane < 0 {
				lane = worldLane
			}
			add(e, lane, MarkWorld, worldLabel(e))
		case sim.KindEventBus:
			class, label := eventLabel(e)
			add(e, either, class, label)
		case sim.KindNotice:
			label := "notice"
			if e.Detail.NoticeOf().Channel == "email" {
				label = "e-mail"
			} else if e.Detail.NoticeOf().Channel != "" {
				label = e.Detail.NoticeOf().Channel
			}
			if e.Detail.NoticeOf().Days > 0 {
				label += fmt.Sprintf(" (%dd)", e.Detail.NoticeOf().Days)
			}
			add(e, either, MarkEmail, label)
		case sim.KindEmail:
			add(e, either, MarkEmail, emailLabel(e))
		case sim.KindClick:
			add(e, either, MarkClick, clickLabel(e))
		case sim.KindIssued:
			delete(failRun, runKey{sim.KindAttempt, e.Cert})
			label := "renewed"
			if na, ok := notAfter[e.Cert]; ok {
				label = "renewed " + shortDuration(na.Sub(e.Time)) + " before expiry"
				if cert >= 0 {
					t.Margins = append(t.Margins, Margin{Lane: cert, Renewed: e.Time, Expiry: na})
				}
			}
			if e.Detail.NotAfter != nil {
				notAfter[e.Cert] = *e.Detail.NotAfter
			}
			add(e, cert, MarkRenewed, label)
		case sim.KindDeployed:
			add(e, res, MarkDeployed, "serves "+e.Cert)
		case sim.KindUndeployed:
			add(e, res, MarkUndeployed, "stops serving "+e.Cert)
		case sim.KindExpired:
			delete(failRun, runKey{sim.KindAttempt, e.Cert})
			delete(failRun, runKey{sim.KindCAA, e.Cert})
			add(e, cert, MarkExpired, "expired")
		default:
			lane := either
			if lane < 0 && len(t.Lanes) > 0 {
				lane = 0
			}
			add(e, lane, MarkOther, string(e.Kind))
		}
	}
	for i, n := range failCount {
		what := "validation attempt"
		if out[i].Kind == sim.KindCAA {
			what = "CAA check"
		}
		out[i].Label = sim.Count(n, "failed "+what)
		out[i].Text = fmt.Sprintf("%s failed from %s on", sim.Count(n, what), ts(out[i].Time))
	}
	slices.SortStableFunc(out, func(a, b Marker) int { return a.Time.Compare(b.Time) })
	t.Markers = out
}

func emailLabel(e *sim.Entry) string {
	label := "e-mail"
	if e.Detail.MailOf().Email != "" {
		label = e.Detail.MailOf().Email + " e-mail"
	}
	if e.Detail.OK != nil && !*e.Detail.OK {
		return label + " refused"
	}
	return label + " sent"
}

func clickLabel(e *sim.Entry) string {
	switch {
	case e.Detail.Expired != nil && *e.Detail.Expired:
		return "clicked expired link"
	case e.Detail.MailOf().Approved != nil && *e.Detail.MailOf().Approved:
		return "approved"
	}
	return "approval link clicked"
}

func worldLabel(e *sim.Entry) string {
	what := "CNAME"
	if strings.HasPrefix(e.Detail.Text, "HTTP") {
		what = "HTTP token"
	}
	switch e.Detail.TimelineOf().Do {
	case sim.DoDeleteValidationRecord:
		return what + " deleted"
	case sim.DoRestoreValidationRecord:
		return what + " restored"
	case sim.DoDNSAdd:
		return recordType(e.Detail.TimelineOf().Record+" "+e.Detail.Text) + " record added"
	case sim.DoDNSDelete:
		if e.Detail.TimelineOf().Type != "" {
			return strings.ToUpper(e.Detail.TimelineOf().Type) + " record deleted"
		}
		return "DNS records deleted"
	case sim.DoAttach:
		return "attached to " + e.Resource()
	case sim.DoDetach:
		return "detached from " + e.Resource()
	case sim.DoExport:
		return "exported"
	case "resend-validation-email":
		return "e-mail resent"
	case "click-approval":
		return "approval link clicked"
	case "mailbox-reject":
		return "mailbox refuses mail"
	case "mailbox-accept":
		return "mailbox accepts mail"
	case "":
		return "change"
	}
	return e.Detail.TimelineOf().Do
}

// recordType finds the type of the zone-file line in s, or says "DNS".
func recordType(s string) string {
	for _, f := range strings.Fields(s) {
		switch f {
		case "A", "AAAA", "CAA", "CNAME", "MX", "NS", "TXT", "SOA", "HTTPS", "SVCB":
			return f
		}
	}
	return "DNS"
}

// eventLabel says how an EventBridge event is drawn. Its detail is a typed
// struct in a live run and a map after a JSON round trip.
func eventLabel(e *sim.Entry) (class, label string) {
	ev := e.Detail.Event
	if ev == nil {
		return MarkNotice, "event"
	}
	switch ev.DetailType {
	case sim.EventActionRequired:
		if days, ok := sim.EventDays(ev.Detail); ok {
			return MarkActionRequired, fmt.Sprintf("Action Required (%dd)", days)
		}
		return MarkActionRequired, "Action Required"
	case sim.EventAvailable:
		return MarkNotice, "Available event"
	case sim.EventExpired:
		return MarkNotice, "Expired event"
	case sim.EventApproaching, sim.EventHealth:
		return MarkMinor, ""
	}
	return MarkNotice, strings.TrimPrefix(ev.DetailType, "ACM Certificate ")
}

// shortDuration rounds a duration for a label: days, or hours and minutes
// under two days.
func shortDuration(d time.Duration) string {
	if d < 0 {
		return "-" + shortDuration(-d)
	}
	if d >= 2*sim.Day {
		days := d / sim.Day
		if rem := d % sim.Day; rem >= 12*time.Hour {
			days++
		}
		return fmt.Sprintf("%dd", days)
	}
	return sim.FormatDuration(d.Round(time.Minute))
}
