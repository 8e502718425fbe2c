package sim

import (
	"encoding/hex"
	"fmt"
	"math/big"
	"reflect"
	"strings"
	"time"
)

// Status is a certificate's Status as DescribeCertificate gives it.
type Status string

// RenewalStatus is RenewalSummary.RenewalStatus.
type RenewalStatus string

// ValidationStatus is the ValidationStatus of one name.
type ValidationStatus string

// Eligibility is RenewalEligibility.
type Eligibility string

// Certificate statuses, renewal statuses and eligibility, as ACM writes them.
const (
	StatusIssued  Status = "ISSUED"
	StatusExpired Status = "EXPIRED"

	RenewalPendingAuto       RenewalStatus = "PENDING_AUTO_RENEWAL"
	RenewalPendingValidation RenewalStatus = "PENDING_VALIDATION"
	RenewalSuccess           RenewalStatus = "SUCCESS"
	RenewalFailed            RenewalStatus = "FAILED"

	ValidationPending ValidationStatus = "PENDING_VALIDATION"
	ValidationSuccess ValidationStatus = "SUCCESS"
	ValidationFailed  ValidationStatus = "FAILED"

	Eligible   Eligibility = "ELIGIBLE"
	Ineligible Eligibility = "INELIGIBLE"
)

// RenewalStatusReason values the model sets.
const (
	ReasonPendingDomainValidation = "PENDING_DOMAIN_VALIDATION"
	ReasonNoAvailableContacts     = "NO_AVAILABLE_CONTACTS"
	ReasonCAAError                = "CAA_ERROR"
)

// Model is ACM's managed renewal for the certificates of one scenario. It is
// a pure state machine in the shape of etcd's raft: the driver feeds it one
// Input at a time with Step, at the input's virtual time, then takes the
// effects it asked for with Ready and carries them out in order, feeding
// the world's answers back as inputs at the same virtual time. Everything
// that happened is appended to the record (Record) as it happens.
//
// Inputs must come in time order from one goroutine. A Step that cannot be
// taken (an unknown input or timer kind, a certificate or resource index out
// of range, a change naming what the scenario does not have) returns an
// error and changes nothing; a transition the state machine does not allow
// is a bug in the model and panics.
type Model struct {
	sc    *Scenario
	p     *Profile
	seed  uint64
	certs []*certState
	res   []*resState
	out   []Effect
	nev   int // events sent, for event ids
	nflt  int // DNS faults started, for their seeds
	codes map[string]codeRef

	certByID map[string]int
	resByID  map[string]int

	days     []int                 // countdown's days, from the longest series down to 1
	statuses map[statusKey]*Detail // status details, shared by the entries that say the same

	begun bool
	// The record: the entries written since it was last read whole go
	// to record; once a fleet's record outgrows recordChunk, each full
	// array is set aside in sealed and a new one started, instead of
	// copying everything into one twice as large (or a quarter larger)
	// again and again. Record joins them in one copy when it is read.
	record  []Entry
	sealed  [][]Entry
	details []Detail // the unused rest of the current slab
}

type resState struct {
	spec    *Resource
	serving []int // certificate indices it serves
	gen     int   // bumped on each deployment, to ignore stale probe timers
}

// codeRef is what an approval code was issued for.
type codeRef struct {
	cert, name, cycle int
}

// NewModel builds the model for sc. Identifiers (ARNs, serials, validation
// records, event ids) derive from seed.
func NewModel(sc *Scenario, seed uint64) *Model {
	m := &Model{sc: sc, p: &sc.Profile, seed: seed, codes: map[string]codeRef{},
		certByID: make(map[string]int, len(sc.Certificates)), resByID: make(map[string]int, len(sc.Resources))}
	for i := range sc.Resources {
		m.res = append(m.res, &resState{spec: &sc.Resources[i]})
		m.resByID[sc.Resources[i].ID] = i
	}
	for i := range sc.Certificates {
		spec := &sc.Certificates[i]
		m.certByID[spec.ID] = i
		c := &certState{
			idx:       i,
			spec:      spec,
			p:         spec.ProfileFor(m.p),
			notBefore: spec.Issued,
			notAfter:  spec.NotAfter,
			window:    m.p.Window(spec.Type, spec.Issued),
			cycle:     1,
			status:    StatusIssued,
			exported:  spec.Exported,
			names:     spec.Names(),
		}
		c.cyc.approvedAt = make([]time.Time, len(c.names))
		for _, n := range c.names {
			rec, val := spec.ValidationCNAME(seed, c.p.Account, n)
			c.records = append(c.records, validationRec{rec, val, checkKey{'d', rec}})
		}
		c.arn = spec.ARN
		if c.arn == "" {
			d := digest(seed, "arn", spec.ID)
			c.arn = fmt.Sprintf("arn:aws:acm:%s:%s:certificate/%s", c.p.Region, c.p.Account, uuid(d))
		}
		c.serial = m.newSerial(spec.ID, 0)
		for _, r := range spec.InUseBy {
			if ri, ok := m.resByID[r]; ok {
				c.attached = append(c.attached, ri)
			}
		}
		m.certs = append(m.certs, c)
	}
	return m
}

func uuid(d [32]byte) string {
	b := d[:16]
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func (m *Model) newSerial(id string, cycle int) string {
	d := digest(m.seed, "serial", id, fmt.Sprint(cycle))
	b := d[:16]
	b[0] &= 0x7f
	if b[0] == 0 {
		b[0] = 1
	}
	return FormatSerial(new(big.Int).SetBytes(b).Bytes())
}

// FormatSerial writes serial bytes the way ACM shows them: lower-case hex
// pairs joined by colons.
func FormatSerial(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 3*len(b))
	for i, x := range b {
		if i > 0 {
			out = append(out, ':')
		}
		out = append(out, digits[x>>4], digits[x&15])
	}
	return string(out)
}

// Step feeds one input to the model at virtual time now. The effects it
// causes wait in Ready.
func (m *Model) Step(now time.Time, in Input) error {
	if _, ok := in.(Begin); !ok && !m.begun {
		return fmt.Errorf("step %s before Begin", reflect.TypeOf(in))
	}
	switch in := in.(type) {
	case Begin:
		if m.begun {
			return fmt.Errorf("Begin twice")
		}
		m.begun = true
		m.begin(now)
	case End:
		m.log(now, KindEnd, nil, "", Detail{Text: "simulation ended"})
	case Timer:
		return m.fire(now, in)
	case Change:
		return m.apply(now, in)
	case CNAMEAnswer:
		c, err := m.certAt(in.Cert)
		if err != nil {
			return err
		}
		m.cnameAnswer(now, c, in)
	case HTTPAnswer:
		c, err := m.certAt(in.Cert)
		if err != nil {
			return err
		}
		m.httpAnswer(now, c, in)
	case HTTPSAnswer:
		c, err := m.certAt(in.Cert)
		if err != nil {
			return err
		}
		m.httpsAnswer(now, c, in)
	case CAAResult:
		c, err := m.certAt(in.Cert)
		if err != nil {
			return err
		}
		m.caaResult(now, c, in)
	case EmailResult:
		c, err := m.certAt(in.Cert)
		if err != nil {
			return err
		}
		m.emailResult(now, c, in)
	case ClickResult:
		m.click(now, in)
	case TLSAnswer:
		if in.Resource < 0 || in.Resource >= len(m.res) {
			return fmt.Errorf("TLS answer for resource %d: the scenario has %d resources", in.Resource, len(m.res))
		}
		m.tlsAnswer(now, in)
	default:
		return fmt.Errorf("unknown input %s", reflect.TypeOf(in))
	}
	return nil
}

// Ready hands over the effects asked for since the last call, in order. The
// slice is reused by the next Step, so drivers copy the effects out before
// stepping again (appending them to a queue does).
func (m *Model) Ready() Ready {
	out := m.out
	m.out = m.out[:0]
	return Ready{Effects: out}
}

func (m *Model) certAt(i int) (*certState, error) {
	if i < 0 || i >= len(m.certs) {
		return nil, fmt.Errorf("certificate %d: the scenario has %d certificates", i, len(m.certs))
	}
	return m.certs[i], nil
}

func (m *Model) emit(e Effect) { m.out = append(m.out, e) }

// log appends to the record. Effects are carried out in the order they are
// emitted, so writing the record here, at emission, gives the same order as
// a log effect would, without boxing every entry.
func (m *Model) log(now time.Time, kind Kind, c *certState, resource string, d Detail) {
	d.Resource = resource
	m.append(now, kind, c, 0, m.newDetail(d))
}

// logAttempt records attempt n of c's cycle, sharing the Detail of the
// previous such entry (*last) when it says the same thing: the hourly
// attempts of a failing renewal then cost an entry each, not a Detail each.
func (m *Model) logAttempt(now time.Time, kind Kind, c *certState, n int, d *Detail, last **Detail) {
	// A direct call for each kind (not a func value) keeps d on the
	// caller's stack.
	same := false
	if *last != nil {
		switch kind {
		case KindAttempt:
			same = sameAttempt(*last, d)
		case KindCAA:
			same = sameCAACheck(*last, d)
		}
	}
	if !same {
		*last = m.newDetail(*d)
	}
	m.append(now, kind, c, n, *last)
}

func (m *Model) newDetail(d Detail) *Detail {
	if len(m.details) == 0 {
		// Details come from slabs: one allocation for many entries.
		m.details = make([]Detail, detailSlab)
	}
	dp := &m.details[0]
	m.details = m.details[1:]
	*dp = d
	return dp
}

func (m *Model) append(now time.Time, kind Kind, c *certState, attempt int, d *Detail) {
	e := Entry{Time: now, Kind: kind, Attempt: attempt, Detail: d}
	if c != nil {
		e.Cert = c.spec.ID
	}
	if len(m.record) == cap(m.record) {
		m.growRecord()
	}
	m.record = append(m.record, e)
}

const detailSlab = 1024

// recordChunk is the size, in entries, of the arrays a large record is
// written in: about 5.6 MB each.
const recordChunk = 1 << 16

// growRecord makes room for the next entry of a full record: a small one
// doubles, as append would, until it reaches recordChunk; a larger one is
// set aside whole and the next entries go to a new array of recordChunk.
// The entries are so copied once, when the record is read (Record), not
// each time it grows, and no array twice the record's size is left for
// the garbage collector to count as live.
func (m *Model) growRecord() {
	if n := cap(m.record); n < recordChunk {
		grown := make([]Entry, len(m.record), min(max(2*n, 256), recordChunk))
		copy(grown, m.record)
		m.record = grown
		return
	}
	m.sealed = append(m.sealed, m.record)
	m.record = make([]Entry, 0, recordChunk)
}

// Record is everything that happened so far, in order. The slice is the
// model's: callers copy what they keep beyond the next Step. A record
// written in several arrays is joined here, in one copy, which the next
// call reuses unless the record grew past it.
func (m *Model) Record() []Entry {
	if len(m.sealed) == 0 {
		return m.record
	}
	n := len(m.record)
	for _, c := range m.sealed {
		n += len(c)
	}
	whole := make([]Entry, 0, n)
	for i, c := range m.sealed {
		whole = append(whole, c...)
		m.sealed[i] = nil // the garbage collector may take it back at once
	}
	whole = append(whole, m.record...)
	m.sealed, m.record = m.sealed[:0], whole
	return whole
}

// RecordArrays tells how many arrays the record is written in: Record
// joins them, in one copy, when there is more than one.
func (m *Model) RecordArrays() int { return len(m.sealed) + 1 }

// UseRecord makes the model write its record into buf (from its start):
// drivers that run many scenarios recycle one buffer.
func (m *Model) UseRecord(buf []Entry) { m.record, m.sealed = buf[:0], nil }

func (m *Model) wake(at time.Time, kind TimerKind, c *certState, gen, n int) {
	m.emit(Wake{At: at, Timer: Timer{Kind: kind, Cert: c.idx, Gen: gen, N: n}})
}

// begin sets up the world at the scenario start: the zone, the
// certificates, what each resource serves, and the first timers.
func (m *Model) begin(now time.Time) {
	m.log(now, KindStart, nil, "", Detail{Text: fmt.Sprintf("scenario %s, profile %s, seed %d", m.sc.Name, m.p.Name, m.seed)})
	zone := DNSChange{Add: append([]string(nil), m.sc.DNSRecords...)}
	for i, r := range m.res {
		for _, h := range r.spec.Hostnames {
			zone.Add = append(zone.Add, fmt.Sprintf("%s. 300 IN A %s", strings.TrimSuffix(h, "."), ResourceAddress(i)))
		}
	}
	for _, c := range m.certs {
		zone.Add = append(zone.Add, m.initialRecords(c)...)
	}
	if len(zone.Add) > 0 {
		m.emit(zone)
	}
	for _, c := range m.certs {
		m.initialTokens(c)
	}
	for _, c := range m.certs {
		m.log(now, KindCert, c, "", Detail{
			Text: fmt.Sprintf("%s certificate for %s, valid %s to %s", c.spec.Type, strings.Join(c.names, ", "),
				c.notBefore.Format(time.RFC3339), c.notAfter.Format(time.RFC3339)),
			Cycle: 0, ARN: c.arn, Serial: c.serial, Names: c.names,
			NotBefore: timePtr(c.notBefore), NotAfter: timePtr(c.notAfter),
		})
		m.refreshEligibility(c)
		m.logStatus(now, c)
		for _, ri := range c.attached {
			m.serve(now, ri, c)
		}
		m.scheduleCycle(now, c)
	}
}

// fire handles a timer the model asked for. A timer of an earlier
// generation is stale and does nothing.
func (m *Model) fire(now time.Time, t Timer) error {
	if t.Kind == TimerProbe {
		if t.N < 0 || t.N >= len(m.res) {
			return fmt.Errorf("probe timer for resource %d: the scenario has %d resources", t.N, len(m.res))
		}
		r := m.res[t.N]
		if r.gen == t.Gen && len(r.serving) > 0 {
			m.emit(ProbeTLS{Resource: t.N, ServerName: m.serverName(r)})
		}
		return nil
	}
	c, err := m.certAt(t.Cert)
	if err != nil {
		return fmt.Errorf("%s timer: %w", t.Kind, err)
	}
	thisCycle := t.Gen == c.cycle
	thisAttempt := t.Gen == c.attemptGen && c.phase == PhaseValidating
	switch t.Kind {
	case TimerWindow:
		if thisCycle {
			m.openWindow(now, c)
		}
	case TimerAttempt:
		if thisAttempt {
			m.startAttempt(now, c)
		}
	case TimerNotice:
		if thisCycle {
			m.notice(now, c, t.N)
		}
	case TimerApproaching:
		if thisCycle && c.status == StatusIssued {
			m.approaching(now, c, t.N)
		}
	case TimerInstruction:
		switch {
		case t.N > 0: // a notice day (instruction_email_days)
			if thisCycle && c.status == StatusIssued && c.phase == PhaseValidating && c.att.n > 0 {
				m.instruct(now, c)
			}
		case thisAttempt && !c.cyc.instructed: // instruction_email_after
			m.instruct(now, c)
		}
	case TimerIssue:
		if t.Gen == c.attemptGen && c.phase == PhaseIssuing {
			m.issue(now, c)
		}
	case TimerDeploy:
		if t.N < 0 || t.N >= len(m.res) {
			return fmt.Errorf("deploy timer for resource %d: the scenario has %d resources", t.N, len(m.res))
		}
		if thisCycle {
			m.deploy(now, c, t.N)
		}
	case TimerExpire:
		if thisCycle {
			m.expire(now, c)
		}
	case TimerEmail:
		if thisCycle && m.validating(c) && !c.cyc.mailed {
			m.mail(now, c)
		}
	case TimerResend:
		if thisCycle && m.validating(c) && c.cyc.mailed {
			m.mail(now, c)
		}
	default:
		return fmt.Errorf("unknown timer kind %q", t.Kind)
	}
	return nil
}

// serverName is the name a client asks a resource for: its first hostname,
// else the first name of the certificate it serves.
func (m *Model) serverName(r *resState) string {
	if len(r.spec.Hostnames) > 0 {
		return r.spec.Hostnames[0]
	}
	if len(r.serving) > 0 {
		c := m.certs[r.serving[len(r.serving)-1]]
		return strings.TrimPrefix(c.names[0], "*.")
	}
	return r.spec.ID
}

// tlsAnswer records what a client saw when it connected to a resource.
func (m *Model) tlsAnswer(now time.Time, a TLSAnswer) {
	id := m.res[a.Resource].spec.ID
	text := fmt.Sprintf("a client connecting to %s gets %s: ", id, a.Serial)
	switch {
	case a.Verified:
		text += "valid"
	case a.Expired:
		text += "EXPIRED"
	case a.Serial == "":
		text = fmt.Sprintf("a client connecting to %s gets no certificate: %s", id, a.Err)
	default:
		text += "invalid: " + a.Err
	}
	var na *time.Time
	if !a.NotAfter.IsZero() {
		na = timePtr(a.NotAfter)
	}
	m.log(now, KindProbe, nil, id, Detail{Text: text, Serial: a.Serial, NotAfter: na, Verified: boolPtr(a.Verified), Expired: boolPtr(a.Expired), Err: a.Err})
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func certificateType(t string) string {
	switch t {
	case TypePrivate, TypePrivateCA:
		return "PRIVATE"
	case TypeImported:
		return "IMPORTED"
	}
	return "AMAZON_ISSUED"
}

func validationMethod(c *Certificate) string {
	switch c.Validation {
	case ValidationEmail:
		return "EMAIL"
	case ValidationHTTP:
		return "HTTP"
	case ValidationDNS:
		return "DNS"
	}
	return ""
}
