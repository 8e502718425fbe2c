package run

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	mdns "github.com/miekg/dns"

	"github.com/renewsim/renewsim/engine"
	fakedns "github.com/renewsim/renewsim/fakes/dns"
	"github.com/renewsim/renewsim/sim"
)

// Options change how a scenario runs.
type Options struct {
	// Seed, when set, replaces the scenario's seed.
	Seed *uint64
	// CacheDNS asks the fake DNS server only after the zone changed, and
	// answers the attempts in between from the last answer (a whole CNAME
	// chain, a whole CAA climb). The zone only changes through the
	// scenario's timeline, so the record of the run is the same as in the
	// default every-attempt mode; only Queries differs.
	CacheDNS bool
	// CacheProbes answers a client connecting to a resource without a
	// handshake when the answer cannot differ from one: what a client
	// verifying a certificate of the simulator CA sees follows from its
	// names, its validity, the name asked for and the time (it verifies,
	// or names the wrong name, or is expired or not yet valid), so one real
	// handshake of each kind proves the derivation and stands for the rest;
	// any other verdict is kept by the certificate served, the name and the
	// virtual time. The legacy HTTPS probe and HTTP validation are
	// remembered by what the resource serves.
	// Resources start listening, and deployed certificates are issued, only
	// when a client must talk to them. The record is the same as without
	// it; only the fakes see less traffic.
	CacheProbes bool
	// Budget caps the engine events of the run (0: the default, Budget(sc)).
	// A run that uses it up stops with an error naming what kept firing.
	Budget uint64
}

// Result is the record of one run.
type Result struct {
	Scenario *sim.Scenario
	Seed     uint64
	Log      []sim.Entry
	Events   uint64 // engine events run
	Queries  int    // DNS queries sent to the fake server
}

// Error is a problem with a scenario that stops it from running at all.
type Error struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, max(e.Col, 1), e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Check rejects what the loader could not: zone-file lines the DNS server
// would refuse, and features this runner does not drive yet. A scenario that
// passes Check runs to its end.
func Check(sc *sim.Scenario) error {
	_, err := checkParsed(sc)
	return err
}

// checkParsed is Check, which returns the records of sc.DNSRecords as it
// parsed them, text by text: the runner gives them to the fake DNS server
// and finds the zones in them without parsing them twice more (a fleet's
// scenario holds tens of thousands).
func checkParsed(sc *sim.Scenario) (map[string][]mdns.RR, error) {
	var errs []error
	parsed := make(map[string][]mdns.RR, len(sc.DNSRecords))
	// A fleet's scenario holds tens of thousands of records, each a zone
	// parser's work: parse them on every core, then take them in order.
	rrs, perr := make([][]mdns.RR, len(sc.DNSRecords)), make([]error, len(sc.DNSRecords))
	parts := min(runtime.GOMAXPROCS(0), len(sc.DNSRecords)/512+1)
	var wg sync.WaitGroup
	for p := range parts {
		wg.Go(func() {
			for i := p * len(rrs) / parts; i < (p+1)*len(rrs)/parts; i++ {
				rrs[i], perr[i] = fakedns.ParseRecords(sc.DNSRecords[i])
			}
		})
	}
	wg.Wait()
	for i, r := range sc.DNSRecords {
		line := 0
		if i < len(sc.DNSLines) {
			line = sc.DNSLines[i]
		}
		parsed[r] = checked(sc.File, line, r, rrs[i], perr[i], &errs)
	}
	for _, ch := range sc.Timeline {
		if ch.Do == sim.DoDNSAdd {
			rrs, err := fakedns.ParseRecords(ch.Record)
			checked(sc.File, ch.Line, ch.Record, rrs, err, &errs)
		}
		if ch.Do == sim.DoDNSDelete && ch.Type != "" {
			if _, ok := mdns.StringToType[strings.ToUpper(ch.Type)]; !ok {
				errs = append(errs, &Error{File: sc.File, Line: ch.Line, Col: 1, Msg: fmt.Sprintf("unknown DNS record type %q", ch.Type)})
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return parsed, nil
}

// checked is what parsing the record text at line gave, rrs or err; a
// problem joins errs.
func checked(file string, line int, text string, rrs []mdns.RR, err error, errs *[]error) []mdns.RR {
	if err == nil && len(rrs) == 0 {
		err = errors.New("no record in it")
	}
	if err != nil {
		*errs = append(*errs, &Error{File: file, Line: line, Col: 1, Msg: fmt.Sprintf("bad DNS record %q: %v (expected a zone-file line like 'example.com. 300 IN CAA 0 issue \"amazon.com\"')", text, err)})
	}
	return rrs
}

// Run simulates sc from its start to its until and returns the record.
func Run(ctx context.Context, sc *sim.Scenario, opt Options) (*Result, error) {
	w := &world{}
	defer w.close()
	return runOn(ctx, w, sc, opt)
}

// runOn runs sc on the fakes of w, which it prepares first.
func runOn(ctx context.Context, w *world, sc *sim.Scenario, opt Options) (*Result, error) {
	return runOnBuffer(ctx, w, sc, opt, nil)
}

// runOnBuffer is runOn writing the record into buf when it has room.
func runOnBuffer(ctx context.Context, w *world, sc *sim.Scenario, opt Options, buf []sim.Entry) (*Result, error) {
	r, err := newRunner(ctx, w, sc, opt, buf)
	if err != nil {
		return nil, err
	}
	budget := opt.Budget
	if budget == 0 {
		budget = Budget(sc)
	}
	r.eng.SetBudget(budget)
	r.res.Events = r.eng.Run(sc.Until)
	if err := r.eng.Err(); err != nil && r.err == nil {
		r.err = fmt.Errorf("%s: simulation stopped: %w", sc.File, err)
	}
	return r.finish(ctx)
}

// newRunner prepares w for sc, schedules the timeline and starts the model.
func newRunner(ctx context.Context, w *world, sc *sim.Scenario, opt Options, buf []sim.Entry) (*runner, error) {
	parsed, err := checkParsed(sc)
	if err != nil {
		return nil, err
	}
	w.initial = parsed
	seed := sc.Seed
	if opt.Seed != nil {
		seed = *opt.Seed
	}
	eng := engine.New(sc.Start, seed)
	if opt.CacheDNS {
		if w.cache == nil {
			w.cache = map[dnsKey]*mdns.Msg{}
		}
	} else {
		w.cache = nil
	}
	w.probeCache = nil
	if opt.CacheProbes {
		if w.probeMemo == nil {
			w.probeMemo = map[probeKey]sim.TLSAnswer{}
		}
		w.probeCache = w.probeMemo
	}
	w.eager = !opt.CacheProbes || w.live
	if err := w.prepare(ctx, sc, seed, eng.Clock()); err != nil {
		return nil, err
	}

	r := &runner{eng: eng, model: sim.NewModel(sc, seed), w: w, res: &Result{Scenario: sc, Seed: seed}, names: map[string]string{}}
	// Most of a record is one entry per attempt: start with room for a
	// window's worth of them so the log is not copied as it grows.
	if n := logCapacity(sc); cap(buf) >= n {
		r.model.UseRecord(buf)
	} else {
		r.model.UseRecord(make([]sim.Entry, 0, n))
	}
	if n := len(sc.Timeline); n > 0 {
		r.scheduleTimeline(0, eng.Reserve(uint64(n)))
	}
	for _, mb := range sc.Mailboxes {
		if mb.Clicks == sim.ClickAt {
			r.eng.At(mb.At, "mailbox "+mb.Address, func() {
				for _, d := range w.domainsIn(mb.Address) {
					r.step(r.eng.Now(), w.click(d, mb.Address))
				}
			})
		}
	}
	r.step(sc.Start, sim.Begin{})
	return r, r.err
}

// scheduleTimeline queues timeline entry i in the place reserved for it
// (the places start at first); running, it queues the next. The queue so
// holds one entry at a time, however long the timeline, in the order it
// would have had with every entry queued at the start.
func (r *runner) scheduleTimeline(i int, first uint64) {
	tl := r.res.Scenario.Timeline
	if i == len(tl) {
		return
	}
	ch := &tl[i]
	name, ok := r.names[ch.Do]
	if !ok {
		name = "timeline " + ch.Do
		r.names[ch.Do] = name
	}
	r.eng.AtReserved(ch.At, first+uint64(i), name, func() {
		r.scheduleTimeline(i+1, first)
		r.step(r.eng.Now(), *ch)
	})
}

// finish closes the record at the scenario's until.
func (r *runner) finish(ctx context.Context) (*Result, error) {
	if r.err == nil {
		r.step(r.res.Scenario.Until, sim.End{})
	}
	if r.err == nil {
		r.err = ctx.Err()
	}
	if r.err != nil {
		return nil, r.err
	}
	r.res.Queries = r.w.queries
	joined := r.model.RecordArrays() > 1
	r.res.Log = r.model.Record()
	if joined {
		// The record was written in several arrays and Record has just
		// joined them into one: the arrays are garbage now, but the last
		// collection may have counted them as live (one that starts
		// during the copy finds them and their copy both reachable), and
		// the heap would then grow to twice that before the next. Collect
		// now, so that the results and reports built next grow the heap
		// from what is really live. On the 'traps' fleet of 10,000
		// certificates one run in three peaked at 1.18 GB instead of
		// 0.94-0.98 GB; the collection costs about 0.2 s of CPU there,
		// and small runs never make it (their record fits one array).
		runtime.GC()
	}
	return r.res, nil
}

// timer is a Wake in the engine. Timers are recycled once they ran, each
// with its own callback made once, so the hourly attempts of a fleet do not
// allocate a closure each.
type timer struct {
	r    *runner
	t    sim.Timer
	fire func()
}

func (r *runner) wake(w sim.Wake) {
	var tm *timer
	if n := len(r.timers); n > 0 {
		tm = r.timers[n-1]
		r.timers = r.timers[:n-1]
	} else {
		tm = &timer{r: r}
		tm.fire = func() {
			t := tm.t
			r.timers = append(r.timers, tm)
			r.step(r.eng.Now(), t)
		}
	}
	tm.t = w.Timer
	r.eng.At(w.At, string(w.Timer.Kind), tm.fire)
}

// series is one WakeDays the model asked for: only its next timer is in the
// engine, in the place the engine reserved for it when the model asked, so
// the order of events is the same as if every day had been scheduled then.
type series struct {
	r    *runner
	w    sim.WakeDays
	seq  uint64 // the place of day 0
	k    int    // the next day to run
	h    engine.Handle
	fire func()
	done bool
}

type seriesKey struct{ cert, gen int }

func (r *runner) wakeDays(w sim.WakeDays) {
	s := &series{r: r, w: w, seq: r.eng.Reserve(uint64(len(w.Days)))}
	s.fire = func() {
		t := s.w.Timer
		t.N = s.w.Days[s.k]
		s.k++
		s.next()
		r.step(r.eng.Now(), t)
	}
	key := seriesKey{w.Timer.Cert, w.Timer.Gen}
	if r.series == nil {
		r.series = map[seriesKey][]*series{}
	}
	r.series[key] = append(r.series[key], s)
	s.next()
}

func (s *series) next() {
	if s.k >= len(s.w.Days) || s.done {
		s.done = true
		return
	}
	s.h = s.r.eng.AtReserved(s.w.At(s.k), s.seq+uint64(s.k), string(s.w.Timer.Kind), s.fire)
}

func (s *series) cancel() {
	if !s.done {
		s.r.eng.Cancel(s.h)
		s.done = true
	}
}

type runner struct {
	timers []*timer // ran, ready for another Wake
	series map[seriesKey][]*series
	eng    *engine.Engine
	model  *sim.Model
	w      *world
	res    *Result
	err    error
	queue  []sim.Effect
	names  map[string]string // engine event names of timeline actions
}

// step feeds one input to the model at now and carries out the effects it
// asks for, in order. Answers from the world become inputs at the same
// virtual time; their effects join the end of the queue.
func (r *runner) step(now time.Time, in sim.Input) {
	if err := r.model.Step(now, in); err != nil {
		r.fail(err)
		return
	}
	effects := r.model.Ready().Effects
	r.queue = append(r.queue, effects...)
	if len(r.queue) != len(effects) {
		return // an outer call is draining the queue
	}
	for len(r.queue) > 0 && r.err == nil {
		e := r.queue[0]
		r.queue = r.queue[1:]
		r.perform(e)
	}
	r.queue = r.queue[:0]
}

func (r *runner) fail(err error) {
	if r.err == nil {
		r.err = fmt.Errorf("%s at %s: %w", r.res.Scenario.File, r.eng.Now().Format(time.RFC3339), err)
		r.eng.Stop()
	}
}

// answerOrFail is answer for the world's calls that can fail outright (a
// listener that cannot start, a certificate that cannot be issued).
func (r *runner) answerOrFail(in sim.Input, err error) {
	if err != nil {
		r.fail(err)
		return
	}
	r.answer(in)
}

// answer feeds the world's answer to an effect being carried out: its own
// effects wait at the end of the queue.
func (r *runner) answer(in sim.Input) {
	if err := r.model.Step(r.eng.Now(), in); err != nil {
		r.fail(err)
		return
	}
	r.queue = append(r.queue, r.model.Ready().Effects...)
}

func (r *runner) perform(e sim.Effect) {
	now := r.eng.Now()
	w := r.w
	switch e := e.(type) {
	case sim.Wake:
		r.wake(e)
	case sim.WakeDays:
		r.wakeDays(e)
	case sim.CancelWakes:
		key := seriesKey{e.Cert, e.Gen}
		for _, s := range r.series[key] {
			s.cancel()
		}
		delete(r.series, key)
	case sim.CheckCNAME:
		r.answer(w.resolveCNAME(e))
	case sim.CheckHTTP:
		r.answerOrFail(w.checkHTTP(e))
	case sim.ProbeHTTPS:
		r.answerOrFail(w.probeHTTPS(e, now))
	case sim.CheckCAA:
		res := sim.CAAResult{Cert: e.Cert, Attempt: e.Attempt}
		for _, n := range e.Names {
			res.Answers = append(res.Answers, w.caa(n))
		}
		r.answer(res)
	case sim.ProbeTLS:
		r.answerOrFail(w.probeTLS(e, now))
	case sim.DNSChange:
		for _, rm := range e.Remove {
			typ := uint16(0)
			if rm.Type != "" {
				typ = mdns.StringToType[strings.ToUpper(rm.Type)]
			}
			w.dns.Remove(rm.Name, typ)
			w.zoneChanged(rm.Name)
		}
		for _, line := range e.Add {
			rrs, err := w.parseRecords(line)
			if err != nil {
				r.fail(fmt.Errorf("DNS change %q: %w", line, err))
				return
			}
			w.dns.AddRR(rrs...)
			for _, rr := range rrs {
				w.zoneChanged(rr.Header().Name)
			}
		}
	case sim.DNSFault:
		if err := w.dnsFault(e); err != nil {
			r.fail(err)
		}
	case sim.WebChange:
		w.webChange(e)
	case sim.Deploy:
		if err := w.deploy(e); err != nil {
			r.fail(err)
		}
	case sim.SendEmail:
		res, err := w.sendMail(e, now)
		if err != nil {
			r.fail(err)
			return
		}
		r.mailboxesReact(res)
		r.answer(res)
	case sim.ClickApproval:
		r.answer(w.click(e.Domain, e.Address))
	case sim.MailboxChange:
		if w.sink != nil {
			if e.Reject {
				w.sink.RejectRecipient(e.Address)
			} else {
				w.sink.AcceptRecipient(e.Address)
			}
		}
	default:
		r.fail(fmt.Errorf("the runner does not know the effect %T", e))
	}
}

// mailboxesReact schedules the clicks of the people whose mailboxes just
// received an approval e-mail: "clicks: after D" follows the link of that
// very message D later (expired by then or not).
func (r *runner) mailboxesReact(res sim.EmailResult) {
	if res.Kind != sim.EmailApproval {
		return
	}
	for _, d := range res.Deliveries {
		if !d.Accepted {
			continue
		}
		for _, mb := range r.res.Scenario.Mailboxes {
			if mb.Clicks != sim.ClickAfter || !strings.EqualFold(mb.Address, d.To) {
				continue
			}
			msg, ok := r.w.sink.Latest(mb.Address)
			link := linkRE.FindString(msg.Body)
			if !ok || link == "" {
				continue
			}
			domain, addr := res.Domain, mb.Address
			r.eng.After(mb.After, "click "+addr, func() {
				r.step(r.eng.Now(), r.w.clickLink(link, domain, addr))
			})
		}
	}
}

// logCapacity guesses how many entries a run records, so that a large
// record is not copied as it grows: about two dozen for each certificate and
// renewal cycle over the horizon (window, attempts, checks, status, events,
// deployment, probes) or one per attempt over the longest window, whichever
// is more, plus one per timeline entry (which the scenario already holds,
// so room for them costs no more than they do). The guess is capped, and a
// larger record goes on in further arrays the model joins once at the end;
// capacity never written stays untouched memory.
func logCapacity(sc *sim.Scenario) int {
	const perCycle = 24
	p := sc.Profile
	n := 64
	if p.RetryInterval > 0 {
		window := p.LongestWindow()
		n += min(int(window/p.RetryInterval)*len(sc.Certificates), 1<<16)
	}
	if horizon := sc.Until.Sub(sc.Start); horizon > 0 {
		cycle := p.ShortestCycle()
		cycles := int(min(horizon/cycle+1, 1<<20))
		n = max(n, min(perCycle*cycles*len(sc.Certificates), 1<<21))
	}
	return n + len(sc.Timeline)
}
