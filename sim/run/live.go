package run

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	mdns "github.com/miekg/dns"

	fakedns "github.com/renewsim/renewsim/fakes/dns"
	fakesmtp "github.com/renewsim/renewsim/fakes/smtp"
	"github.com/renewsim/renewsim/sim"
)

// Live is a simulation that runs while people watch: its fakes listen at
// known addresses and its virtual time moves only when AdvanceTo is called
// (the serve command paces it against the wall clock, or a control API
// steps it). Every method is safe to call from any goroutine.
type Live struct {
	mu     sync.Mutex
	r      *runner
	w      *world
	ctx    context.Context
	ended  bool
	fedApp map[string]bool // approval codes already told to the model

	// The record indexed so far, so that one certificate's view (ViewOf,
	// which the ACM API asks for at every DescribeCertificate) costs its
	// own entries rather than the whole record: the entries of each
	// certificate, by id, and each certificate's index by ARN.
	indexed int
	entries map[string][]int32
	byARN   map[string]int
}

// ResourceAddr is where a resource serves HTTPS and HTTP.
type ResourceAddr struct {
	ID, TLS, HTTP string
}

// StartLive starts the fakes of sc at addrs and the model at sc.Start. The
// run's clients use ctx; cancel it (or Close) to stop.
func StartLive(ctx context.Context, sc *sim.Scenario, opt Options, addrs Addrs) (*Live, error) {
	addrs.Mail = true
	w := &world{addrs: addrs, live: true}
	r, err := newRunner(ctx, w, sc, opt, nil)
	if err != nil {
		w.close()
		return nil, err
	}
	return &Live{r: r, w: w, ctx: ctx, fedApp: map[string]bool{}}, nil
}

// Close stops every fake.
func (l *Live) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.w.close()
	return nil
}

// Scenario is what runs.
func (l *Live) Scenario() *sim.Scenario { return l.r.res.Scenario }

// Seed is the seed of the run.
func (l *Live) Seed() uint64 { return l.r.res.Seed }

// Now is the virtual time.
func (l *Live) Now() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.eng.Now()
}

// Ended tells whether the run reached the scenario's until.
func (l *Live) Ended() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ended
}

// refusal is an input a live run does not take, such as a negative
// duration or a change the scenario cannot apply; the run is left as it
// was. Other errors are failures of the run itself.
type refusal struct{ msg string }

func (r *refusal) Error() string { return r.msg }

func refusef(format string, args ...any) error {
	return &refusal{fmt.Sprintf(format, args...)}
}

// isRefusal tells a refused input from a failure of the run.
func isRefusal(err error) bool {
	var r *refusal
	return errors.As(err, &r)
}

// AdvanceTo runs the simulation up to t (at most the scenario's until).
// Approvals people made in a browser since the last call reach the model
// first, at the current virtual time.
func (l *Live) AdvanceTo(t time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.advanceToLocked(t)
}

func (l *Live) advanceToLocked(t time.Time) error {
	if l.ended {
		return nil
	}
	l.feedApprovals()
	until := l.r.res.Scenario.Until
	if t.After(until) {
		t = until
	}
	if t.After(l.r.eng.Now()) {
		l.r.res.Events += l.r.eng.Run(t)
	}
	if l.r.err == nil && !l.r.eng.Now().Before(until) {
		l.ended = true
		_, _ = l.r.finish(l.ctx)
	}
	return l.r.err
}

// Advance runs the simulation for d of virtual time. It refuses, leaving
// the run as it was, a negative d and one that would pass the scenario's
// until. Concurrent calls add up: each runs from where the last stopped.
func (l *Live) Advance(d time.Duration) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	now, until := l.r.eng.Now(), l.r.res.Scenario.Until
	switch left := until.Sub(now); {
	case d < 0:
		return refusef("%s is negative: virtual time does not go back", sim.FormatDuration(d))
	case d > left && left <= 0:
		return refusef("the run has ended, at %s", until.UTC().Format(time.RFC3339))
	case d > left:
		return refusef("%s would pass the end of the scenario (until %s): at most %s remain",
			sim.FormatDuration(d), until.UTC().Format(time.RFC3339), sim.FormatDuration(left))
	}
	return l.advanceToLocked(now.Add(d))
}

// feedApprovals tells the model of approvals made outside the simulation
// (a person clicking a link in a browser). Callers hold mu.
func (l *Live) feedApprovals() {
	if l.w.approval == nil {
		return
	}
	now := l.r.eng.Now()
	for _, a := range l.w.approval.Approvals() {
		if l.fedApp[a.Code] || l.w.clicked[a.Code] {
			continue
		}
		l.fedApp[a.Code] = true
		l.r.step(now, sim.ClickResult{Domain: a.Domain, Code: a.Code, Approved: true, Status: 200, Address: "a browser"})
	}
}

// Entries returns the record from entry from on.
func (l *Live) Entries(from int) []sim.Entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	log := l.r.model.Record()
	if from >= len(log) {
		return nil
	}
	return slices.Clone(log[max(from, 0):])
}

// View is what ACM shows now: the record up to now minus the status lag,
// but never before the scenario's start, where the certificates it starts
// with exist already (a lag reaching back before the start would show them
// blank, with no ARN and dated 0001-01-01). A certificate not created yet
// is left out.
func (l *Live) View() []sim.CertView {
	l.mu.Lock()
	defer l.mu.Unlock()
	sc := l.r.res.Scenario
	views := sim.View(sc, l.r.res.Seed, l.r.model.Record(), l.viewAt())
	out := views[:0]
	for _, v := range views {
		if v.ARN != "" {
			out = append(out, v)
		}
	}
	return out
}

// viewAt is the instant DescribeCertificate shows: StatusLag before now,
// never before the start.
func (l *Live) viewAt() time.Time {
	sc := l.r.res.Scenario
	at := l.r.eng.Now().Add(-sc.Profile.StatusLag)
	if at.Before(sc.Start) {
		at = sc.Start
	}
	return at
}

// ViewOf is what View shows of the certificate with that ARN, or false
// when View does not show it (unknown, or not created yet).
func (l *Live) ViewOf(arn string) (sim.CertView, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	sc := l.r.res.Scenario
	log := l.r.model.Record()
	l.indexRecord(sc, log)
	i, ok := l.byARN[arn]
	if !ok {
		return sim.CertView{}, false
	}
	v := sim.ViewCert(sc, l.r.res.Seed, i, log, l.entries[sc.Certificates[i].ID], l.viewAt())
	return v, v.ARN == arn
}

// indexRecord indexes the entries written since it last ran.
func (l *Live) indexRecord(sc *sim.Scenario, log []sim.Entry) {
	if l.entries == nil {
		l.entries, l.byARN = map[string][]int32{}, map[string]int{}
	}
	if l.indexed == len(log) {
		return
	}
	ids := make(map[string]int, len(sc.Certificates))
	for i := range sc.Certificates {
		ids[sc.Certificates[i].ID] = i
	}
	for k := l.indexed; k < len(log); k++ {
		e := &log[k]
		i, ok := ids[e.Cert]
		if !ok {
			continue
		}
		l.entries[e.Cert] = append(l.entries[e.Cert], int32(k))
		if e.Kind == sim.KindCert && e.Detail.ARN != "" {
			l.byARN[e.Detail.ARN] = i
		}
	}
	l.indexed = len(log)
}

// Inject applies a world change now, as if the timeline had it.
func (l *Live) Inject(ch sim.Change) error { return l.InjectAll([]sim.Change{ch}) }

// InjectAll applies world changes now, in order and as one step of the
// run: every change is checked first, and none is applied when one is
// refused. A Route 53 change batch arrives so.
func (l *Live) InjectAll(chs []sim.Change) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ended {
		return refusef("the run has ended, at %s", l.r.res.Scenario.Until.UTC().Format(time.RFC3339))
	}
	now := l.r.eng.Now()
	for i := range chs {
		chs[i].At, chs[i].AtText = now, "now"
		if err := checkChange(l.r.res.Scenario, chs[i]); err != nil {
			return &refusal{err.Error()}
		}
	}
	for _, ch := range chs {
		l.r.step(now, ch)
		if l.r.err != nil {
			return l.r.err
		}
	}
	return nil
}

// checkChange refuses a change the model cannot apply, or that a scenario
// could not hold (the loader's rules): the model would otherwise log it,
// act on the wrong kind of certificate, or delete more than was asked.
func checkChange(sc *sim.Scenario, ch sim.Change) error {
	var crt *sim.Certificate
	for i := range sc.Certificates {
		if sc.Certificates[i].ID == ch.Cert {
			crt = &sc.Certificates[i]
		}
	}
	cert := func() error {
		if crt == nil {
			var ids []string
			for _, c := range sc.Certificates {
				ids = append(ids, c.ID)
			}
			return fmt.Errorf("unknown certificate %q (the scenario has %s)", ch.Cert, strings.Join(ids, ", "))
		}
		return nil
	}
	validatedBy := func(want string, methods ...string) error {
		if err := cert(); err != nil {
			return err
		}
		if !slices.Contains(methods, crt.Validation) {
			how := crt.Validation + " validation"
			if crt.Validation == "" {
				how = "no validation (" + crt.Type + ")"
			}
			return fmt.Errorf("%s needs %s; %q uses %s", ch.Do, want, ch.Cert, how)
		}
		return nil
	}
	resource := func() error {
		if !slices.ContainsFunc(sc.Resources, func(r sim.Resource) bool { return r.ID == ch.Resource }) {
			return fmt.Errorf("unknown resource %q", ch.Resource)
		}
		return nil
	}
	switch ch.Do {
	case sim.DoDeleteValidationRecord, sim.DoRestoreValidationRecord:
		return validatedBy("a dns- or http-validated certificate", sim.ValidationDNS, sim.ValidationHTTP)
	case sim.DoResendValidationEmail:
		return validatedBy("an e-mail-validated certificate", sim.ValidationEmail)
	case sim.DoExport:
		return cert()
	case sim.DoRenewCertificate:
		if err := cert(); err != nil {
			return err
		}
		if crt.Type != sim.TypePrivate && crt.Type != sim.TypeAmazonIssued {
			return fmt.Errorf("%s needs a private or amazon-issued certificate; %q is %s", ch.Do, ch.Cert, crt.Type)
		}
	case sim.DoAttach, sim.DoDetach:
		if err := cert(); err != nil {
			return err
		}
		return resource()
	case sim.DoDNSAdd:
		if _, err := fakedns.ParseRecords(ch.Record); err != nil || strings.TrimSpace(ch.Record) == "" {
			return fmt.Errorf("bad DNS record %q: %v", ch.Record, err)
		}
	case sim.DoDNSDelete:
		if ch.Name == "" {
			return errors.New("dns-delete needs a name")
		}
		if _, ok := mdns.IsDomainName(ch.Name); !ok {
			return fmt.Errorf("dns-delete: %q is not a domain name", ch.Name)
		}
		// An unknown type would read as 0, which deletes every type.
		if _, ok := mdns.StringToType[strings.ToUpper(ch.Type)]; ch.Type != "" && !ok {
			return fmt.Errorf("dns-delete: %q is not an RR type such as CNAME or CAA (leave type out to delete every type)", ch.Type)
		}
	case sim.DoClickApproval:
		if ch.Domain == "" {
			return errors.New("click-approval needs a domain")
		}
		if !emailName(sc, ch.Domain) {
			return fmt.Errorf("click-approval needs a name of an e-mail-validated certificate; %q is none", ch.Domain)
		}
	case sim.DoMailboxReject, sim.DoMailboxAccept:
		if !strings.Contains(ch.Address, "@") {
			return fmt.Errorf("%s needs an e-mail address", ch.Do)
		}
	case sim.DoDNSFault, sim.DoDNSFaultClear:
		where := ch.Name
		if (ch.Name == "") == (ch.Zone == "") {
			return fmt.Errorf("%s needs a name or a zone (one of them)", ch.Do)
		}
		if ch.Zone != "" {
			where = ch.Zone
		}
		if _, ok := mdns.IsDomainName(where); !ok {
			return fmt.Errorf("%s: %q is not a domain name", ch.Do, where)
		}
		if ch.Do == sim.DoDNSFault && !slices.Contains([]string{sim.FaultServfail, sim.FaultTimeout, sim.FaultSlow}, ch.Fault) {
			return fmt.Errorf("dns-fault needs a fault: servfail, timeout or slow")
		}
	case sim.DoPCAFailure, sim.DoPCARestore:
		if err := cert(); err != nil {
			return err
		}
		if crt.Type != sim.TypePrivate {
			return fmt.Errorf("%s needs a private certificate; %q is %s", ch.Do, ch.Cert, crt.Type)
		}
		if ch.Do == sim.DoPCAFailure && !strings.HasPrefix(ch.Reason, "PCA_") {
			return fmt.Errorf("pca-failure needs a reason such as PCA_INVALID_STATE")
		}
	case sim.DoReimport:
		if err := cert(); err != nil {
			return err
		}
		if crt.Type != sim.TypeImported {
			return fmt.Errorf("reimport needs an imported certificate; %q is %s", ch.Cert, crt.Type)
		}
		if !ch.NotAfter.After(ch.At) {
			return fmt.Errorf("reimport needs a not_after after now")
		}
	default:
		return fmt.Errorf("unknown action %q", ch.Do)
	}
	return nil
}

// emailName reports whether name is a name of an e-mail-validated
// certificate of sc.
func emailName(sc *sim.Scenario, name string) bool {
	for i := range sc.Certificates {
		c := &sc.Certificates[i]
		if c.Validation == sim.ValidationEmail && slices.ContainsFunc(c.Names(), func(n string) bool { return strings.EqualFold(n, name) }) {
			return true
		}
	}
	return false
}

// Addrs tells where the fakes listen.
func (l *Live) Addrs() (dns, smtp, approvalURL string, resources []ResourceAddr) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, r := range l.r.res.Scenario.Resources {
		resources = append(resources, ResourceAddr{ID: r.ID, TLS: l.w.tls[i].Addr(), HTTP: l.w.http[i].Addr()})
	}
	return l.w.dns.Addr(), l.w.sink.Addr(), l.w.approval.URL(), resources
}

// Messages lists what reached the mail sink.
func (l *Live) Messages() []fakesmtp.Message { return l.w.sink.Messages() }

// ClickMessage follows the approval link of message seq now, as its reader
// would, and tells the model.
func (l *Live) ClickMessage(seq int) (sim.ClickResult, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, m := range l.w.sink.Messages() {
		if m.Seq != seq {
			continue
		}
		link := linkRE.FindString(m.Body)
		if link == "" {
			return sim.ClickResult{}, fmt.Errorf("message %d has no approval link", seq)
		}
		domain, _ := strings.CutPrefix(m.Subject, "Certificate request for ")
		res := l.w.clickLink(link, domain, strings.Join(m.To, ","))
		l.r.step(l.r.eng.Now(), res)
		return res, l.r.err
	}
	return sim.ClickResult{}, fmt.Errorf("no message %s", strconv.Itoa(seq))
}
