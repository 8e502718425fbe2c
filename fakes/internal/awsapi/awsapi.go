package awsapi

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"
)

// scope is the credential scope of a SigV4 Authorization header or
// presigned query: <key id>/<yyyymmdd>/<region>/<service>/aws4_request.
var scope = regexp.MustCompile(`Credential=[^/,\s]*/[0-9]{8}/([a-z0-9-]+)/[a-z0-9-]+/aws4_request`)

// Region is the region the request was signed for, taken from the SigV4
// credential scope (the Authorization header, or X-Amz-Credential of a
// presigned URL), or "" for an unsigned request. The SDKs and the CLI sign
// with the region they were given, which is how real AWS endpoints, one
// per region, come to answer for that region only.
func Region(r *http.Request) string {
	if m := scope.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		return m[1]
	}
	if c := r.URL.Query().Get("X-Amz-Credential"); c != "" {
		if parts := strings.Split(c, "/"); len(parts) == 5 {
			return parts[2]
		}
	}
	return ""
}

// Limiter refuses requests beyond a rate per key (an operation, or a
// region and an operation), counted in wall time with a token bucket: each
// key may burst to one second's worth of requests and regains them at the
// rate. AWS quotas its APIs so (ACM per operation and region, Route 53 per
// account), and a client that reads a large account must pace itself or
// retry. A nil *Limiter allows everything.
type Limiter struct {
	rate float64
	now  func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// NewLimiter allows perSecond requests a second per key; perSecond <= 0
// returns nil, which allows everything. now is the clock (nil: time.Now);
// tests pass their own.
func NewLimiter(perSecond float64, now func() time.Time) *Limiter {
	if perSecond <= 0 {
		return nil
	}
	if now == nil {
		now = time.Now
	}
	return &Limiter{rate: perSecond, now: now, buckets: map[string]*bucket{}}
}

// burst is how many requests a key may make at once: one second's worth,
// at least one.
func (l *Limiter) burst() float64 { return max(l.rate, 1) }

// Allow takes a token for key, or reports false when there is none left.
func (l *Limiter) Allow(key string) bool {
	if l == nil {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst(), last: now}
		l.buckets[key] = b
	}
	if d := now.Sub(b.last); d > 0 {
		b.tokens = min(l.burst(), b.tokens+d.Seconds()*l.rate)
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// Rate is the limit per second, 0 for none.
func (l *Limiter) Rate() float64 {
	if l == nil {
		return 0
	}
	return l.rate
}

// Deny is the set of a service's operations a server refuses with
// AccessDenied, as an IAM policy without those permissions would. The zero
// value denies nothing.
type Deny struct {
	all bool
	ops map[string]bool
}

// NewDeny denies the operations named (matched case-insensitively, as IAM
// matches action names); "*" denies every operation.
func NewDeny(ops []string) Deny {
	d := Deny{ops: map[string]bool{}}
	for _, op := range ops {
		if op = strings.TrimSpace(op); op == "*" {
			d.all = true
		} else if op != "" {
			d.ops[strings.ToLower(op)] = true
		}
	}
	return d
}

// Denies reports whether op is denied.
func (d Deny) Denies(op string) bool { return d.all || d.ops[strings.ToLower(op)] }

// DeniedMessage is the message of an AccessDenied answer, worded as IAM
// words it, naming the principal, the action and the resource.
func DeniedMessage(account, action, resource string) string {
	if account == "" {
		account = "123456789012"
	}
	return fmt.Sprintf("User: arn:aws:iam::%s:user/renewsim is not authorized to perform: %s on resource: %s because no identity-based policy allows the %s action",
		account, action, resource, action)
}
