package run

import (
	"context"
	"errors"
	"fmt"
	"strings"
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
	var errs []error
	check := func(line int, text string) {
		rrs, err := fakedns.ParseRecords(text)
		if err == nil && len(rrs) == 0 {
			err = errors.New("no record in it")
		}
		if err != nil {
			errs = append(errs, &Error{File: sc.File, Line: line, Col: 1, Msg: fmt.Sprintf("bad DNS record %q: %v (expected a zone-file line like 'example.com. 300 IN CAA 0 issue \"amazon.com\"')", text, err)})
		}
	}
	for i, r := range sc.DNSRecords {
		line := 0
		if i < len(sc.DNSLines) {
			line = sc.DNSLines[i]
		}
		check(line, r)
	}
	for _, ch := range sc.Timeline {
		if ch.Do == sim.DoDNSAdd {
			check(ch.Line, ch.Record)
		}
		if ch.Do == sim.DoDNSDelete && ch.Type != "" {
			if _, ok := mdns.StringToType[strings.ToUpper(ch.Type)]; !ok {
				errs = append(errs, &Error{File: sc.File, Line: ch.Line, Col: 1, Msg: fmt.Sprintf("unknown DNS record type %q", ch.Type)})
			}
		}
	}
	for _, c := range sc.Certificates {
		if c.Validation == sim.ValidationEmail || c.Validation == sim.ValidationHTTP {
			errs = append(errs, &Error{File: sc.File, Msg: fmt.Sprintf("certificate %s: %s validation is not supported by this version of renewsim (only dns)", c.ID, c.Validation)})
		}
	}
	return errors.Join(errs...)
}

// Run simulates sc from its start to its until and returns the record.
func Run(ctx context.Context, sc *sim.Scenario, opt Options) (*Result, error) {
	if err := Check(sc); err != nil {
		return nil, err
	}
	seed := sc.Seed
	if opt.Seed != nil {
		seed = *opt.Seed
	}
	srv, err := fakedns.Start()
	if err != nil {
		return nil, fmt.Errorf("start fake DNS: %w", err)
	}
	defer srv.Close()
	srv.SetHistory(false)
	client := &mdns.Client{Net: "udp", Timeout: 5 * time.Second}
	conn, err := client.Dial(srv.Addr())
	if err != nil {
		return nil, fmt.Errorf("dial fake DNS: %w", err)
	}
	defer conn.Close()

	r := &runner{
		ctx: ctx, eng: engine.New(sc.Start, seed), model: sim.NewModel(sc, seed),
		dns: srv, client: client, conn: conn,
		res: &Result{Scenario: sc, Seed: seed},
	}
	for _, ch := range sc.Timeline {
		ch := ch
		r.eng.At(ch.At, "timeline "+ch.Do, func() { r.do(r.model.Apply(r.eng.Now(), ch)) })
	}
	r.do(r.model.Start(sc.Start))
	r.res.Events = r.eng.Run(sc.Until)
	if r.err != nil {
		return nil, r.err
	}
	r.do(r.model.Finish(sc.Until))
	if r.err != nil {
		return nil, r.err
	}
	return r.res, nil
}

type runner struct {
	ctx    context.Context
	eng    *engine.Engine
	model  *sim.Model
	dns    *fakedns.Server
	client *mdns.Client
	conn   *mdns.Conn
	res    *Result
	err    error
	queue  []sim.Effect
}

// do carries out effects in order. Answers from the world become inputs at
// the same virtual time; their effects join the end of the queue.
func (r *runner) do(effects []sim.Effect) {
	r.queue = append(r.queue, effects...)
	if len(r.queue) != len(effects) {
		return // an outer call is draining the queue
	}
	for len(r.queue) > 0 {
		e := r.queue[0]
		r.queue = r.queue[1:]
		r.perform(e)
	}
	r.queue = r.queue[:0]
}

func (r *runner) fail(err error) {
	if r.err == nil {
		r.err = err
		r.eng.Stop()
	}
}

func (r *runner) perform(e sim.Effect) {
	now := r.eng.Now()
	switch e := e.(type) {
	case sim.Log:
		r.res.Log = append(r.res.Log, e.Entry)
	case sim.Wake:
		t := e.Timer
		r.eng.At(e.At, t.Kind, func() { r.do(r.model.Fire(r.eng.Now(), t)) })
	case sim.CheckCNAME:
		ans := r.resolve(e)
		r.queue = append(r.queue, r.model.CNAMEResult(now, ans)...)
	case sim.DNSChange:
		for _, rm := range e.Remove {
			typ := uint16(0)
			if rm.Type != "" {
				typ = mdns.StringToType[strings.ToUpper(rm.Type)]
			}
			r.dns.Remove(rm.Name, typ)
		}
		if len(e.Add) > 0 {
			if err := r.dns.Add(e.Add...); err != nil {
				r.fail(fmt.Errorf("%s: DNS change at %s: %w", r.res.Scenario.File, now.Format(time.RFC3339), err))
			}
		}
	case sim.Deploy:
		// Served certificates are tracked in the record; real TLS endpoints
		// come with the TLS fake.
	}
}

// resolve follows the validation record's CNAME chain with real queries, as
// a resolver would, up to MaxHops records.
func (r *runner) resolve(c sim.CheckCNAME) sim.CNAMEAnswer {
	ans := sim.CNAMEAnswer{Cert: c.Cert, Attempt: c.Attempt, Record: c.Record}
	name := c.Record
	for hop := 0; hop < c.MaxHops; hop++ {
		if err := r.ctx.Err(); err != nil {
			r.fail(err)
			ans.Err = "cancelled"
			return ans
		}
		q := new(mdns.Msg)
		q.SetQuestion(mdns.Fqdn(name), mdns.TypeCNAME)
		q.RecursionDesired = false
		resp, _, err := r.client.ExchangeWithConn(q, r.conn)
		r.res.Queries++
		if err != nil {
			ans.Err = "no answer from the name server"
			return ans
		}
		ans.Rcode = mdns.RcodeToString[resp.Rcode]
		if resp.Rcode != mdns.RcodeSuccess {
			return ans
		}
		target := ""
		for _, rr := range resp.Answer {
			if cn, ok := rr.(*mdns.CNAME); ok && strings.EqualFold(cn.Hdr.Name, mdns.Fqdn(name)) {
				target = cn.Target
				break
			}
		}
		if target == "" {
			return ans
		}
		ans.Chain = append(ans.Chain, target)
		if sim.CNAMEMatches(target, c.Expected) {
			return ans
		}
		name = target
	}
	return ans
}
