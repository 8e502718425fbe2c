package result

import (
	"strings"
	"unicode"

	"github.com/renewsim/renewsim/sim"
)

// eventKey counts EventBridge events of one certificate and detail type,
// with any AWS Health code or with one.
type eventKey struct {
	cert, detailType string
	code             string
	anyCode          bool
}

// eventCounts counts the record's EventBridge events by certificate,
// detail type and AWS Health code.
func eventCounts(log []sim.Entry) map[eventKey]int {
	n := map[eventKey]int{}
	for i := range log {
		e := &log[i]
		if e.Kind != sim.KindEventBus || e.Detail.Event == nil {
			continue
		}
		dt := e.Detail.Event.DetailType
		n[eventKey{cert: e.Cert, detailType: dt, anyCode: true}]++
		n[eventKey{cert: e.Cert, detailType: dt, code: healthCode(e.Detail.Event)}]++
	}
	return n
}

// emailKey counts delivered e-mails of one certificate (or any), one kind
// (or any) and one recipient (or any), the recipient folded by foldKey.
type emailKey struct {
	cert, kind, to          string
	anyCert, anyKind, anyTo bool
}

// emailCounts counts the record's delivered e-mails under every key that
// matches them.
func emailCounts(log []sim.Entry) map[emailKey]int {
	n := map[emailKey]int{}
	for i := range log {
		e := &log[i]
		if e.Kind != sim.KindEmail || e.Detail.OK == nil || !*e.Detail.OK {
			continue
		}
		to := foldKey(e.Detail.MailOf().To)
		for _, anyCert := range [2]bool{false, true} {
			for _, anyKind := range [2]bool{false, true} {
				for _, anyTo := range [2]bool{false, true} {
					k := emailKey{anyCert: anyCert, anyKind: anyKind, anyTo: anyTo}
					if !anyCert {
						k.cert = e.Cert
					}
					if !anyKind {
						k.kind = e.Detail.MailOf().Email
					}
					if !anyTo {
						k.to = to
					}
					n[k]++
				}
			}
		}
	}
	return n
}

// foldKey maps s to a string that two strings share exactly when
// strings.EqualFold holds between them: every rune becomes the smallest of
// its Unicode simple case folding orbit.
func foldKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		low := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			low = min(low, f)
		}
		b.WriteRune(low)
	}
	return b.String()
}
