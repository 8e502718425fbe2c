package sim

import (
	"fmt"
	"strings"
	"time"
)

// initialTokens puts HTTP validation tokens on the resources using c, as
// the scenario's validation_record says.
func (m *Model) initialTokens(c *certState) {
	if c.spec.Type != TypeAmazonIssued || c.spec.Validation != ValidationHTTP {
		return
	}
	for _, n := range c.names {
		path, content, redirect := HTTPToken(m.seed, c.p, n)
		for _, ri := range c.attached {
			w := WebChange{Resource: ri, Path: path}
			switch c.spec.RecordState(n) {
			case "", RecordPresent:
				w.Body = content
			case RecordRedirect:
				w.Location = redirect
			case RecordWrong:
				w.Body = "not the token"
			default:
				continue
			}
			m.emit(w)
		}
	}
}

// checkHTTP asks for name i's token.
func (m *Model) checkHTTP(c *certState, i int, n string, nc *NameCheck) {
	path, content, _ := HTTPToken(m.seed, c.p, n)
	nc.Method, nc.Record, nc.Expected = "HTTP", "http://"+n+path, content
	if m.want(c, i, checkKey{'h', n}) {
		m.emit(CheckHTTP{Cert: c.idx, Attempt: c.att.n, Domain: n, Path: path})
	}
}

// httpAnswer takes the answer to a CheckHTTP: the resource must serve the
// token content, or redirect to ACM's copy of it.
func (m *Model) httpAnswer(now time.Time, c *certState, a HTTPAnswer) {
	_, content, redirect := HTTPToken(m.seed, c.p, a.Domain)
	m.answer(now, c, a.Attempt, checkKey{'h', a.Domain}, func(nc *NameCheck) {
		nc.Answer = []string{fmt.Sprint(a.Status)}
		if a.Location != "" {
			nc.Answer = append(nc.Answer, a.Location)
		}
		switch {
		case a.Err != "":
			nc.Cause = CauseHTTPUnreachable
			nc.Problem = fmt.Sprintf("GET %s failed: %s", nc.Record, a.Err)
			nc.Fix = fmt.Sprintf("make %s resolve to the CloudFront distribution and serve the token", a.Domain)
		case a.Status == 200 && strings.TrimSpace(a.Body) == content:
			nc.Status = ValidationSuccess
			return
		case redirects(a.Status) && a.Location == redirect:
			nc.Status = ValidationSuccess
			return
		case a.Status >= 300 && a.Status < 400 && a.Location == redirect:
			nc.Cause = CauseHTTPTokenWrong
			nc.Problem = fmt.Sprintf("GET %s answered %d with ACM's URL as Location, which is no redirect: only 301, 302, 303, 307 and 308 are followed", nc.Record, a.Status)
			nc.Fix = fmt.Sprintf("redirect %s to %s with 301, 302, 307 or 308, or serve the token", nc.Record, redirect)
		case a.Status == 404:
			nc.Cause = CauseHTTPTokenMissing
			nc.Problem = fmt.Sprintf("GET %s answered 404: the validation token is not served", nc.Record)
			nc.Fix = fmt.Sprintf("serve the token at %s or redirect it to %s", nc.Record, redirect)
		default:
			nc.Cause = CauseHTTPTokenWrong
			nc.Problem = fmt.Sprintf("GET %s answered %d with other content than ACM's token", nc.Record, a.Status)
			nc.Fix = fmt.Sprintf("serve the token at %s or redirect it to %s", nc.Record, redirect)
		}
		nc.Status = ValidationPending
	})
}

// redirects tells whether an HTTP status sends a GET on to its Location:
// the redirects of RFC 9110 §15.4 (301, 302, 303, 307, 308). ACM documents
// only "return this content or redirect here" (HttpRedirect, A15) and
// its troubleshooting page checks for a 302 (S22); which codes it follows
// is an assumption (docs/model.md §6): those HTTP clients follow by
// themselves. 300, 304 and 305 send no client anywhere on their own.
func redirects(status int) bool {
	switch status {
	case 301, 302, 303, 307, 308:
		return true
	}
	return false
}
