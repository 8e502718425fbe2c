package sim

import (
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
)

// initialRecords are the validation records in DNS at the start, as the
// scenario's validation_record says.
func (m *Model) initialRecords(c *certState) []string {
	if c.spec.Type != TypeAmazonIssued || c.spec.Validation != ValidationDNS {
		return nil
	}
	var out []string
	for _, base := range recordBases(c.names) {
		rec, val := c.spec.ValidationCNAME(m.seed, c.p.Account, base)
		switch mode := c.spec.RecordState(base); {
		case mode == "" || mode == RecordPresent:
			out = append(out, cnameLine(rec, val))
		case mode == RecordWrong:
			_, other := ValidationRecord(m.seed, c.p.Account, "wrong."+base)
			out = append(out, cnameLine(rec, other))
		case mode == RecordDoubledSuffix:
			out = append(out, cnameLine(strings.TrimSuffix(rec, ".")+"."+base+".", val))
		case mode == RecordNoUnderscore:
			out = append(out, cnameLine(rec, strings.TrimPrefix(val, "_")))
		case strings.HasPrefix(mode, "chain-"):
			var n int
			fmt.Sscanf(mode, "chain-%d", &n)
			from := rec
			for i := 1; i < n; i++ {
				d := digest(m.seed, "chain", base, fmt.Sprint(i))
				hop := fmt.Sprintf("_hop%d-%s.%s.", i, hex.EncodeToString(d[:4]), base)
				out = append(out, cnameLine(from, hop))
				from = hop
			}
			out = append(out, cnameLine(from, val))
		}
	}
	return out
}

func cnameLine(name, target string) string { return name + " 300 IN CNAME " + target }

// recordBases are the distinct names that need a validation record: a
// wildcard shares its parent's.
func recordBases(names []string) []string {
	var out []string
	for _, n := range names {
		b := BaseName(n)
		if !slices.Contains(out, b) {
			out = append(out, b)
		}
	}
	return out
}

// checkDNS asks for name i's validation record, unless another name of the
// attempt already did.
func (m *Model) checkDNS(c *certState, i int, nc *NameCheck) {
	r := &c.records[i]
	nc.Method, nc.Record, nc.Expected = "DNS", r.name, r.value
	if m.want(c, i, r.key) {
		m.emit(CheckCNAME{Cert: c.idx, Attempt: c.att.n, Record: r.name, Expected: r.value, MaxHops: m.p.MaxCNAMEChain + 1})
	}
}

// cnameAnswer takes the answer to a CheckCNAME.
func (m *Model) cnameAnswer(now time.Time, c *certState, a CNAMEAnswer) {
	m.answer(now, c, a.Attempt, checkKey{'d', a.Record}, func(nc *NameCheck) {
		// Hourly attempts mostly see what the last one saw: judge that once.
		if i := slices.IndexFunc(c.att.prev, func(p NameCheck) bool { return p.Domain == nc.Domain }); i >= 0 {
			p := &c.att.prev[i]
			if p.Method == "DNS" && p.Rcode == a.Rcode && a.Err == "" && slices.Equal(p.Answer, a.Chain) {
				nc.Answer, nc.Rcode, nc.Status, nc.Cause, nc.Problem, nc.Fix = p.Answer, p.Rcode, p.Status, p.Cause, p.Problem, p.Fix
				return
			}
		}
		judgeCNAME(nc, a, m.p.MaxCNAMEChain)
	})
}

// judgeCNAME applies ACM's DNS rules to what DNS answered.
func judgeCNAME(nc *NameCheck, a CNAMEAnswer, maxChain int) {
	nc.Answer = a.Chain
	nc.Rcode = a.Rcode
	n := len(a.Chain)
	switch {
	case a.Err != "":
		nc.Cause = CauseDNSError
		nc.Problem = "the DNS query failed: " + a.Err
		nc.Fix = "make the validation record resolvable in public DNS"
	case n > 0 && CNAMEMatches(a.Chain[n-1], nc.Expected) && n <= maxChain:
		nc.Status = ValidationSuccess
		return
	case n > 0 && CNAMEMatches(a.Chain[n-1], nc.Expected):
		nc.Cause = CauseCNAMEChainTooLong
		nc.Problem = fmt.Sprintf("the CNAME chain from %s has %d records; ACM follows at most %d", nc.Record, n, maxChain)
		nc.Fix = fmt.Sprintf("point %s directly at %s", nc.Record, nc.Expected)
	case n > maxChain:
		nc.Cause = CauseCNAMEChainTooLong
		nc.Problem = fmt.Sprintf("the CNAME chain from %s is longer than %d records and never reaches %s", nc.Record, maxChain, nc.Expected)
		nc.Fix = fmt.Sprintf("point %s directly at %s", nc.Record, nc.Expected)
	case a.Rcode == "NXDOMAIN" && n == 0:
		nc.Cause = CauseCNAMEMissing
		nc.Problem = fmt.Sprintf("%s does not exist (NXDOMAIN): the validation CNAME was deleted, or sits in the wrong zone or under a doubled suffix", nc.Record)
		nc.Fix = fmt.Sprintf("add %s CNAME %s back to the public zone", nc.Record, nc.Expected)
	case a.Rcode != "NOERROR" && a.Rcode != "NXDOMAIN":
		nc.Cause = CauseDNSError
		nc.Problem = fmt.Sprintf("DNS answered %s for %s", a.Rcode, chainEnd(nc.Record, a.Chain))
		nc.Fix = "repair the zone's name servers (or DNSSEC) so the validation record resolves"
	case n == 0:
		nc.Cause = CauseCNAMENoData
		nc.Problem = fmt.Sprintf("%s exists but has no CNAME record (NODATA)", nc.Record)
		nc.Fix = fmt.Sprintf("add %s CNAME %s", nc.Record, nc.Expected)
	default:
		nc.Cause = CauseCNAMEWrong
		nc.Problem = fmt.Sprintf("%s points at %s, but ACM expects %s", chainEnd(nc.Record, a.Chain[:n-1]), a.Chain[n-1], nc.Expected)
		nc.Fix = fmt.Sprintf("set %s CNAME %s", nc.Record, nc.Expected)
	}
	nc.Status = ValidationPending
}

func chainEnd(record string, chain []string) string {
	if len(chain) == 0 {
		return record
	}
	return chain[len(chain)-1]
}
