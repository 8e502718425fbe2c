package sim

import (
	"encoding/binary"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Day is 24 hours of virtual time. ACM counts certificate lifetimes and
// notice points in days.
const Day = 24 * time.Hour

// Eligibility rules.
const (
	EligibleInUseOrExported = "in-use-or-exported"
	EligibleInUse           = "in-use"
)

// Renewal policies: when the renewal of a certificate starts. ACM's
// profiles use PolicyWindow; the others are what-if comparisons of timing
// (see docs/profiles.md), never ACM behaviour.
const (
	PolicyWindow    = "window"     // ACM: the window opens public_window (or private_window) before NotAfter
	PolicyARI       = "ari"        // RFC 9773: a seeded uniform time in the CA's suggested window
	PolicyTwoThirds = "two-thirds" // step-ca: renew_at of the lifetime, less a seeded jitter
	PolicyFixed     = "fixed"      // certbot before 4.0: renew_before before NotAfter
)

// RenewalPolicies lists the renewal policies a profile may name.
func RenewalPolicies() []string {
	return []string{PolicyWindow, PolicyARI, PolicyTwoThirds, PolicyFixed}
}

// Share is a share of a certificate's lifetime, Num/Den, kept exact so that
// two thirds of 198 days is 132 days to the nanosecond.
type Share struct{ Num, Den int64 }

// Of is the share of d, rounded down.
func (s Share) Of(d time.Duration) time.Duration {
	if s.Den <= 0 || s.Num <= 0 {
		return 0
	}
	// d/Den*Num + (d%Den)*Num/Den cannot overflow while Num <= Den.
	den, num := time.Duration(s.Den), time.Duration(s.Num)
	return d/den*num + d%den*num/den
}

// String writes the share in lowest terms, as a knob value: 2/3, 1/20, 0.
func (s Share) String() string {
	if s.Den <= 0 || s.Num == 0 {
		return "0"
	}
	g := new(big.Int).GCD(nil, nil, big.NewInt(s.Num), big.NewInt(s.Den)).Int64()
	return fmt.Sprintf("%d/%d", s.Num/g, s.Den/g)
}

// parseShare reads a share of the lifetime: a fraction like 2/3, a
// decimal like 0.05 or a percentage like 5%, at least 0 and below 1.
func parseShare(s string) (Share, error) {
	bad := fmt.Errorf("want %s (at least 0, below 1), got %q", shareForms, s)
	s = strings.TrimSpace(s)
	if pct, ok := strings.CutSuffix(s, "%"); ok {
		return percentShare(strings.TrimSpace(pct), bad)
	}
	var out Share
	if n, d, ok := strings.Cut(s, "/"); ok {
		num, err1 := strconv.ParseInt(strings.TrimSpace(n), 10, 64)
		den, err2 := strconv.ParseInt(strings.TrimSpace(d), 10, 64)
		if err1 != nil || err2 != nil || den <= 0 || den > 1_000_000 {
			return Share{}, bad
		}
		out = Share{num, den}
	} else {
		whole, frac, _ := strings.Cut(s, ".")
		if whole == "" || strings.Trim(whole, "0") != "" || len(frac) > 6 || strings.Trim(frac, "0123456789") != "" {
			return Share{}, bad
		}
		den := int64(1)
		for range frac {
			den *= 10
		}
		num := int64(0)
		if frac != "" {
			num, _ = strconv.ParseInt(frac, 10, 64)
		}
		out = Share{num, den}
	}
	if out.Num < 0 || out.Num >= out.Den {
		return Share{}, bad
	}
	return out, nil
}

// Profile holds every number of a renewal regime. Nothing in the model is a
// constant: the numbers come from here, so what-if analysis can change them.
type Profile struct {
	Name string

	PublicValidity time.Duration // lifetime of a public certificate issued now
	PublicWindow   time.Duration // renewal window of such a certificate

	// A public certificate issued before TransitionDate keeps the lifetime
	// and window of the old regime; its renewal gets PublicValidity.
	TransitionDate        time.Time
	PreTransitionValidity time.Duration
	PreTransitionWindow   time.Duration

	// A dated schedule (acm-cabf): a public certificate issued from
	// From100d on lives Validity100d and renews Window100d before expiry;
	// one issued from From47d on, Validity47d and Window47d. A zero date
	// is no such step. The names are the CA/B Forum's maximums (SC-081v3)
	// the steps follow; the values are knobs like any other.
	From100d     time.Time
	Validity100d time.Duration
	Window100d   time.Duration
	From47d      time.Time
	Validity47d  time.Duration
	Window47d    time.Duration

	PrivateValidity time.Duration
	PrivateWindow   time.Duration

	// When renewal starts (see RenewalStart). ACM's profiles use the
	// window above; the comparison profiles another policy, with these
	// numbers. Every profile carries them, so that overriding
	// renewal_policy alone switches the policy.
	RenewalPolicy  string        // window | ari | two-thirds | fixed
	RenewAt        Share         // ari: the window's middle, two-thirds: the latest start, as a share of the lifetime elapsed
	RenewJitter    Share         // two-thirds: the start is up to this share of the lifetime earlier
	ARIWindowWidth time.Duration // ari: width of the suggested window around RenewAt
	RenewBefore    time.Duration // fixed: renewal starts this long before NotAfter

	RetryInterval          time.Duration // time between two attempts in the window
	PendingValidationAfter time.Duration // failing this long -> PENDING_VALIDATION
	ActionRequiredDays     []int         // notice days, public certificates
	PrivateActionRequired  []int         // notice days, private certificates
	InstructionEmailAfter  time.Duration // one instruction e-mail after this much failure (0: none)
	InstructionEmailDays   []int         // legacy: instruction e-mail and AWS Health notice on these days before expiry while renewal fails
	ApproachingDaysPublic  int           // daily Approaching Expiration from this many days
	ApproachingDaysPrivate int           // same, private and imported certificates
	Eligibility            string        // in-use-or-exported | in-use
	WhoisContacts          bool          // e-mail WHOIS contacts too
	HTTPSProbe             bool          // legacy HTTPS probe for e-mail-validated names
	EmailBefore            time.Duration // approval e-mails go out this long before expiry
	EmailResendDays        []int         // fresh approval e-mails on these days before expiry
	ApprovalLinkTTL        time.Duration
	ValidationReuse        time.Duration // how long a validation stays usable (before the first of ReuseSteps)
	ReuseSteps             []ReuseStep   // from each step's date on, another reuse period (Reuse)
	MaxCNAMEChain          int
	IssueDelay             time.Duration // all names validated -> new certificate
	StatusLag              time.Duration // how late DescribeCertificate shows a change
	Account                string
	Region                 string
}

// Validity is the lifetime of a certificate of type typ issued at t.
func (p *Profile) Validity(typ string, issued time.Time) time.Duration {
	v, _ := p.terms(typ, issued)
	return v
}

// Window is how long before NotAfter renewal starts for a certificate of type
// typ issued at t.
func (p *Profile) Window(typ string, issued time.Time) time.Duration {
	_, w := p.terms(typ, issued)
	return w
}

// terms are the lifetime and window of a certificate of type typ issued at
// t: a private one has the private terms in every regime (SC-081v3 is about
// public certificates); a public one those of the step its issue date falls
// in. Every step starts at its date, inclusive: a certificate issued at
// the very instant of a step gets the new terms.
func (p *Profile) terms(typ string, issued time.Time) (validity, window time.Duration) {
	switch {
	case typ == TypePrivate || typ == TypePrivateCA:
		return p.PrivateValidity, p.PrivateWindow
	case !p.From47d.IsZero() && !issued.Before(p.From47d):
		return p.Validity47d, p.Window47d
	case !p.From100d.IsZero() && !issued.Before(p.From100d):
		return p.Validity100d, p.Window100d
	case !p.TransitionDate.IsZero() && issued.Before(p.TransitionDate):
		return p.PreTransitionValidity, p.PreTransitionWindow
	}
	return p.PublicValidity, p.PublicWindow
}

// ReuseStep is one step of a reuse schedule: from From on, a domain
// validation may be reused for Reuse.
type ReuseStep struct {
	From  time.Time
	Reuse time.Duration
}

// Reuse is how long a domain validation may be reused at time at:
// ValidationReuse, or the last of ReuseSteps whose date has come. It is
// judged when the validation is used (SC-081v3 bounds the age of the
// validation data at the time of issue), so an approval can count on one
// day and be too old the next because the schedule stepped down.
func (p *Profile) Reuse(at time.Time) time.Duration {
	r := p.ValidationReuse
	for _, s := range p.ReuseSteps {
		if !at.Before(s.From) {
			r = s.Reuse
		}
	}
	return r
}

// NoticeDays are the days before expiry on which Renewal Action Required is
// sent while a name is unvalidated.
func (p *Profile) NoticeDays(typ string) []int {
	if typ == TypePrivate {
		return p.PrivateActionRequired
	}
	return p.ActionRequiredDays
}

// ApproachingDays is from how many days before expiry the daily Approaching
// Expiration event is sent.
func (p *Profile) ApproachingDays(typ string) int {
	if typ == TypeAmazonIssued {
		return p.ApproachingDaysPublic
	}
	return p.ApproachingDaysPrivate
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// The profiles renewsim ships. See docs/profiles.md for where each number
// comes from.
func acm2026() Profile {
	return Profile{
		Name:                   "acm-2026",
		PublicValidity:         198 * Day,
		PublicWindow:           45 * Day,
		TransitionDate:         date(2026, 2, 18),
		PreTransitionValidity:  395 * Day,
		PreTransitionWindow:    60 * Day,
		PrivateValidity:        395 * Day,
		PrivateWindow:          60 * Day,
		RenewalPolicy:          PolicyWindow,
		RenewAt:                Share{2, 3},
		RenewJitter:            Share{1, 20},
		ARIWindowWidth:         48 * time.Hour,
		RenewBefore:            30 * Day,
		RetryInterval:          time.Hour,
		PendingValidationAfter: 15 * Day,
		ActionRequiredDays:     []int{30, 15, 7, 3, 1},
		PrivateActionRequired:  []int{45, 30, 15, 7, 3, 1},
		ApproachingDaysPublic:  30,
		ApproachingDaysPrivate: 45,
		Eligibility:            EligibleInUseOrExported,
		EmailBefore:            45 * Day,
		EmailResendDays:        []int{30, 15, 7, 3, 1},
		ApprovalLinkTTL:        72 * time.Hour,
		ValidationReuse:        sc081v3[step200].reuse,
		MaxCNAMEChain:          5,
		IssueDelay:             10 * time.Minute,
		StatusLag:              time.Hour,
		Account:                "123456789012",
		Region:                 "us-east-1",
	}
}

func acmLegacy() Profile {
	p := acm2026()
	p.Name = "acm-legacy"
	p.PublicValidity = 395 * Day
	p.PublicWindow = 60 * Day
	p.TransitionDate = time.Time{}
	p.PreTransitionValidity = 0
	p.PreTransitionWindow = 0
	p.ActionRequiredDays = nil
	p.PrivateActionRequired = nil
	// The legacy notices: from 45 days before expiry (15 days into the
	// 60-day window) and again at 30, 15, 7, 3 and 1 days, an e-mail to the
	// account and an AWS Health notice, while renewal fails (see
	// docs/model.md).
	p.InstructionEmailDays = []int{45, 30, 15, 7, 3, 1}
	p.ApproachingDaysPublic = 45
	p.ApproachingDaysPrivate = 45
	p.Eligibility = EligibleInUse
	p.WhoisContacts = true
	p.HTTPSProbe = true
	p.ValidationReuse = sc081v3[0].reuse
	return p
}

// sc081v3 is the CA/Browser Forum's ballot SC-081v3 (C1 in
// docs/sources.md): from each date on, the longest a publicly trusted TLS
// certificate may live and the longest a domain validation may be reused
// for one. It is the one place these numbers are written: acm-cabf follows
// the whole schedule, cabf-2027 and cabf-2029 take one step of it.
var sc081v3 = []struct {
	from        time.Time // zero: before the first step
	maxValidity time.Duration
	reuse       time.Duration
}{
	{time.Time{}, 398 * Day, 398 * Day},
	{date(2026, 3, 15), 200 * Day, 200 * Day},
	{date(2027, 3, 15), 100 * Day, 100 * Day},
	{date(2029, 3, 15), 47 * Day, 10 * Day},
}

// The steps of sc081v3 the profiles name.
const (
	step200 = 1 // 2026-03-15: 200 days
	step100 = 2 // 2027-03-15: 100 days
	step47  = 3 // 2029-03-15: 47 days, 10 days of reuse
)

// assumedWindow is the renewal window renewsim assumes for a lifetime ACM
// has announced no window for (100 and 47 days): a third of it, the share
// of the lifetime left when ACME clients renew by Let's Encrypt's advice
// (ARI's suggested window, certbot from 4.0). ACM renews 198-day
// certificates with 23% of the lifetime left and 395-day ones with 15%, so
// this is on the early side. An assumption, marked so in docs/profiles.md,
// and a knob (window_100d, window_47d; public_window of cabf-2027 and
// cabf-2029).
func assumedWindow(lifetime time.Duration) time.Duration { return lifetime / 3 }

// acmCABF is ACM on the dated CA/B schedule: acm-2026's lifetimes until
// 2027-03-15 (395 days before 2026-02-18, 198 days after, which ACM chose
// under SC-081v3's 200), then SC-081v3's maximums of 100 and 47 days, and
// SC-081v3's validation reuse by the date it is used. It is what a
// forecast that runs into 2027 and beyond needs; check runs under it.
func acmCABF() Profile {
	p := acm2026()
	p.Name = "acm-cabf"
	s100, s47 := sc081v3[step100], sc081v3[step47]
	p.From100d, p.Validity100d, p.Window100d = s100.from, s100.maxValidity, assumedWindow(s100.maxValidity)
	p.From47d, p.Validity47d, p.Window47d = s47.from, s47.maxValidity, assumedWindow(s47.maxValidity)
	p.ValidationReuse = sc081v3[0].reuse
	p.ReuseSteps = nil
	for _, st := range sc081v3[1:] {
		p.ReuseSteps = append(p.ReuseSteps, ReuseStep{From: st.from, Reuse: st.reuse})
	}
	return p
}

// cabf is a what-if profile with one step of SC-081v3 applied to every
// public certificate from the start, whatever its issue date. ACM has
// announced no window for these lifetimes: renewsim assumes one
// (assumedWindow), as acm-cabf does, and lets scenarios override
// public_window.
func cabf(name string, step int) Profile {
	st := sc081v3[step]
	p := acm2026()
	p.Name = name
	p.PublicValidity = st.maxValidity
	p.PublicWindow = assumedWindow(st.maxValidity)
	p.EmailBefore = p.PublicWindow
	p.TransitionDate = time.Time{}
	p.PreTransitionValidity = 0
	p.PreTransitionWindow = 0
	p.ValidationReuse = st.reuse
	return p
}

// comparison is a comparison profile: acm-2026 in everything (lifetimes,
// validation, retries, notices, events) but when renewal starts. It
// compares timing; it is not a model of another CA.
func comparison(name, policy string) Profile {
	p := acm2026()
	p.Name = name
	p.RenewalPolicy = policy
	return p
}

// letsEncrypt2026 is a comparison profile with the 45-day certificates of
// Let's Encrypt's tlsserver profile (from 2026-05-13), renewed under policy.
// Under renewal_policy window it would renew at a third of the lifetime,
// an assumption as for cabf.
func letsEncrypt2026(name, policy string) Profile {
	p := comparison(name, policy)
	p.PublicValidity = 45 * Day
	p.PublicWindow = 15 * Day
	p.EmailBefore = p.PublicWindow
	p.TransitionDate = time.Time{}
	p.PreTransitionValidity = 0
	p.PreTransitionWindow = 0
	return p
}

var profiles = map[string]func() Profile{
	"acm-2026":   acm2026,
	"acm-legacy": acmLegacy,
	"acm-cabf":   acmCABF,
	"cabf-2027":  func() Profile { return cabf("cabf-2027", step100) },
	"cabf-2029":  func() Profile { return cabf("cabf-2029", step47) },
	// Comparisons of renewal timing, not ACM behaviour.
	"ari":               func() Profile { return comparison("ari", PolicyARI) },
	"two-thirds-jitter": func() Profile { return comparison("two-thirds-jitter", PolicyTwoThirds) },
	"fixed-30d":         func() Profile { return comparison("fixed-30d", PolicyFixed) },
	// letsencrypt-2026 under each policy above: ARI by default, as Let's
	// Encrypt recommends; BASE+POLICY names the others.
	"letsencrypt-2026":                   func() Profile { return letsEncrypt2026("letsencrypt-2026", PolicyARI) },
	"letsencrypt-2026+two-thirds-jitter": func() Profile { return letsEncrypt2026("letsencrypt-2026+two-thirds-jitter", PolicyTwoThirds) },
	"letsencrypt-2026+fixed-30d":         func() Profile { return letsEncrypt2026("letsencrypt-2026+fixed-30d", PolicyFixed) },
}

// RenewalStart is when the renewal of a certificate of type typ, valid from
// notBefore to notAfter, starts under the profile's renewal policy: the
// time its renewal window opens (the caller opens it at once when that is
// already past).
//
//   - window: NotAfter - Window(typ, notBefore), as ACM does.
//   - fixed: NotAfter - RenewBefore.
//   - two-thirds: the latest start is RenewAt of the lifetime after
//     notBefore; the start is a seeded jitter in [0, RenewJitter of the
//     lifetime) earlier, as step-ca's renewal daemon subtracts one.
//   - ari: the suggested window is ARIWindowWidth wide around RenewAt of the
//     lifetime (capped at NotAfter); the start is a seeded uniform time in
//     [start, end) of it (RFC 9773 §4.2).
//
// Seeded draws come from digest(seed, "renewal", certID, cycle), to the
// minute: the same certificate and cycle under the same seed always start
// at the same time, and another certificate, cycle or seed draws anew.
func (p *Profile) RenewalStart(seed uint64, certID string, cycle int, typ string, notBefore, notAfter time.Time) time.Time {
	from, span, back := p.renewalSpan(typ, notBefore, notAfter)
	steps := spanSteps(span)
	if steps <= 1 {
		return from
	}
	d := digest(seed, "renewal", certID, strconv.Itoa(cycle))
	// The bias of a 64-bit draw modulo a few hundred thousand minutes is
	// below 2^-40: uniform for any purpose here.
	k := time.Duration(binary.BigEndian.Uint64(d[:8])%uint64(steps)) * time.Minute
	if back {
		return from.Add(-k)
	}
	return from.Add(k)
}

// RenewalBounds are the earliest and the latest time RenewalStart can give
// for such a certificate, whatever the seed; equal for unseeded policies.
func (p *Profile) RenewalBounds(typ string, notBefore, notAfter time.Time) (earliest, latest time.Time) {
	from, span, back := p.renewalSpan(typ, notBefore, notAfter)
	last := time.Duration(max(spanSteps(span)-1, 0)) * time.Minute
	if back {
		return from.Add(-last), from
	}
	return from, from.Add(last)
}

// renewalSpan is where a policy's draw starts, how long its span is, and
// whether the draw goes back from the start (step-ca's jitter) rather than
// forward (ARI's window).
func (p *Profile) renewalSpan(typ string, notBefore, notAfter time.Time) (from time.Time, span time.Duration, back bool) {
	life := notAfter.Sub(notBefore)
	switch p.RenewalPolicy {
	case PolicyFixed:
		return notAfter.Add(-p.RenewBefore), 0, false
	case PolicyTwoThirds:
		return notBefore.Add(p.RenewAt.Of(life)), p.RenewJitter.Of(life), true
	case PolicyARI:
		mid := notBefore.Add(p.RenewAt.Of(life))
		start := mid.Add(-p.ARIWindowWidth / 2)
		end := mid.Add(p.ARIWindowWidth - p.ARIWindowWidth/2)
		if end.After(notAfter) {
			end = notAfter
		}
		return start, end.Sub(start), false
	}
	return notAfter.Add(-p.Window(typ, notBefore)), 0, false
}

// spanSteps is how many whole minutes a draw over span can land on: k
// minutes for k in [0, spanSteps), each strictly inside span.
func spanSteps(span time.Duration) int64 {
	if span <= 0 {
		return 0
	}
	return int64((span + time.Minute - 1) / time.Minute)
}

// DefaultProfile is used when a scenario names none.
const DefaultProfile = "acm-2026"

// ProfileNames lists the shipped profiles, sorted.
func ProfileNames() []string {
	var out []string
	for n := range profiles {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// LookupProfile returns a fresh copy of the named profile.
func LookupProfile(name string) (Profile, bool) {
	f, ok := profiles[name]
	if !ok {
		return Profile{}, false
	}
	return f(), true
}

// The virtual times a simulation supports. The engine counts time in int64
// nanoseconds since 1970, which ends in 2262, and the simulator CA that
// signs every certificate of a run is valid from 1970-01-01 to IssuerNotAfter.
// A scenario keeps every time it writes or implies in [SupportedFrom,
// SupportedUntil), and ends early enough that a certificate renewed at its
// end still expires by IssuerNotAfter. Treat these as constants.
var (
	SupportedFrom  = date(1970, 1, 1)
	SupportedUntil = date(2200, 1, 1)
	IssuerNotAfter = date(2199, 12, 31)
)

// SupportedRange writes [SupportedFrom, SupportedUntil) for messages.
func SupportedRange() string {
	return "[" + SupportedFrom.Format(time.RFC3339) + ", " + SupportedUntil.Format(time.RFC3339) + ")"
}

// Supported reports whether t lies in [SupportedFrom, SupportedUntil).
func Supported(t time.Time) bool { return !t.Before(SupportedFrom) && t.Before(SupportedUntil) }

// LongestLifetime is the longest lifetime a certificate of this profile
// can get, initial or renewed: a run must end at least this long before
// IssuerNotAfter.
func (p *Profile) LongestLifetime() time.Duration {
	d := max(p.PublicValidity, p.PrivateValidity)
	for _, t := range p.publicTerms() {
		d = max(d, t.validity)
	}
	return d
}

// ShortestCycle is the shortest time from a certificate's issue to its
// renewal window under the window policy, over every lifetime the profile
// gives, and at least a day: what bounds how many renewal cycles a run can
// hold.
func (p *Profile) ShortestCycle() time.Duration {
	d := p.PrivateValidity - p.PrivateWindow
	for _, t := range p.publicTerms() {
		d = min(d, t.validity-t.window)
	}
	return max(d, Day)
}

// LongestWindow is the longest renewal window the profile gives any
// certificate under the window policy.
func (p *Profile) LongestWindow() time.Duration {
	d := p.PrivateWindow
	for _, t := range p.publicTerms() {
		d = max(d, t.window)
	}
	return d
}

// term is the lifetime and window of public certificates issued in one
// span of dates.
type term struct{ validity, window time.Duration }

// publicTerms are the terms of every span of issue dates the profile has.
func (p *Profile) publicTerms() []term {
	out := []term{{p.PublicValidity, p.PublicWindow}}
	if !p.TransitionDate.IsZero() {
		out = append(out, term{p.PreTransitionValidity, p.PreTransitionWindow})
	}
	if !p.From100d.IsZero() {
		out = append(out, term{p.Validity100d, p.Window100d})
	}
	if !p.From47d.IsZero() {
		out = append(out, term{p.Validity47d, p.Window47d})
	}
	return out
}

// DaysBeforeExpiry checks an account's DaysBeforeExpiry (the
// ExpiryEventsConfiguration of PutAccountConfiguration and
// get-account-configuration) and gives the days of daily Approaching
// Expiration events it sets for every certificate of the account. The API
// reference gives its range as "Minimum value of 1" and no maximum (A8 in
// docs/sources.md), so every whole number from 1 on is an account's;
// CloudFormation's AWS::CertificateManager::Account documents 1 to 45 for
// its own property, which renewsim does not take for the account's.
// Scenarios and check both read it here. A value beyond the longest
// lifetime a profile allows gives that many days: the events then start
// at issue, as they would for the value itself.
func DaysBeforeExpiry(n int64) (int, error) {
	if n < 1 {
		return 0, fmt.Errorf("want a whole number of days from 1 (ExpiryEventsConfiguration's valid range: minimum 1, no maximum), got %d", n)
	}
	return int(min(n, int64(maxLifetime/Day))), nil
}

// Limits of the knobs. Every one is far beyond what ACM does and small
// enough that no profile can make a run endless: attempts at most once a
// minute, lifetimes of at least two days, a window that opens at least a
// day after issue (so a renewal cycle lasts at least a day), short day
// lists.
const (
	maxLifetime      = 3650 * Day
	maxDayList       = 32
	maxChainCap      = 16
	maxScheduleSteps = 8
)

// regionRE is the shape of every AWS partition's region names (us-east-1,
// eu-central-2, us-gov-west-1, cn-north-1, us-iso-east-1, us-isob-east-1,
// eu-isoe-west-1, …): AWS's partitions.json regionRegex values, lower case.
var regionRE = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$`)

// ValidAccount tells whether s is an AWS account id: 12 digits.
func ValidAccount(s string) bool { return len(s) == 12 && onlyBytes(s, digitBytes, "") }

// ValidRegion tells whether s is shaped like an AWS region name.
func ValidRegion(s string) bool { return regionRE.MatchString(s) }

// RegionShape is what ValidRegion accepts, for messages.
func RegionShape() string { return regionRE.String() }

// knob describes one overridable profile number and the range of its own
// value; the rules that relate two knobs are in Check.
type knob struct {
	name string
	kind string // duration | days | bool | int | string | date | share | schedule
	ptr  func(p *Profile) any
	// lo and hi bound a duration (in nanoseconds) or an int, and each day of
	// a list of days; off allows 0 as well, meaning "none".
	lo, hi int64
	off    bool
	// want is the range in words, for messages and docs/profiles.md, when lo and
	// hi do not say it.
	want string
}

func dur(d time.Duration) int64 { return int64(d) }

var knobs = []knob{
	{name: "public_validity", kind: "duration", ptr: func(p *Profile) any { return &p.PublicValidity }, lo: dur(2 * Day), hi: dur(maxLifetime)},
	{name: "public_window", kind: "duration", ptr: func(p *Profile) any { return &p.PublicWindow }, lo: dur(time.Hour), hi: dur(maxLifetime - Day)},
	{name: "transition_date", kind: "date", ptr: func(p *Profile) any { return &p.TransitionDate }},
	{name: "pre_transition_validity", kind: "duration", ptr: func(p *Profile) any { return &p.PreTransitionValidity }, lo: dur(2 * Day), hi: dur(maxLifetime), off: true},
	{name: "pre_transition_window", kind: "duration", ptr: func(p *Profile) any { return &p.PreTransitionWindow }, lo: dur(time.Hour), hi: dur(maxLifetime - Day), off: true},
	{name: "from_100d", kind: "date", ptr: func(p *Profile) any { return &p.From100d }},
	{name: "validity_100d", kind: "duration", ptr: func(p *Profile) any { return &p.Validity100d }, lo: dur(2 * Day), hi: dur(maxLifetime), off: true},
	{name: "window_100d", kind: "duration", ptr: func(p *Profile) any { return &p.Window100d }, lo: dur(time.Hour), hi: dur(maxLifetime - Day), off: true},
	{name: "from_47d", kind: "date", ptr: func(p *Profile) any { return &p.From47d }},
	{name: "validity_47d", kind: "duration", ptr: func(p *Profile) any { return &p.Validity47d }, lo: dur(2 * Day), hi: dur(maxLifetime), off: true},
	{name: "window_47d", kind: "duration", ptr: func(p *Profile) any { return &p.Window47d }, lo: dur(time.Hour), hi: dur(maxLifetime - Day), off: true},
	{name: "private_validity", kind: "duration", ptr: func(p *Profile) any { return &p.PrivateValidity }, lo: dur(2 * Day), hi: dur(maxLifetime)},
	{name: "private_window", kind: "duration", ptr: func(p *Profile) any { return &p.PrivateWindow }, lo: dur(time.Hour), hi: dur(maxLifetime - Day)},
	{name: "renewal_policy", kind: "string", ptr: func(p *Profile) any { return &p.RenewalPolicy }, want: "one of " + strings.Join(RenewalPolicies(), ", ")},
	{name: "renew_at", kind: "share", ptr: func(p *Profile) any { return &p.RenewAt }, want: "a share of the lifetime above 0 and below 1, like 2/3, 0.66 or 66%"},
	{name: "renew_jitter", kind: "share", ptr: func(p *Profile) any { return &p.RenewJitter }, want: "a share of the lifetime from 0 to below 1, like 1/20, 0.05 or 5%"},
	{name: "ari_window_width", kind: "duration", ptr: func(p *Profile) any { return &p.ARIWindowWidth }, lo: 0, hi: dur(maxLifetime)},
	{name: "renew_before", kind: "duration", ptr: func(p *Profile) any { return &p.RenewBefore }, lo: 0, hi: dur(maxLifetime)},
	{name: "retry_interval", kind: "duration", ptr: func(p *Profile) any { return &p.RetryInterval }, lo: dur(time.Minute), hi: dur(30 * Day)},
	{name: "pending_validation_after", kind: "duration", ptr: func(p *Profile) any { return &p.PendingValidationAfter }, lo: 0, hi: dur(maxLifetime)},
	{name: "action_required_days", kind: "days", ptr: func(p *Profile) any { return &p.ActionRequiredDays }, lo: 1, hi: int64(maxLifetime / Day)},
	{name: "private_action_required_days", kind: "days", ptr: func(p *Profile) any { return &p.PrivateActionRequired }, lo: 1, hi: int64(maxLifetime / Day)},
	{name: "instruction_email_after", kind: "duration", ptr: func(p *Profile) any { return &p.InstructionEmailAfter }, lo: dur(time.Hour), hi: dur(maxLifetime), off: true},
	{name: "instruction_email_days", kind: "days", ptr: func(p *Profile) any { return &p.InstructionEmailDays }, lo: 1, hi: int64(maxLifetime / Day)},
	{name: "approaching_expiration_days", kind: "int", ptr: func(p *Profile) any { return &p.ApproachingDaysPublic }, lo: 0, hi: int64(maxLifetime / Day)},
	{name: "private_approaching_expiration_days", kind: "int", ptr: func(p *Profile) any { return &p.ApproachingDaysPrivate }, lo: 0, hi: int64(maxLifetime / Day)},
	{name: "eligibility", kind: "string", ptr: func(p *Profile) any { return &p.Eligibility }, want: EligibleInUseOrExported + " or " + EligibleInUse},
	{name: "whois_contacts", kind: "bool", ptr: func(p *Profile) any { return &p.WhoisContacts }, want: "true or false"},
	{name: "https_probe", kind: "bool", ptr: func(p *Profile) any { return &p.HTTPSProbe }, want: "true or false"},
	{name: "email_before", kind: "duration", ptr: func(p *Profile) any { return &p.EmailBefore }, lo: dur(time.Hour), hi: dur(maxLifetime)},
	{name: "email_resend_days", kind: "days", ptr: func(p *Profile) any { return &p.EmailResendDays }, lo: 1, hi: int64(maxLifetime / Day)},
	{name: "approval_link_ttl", kind: "duration", ptr: func(p *Profile) any { return &p.ApprovalLinkTTL }, lo: dur(time.Minute), hi: dur(365 * Day)},
	{name: "validation_reuse", kind: "schedule", ptr: func(p *Profile) any { return &reuseKnob{&p.ValidationReuse, &p.ReuseSteps} }, lo: 0, hi: dur(maxLifetime)},
	{name: "max_cname_chain", kind: "int", ptr: func(p *Profile) any { return &p.MaxCNAMEChain }, lo: 0, hi: maxChainCap},
	{name: "issue_delay", kind: "duration", ptr: func(p *Profile) any { return &p.IssueDelay }, lo: 0, hi: dur(7 * Day)},
	{name: "status_lag", kind: "duration", ptr: func(p *Profile) any { return &p.StatusLag }, lo: 0, hi: dur(7 * Day)},
	{name: "account", kind: "string", ptr: func(p *Profile) any { return &p.Account }, want: "12 digits like 123456789012"},
	{name: "region", kind: "string", ptr: func(p *Profile) any { return &p.Region }, want: "an AWS region like us-east-1 (" + regionRE.String() + ")"},
}

// KnobNames lists the profile knobs a scenario may override, in a fixed order.
func KnobNames() []string {
	out := make([]string, len(knobs))
	for i, k := range knobs {
		out[i] = k.name
	}
	return out
}

// KnobKind tells how a knob's value is written: duration, days (a list of
// whole days), bool, int, string, date, share (of the lifetime: 2/3 or
// 0.05) or schedule (a duration, then durations from dates on: "398d, 200d
// from 2026-03-15"). ok is false for unknown knobs.
func KnobKind(name string) (kind string, ok bool) {
	k := lookupKnob(name)
	if k == nil {
		return "", false
	}
	return k.kind, true
}

// KnobRange says in words which values a knob takes on its own, as error
// messages and docs/profiles.md state it ("1m to 30d"); "" for unknown knobs.
// Check adds the rules that relate knobs to each other.
func KnobRange(name string) string {
	k := lookupKnob(name)
	if k == nil {
		return ""
	}
	return k.rangeText()
}

func lookupKnob(name string) *knob {
	for i := range knobs {
		if knobs[i].name == name {
			return &knobs[i]
		}
	}
	return nil
}

func (k *knob) rangeText() string {
	if k.want != "" {
		return k.want
	}
	var r string
	switch k.kind {
	case "duration", "schedule":
		r = FormatDuration(time.Duration(k.lo)) + " to " + FormatDuration(time.Duration(k.hi))
		if k.lo == 0 {
			r = "0 to " + FormatDuration(time.Duration(k.hi))
		}
		if k.kind == "schedule" {
			return fmt.Sprintf("%s, or such a duration followed by up to %d more, each from a later date (like 398d, 200d from 2026-03-15)", r, maxScheduleSteps)
		}
	case "int":
		r = fmt.Sprintf("%d to %d", k.lo, k.hi)
	case "days":
		return fmt.Sprintf("at most %d different whole days, each %d to %d", maxDayList, k.lo, k.hi)
	case "date":
		return "none or a date in " + SupportedRange()
	}
	if k.off {
		r = "0 (none) or " + r
	}
	return r
}

// inRange reports whether v lies in the knob's own range.
func (k *knob) inRange(v int64) bool { return (k.off && v == 0) || (v >= k.lo && v <= k.hi) }

// outOfRange is the message for a value outside the knob's own range.
func (k *knob) outOfRange(value string) error {
	return fmt.Errorf("%s: %s is out of range (want %s)", k.name, value, k.rangeText())
}

// Set overrides one knob. Durations are parsed by parseDuration (Go
// durations plus d and w), days as a comma-separated list or a YAML-ish
// "[30, 15]" list, dates as RFC 3339 or YYYY-MM-DD. A value outside the
// knob's range (KnobRange) is refused and the profile left as it was; the
// error starts with the knob's name. Rules that relate knobs are checked by
// Check, once every override is set.
func (p *Profile) Set(name, value string) error {
	k := lookupKnob(name)
	if k == nil {
		return fmt.Errorf("unknown profile knob %q (known: %s)", name, strings.Join(KnobNames(), ", "))
	}
	switch ptr := k.ptr(p).(type) {
	case *time.Duration:
		d, err := ParseDuration(value)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if !k.inRange(int64(d)) {
			return k.outOfRange(strings.TrimSpace(value))
		}
		*ptr = d
	case *[]int:
		days, err := parseDays(value)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := k.checkDays(days); err != nil {
			return err
		}
		*ptr = days
	case *bool:
		b, err := strconv.ParseBool(value)
		if err != nil {
			return fmt.Errorf("%s: want true or false, got %q", name, value)
		}
		*ptr = b
	case *int:
		n, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil {
			return fmt.Errorf("%s: want a whole number from %d to %d, got %q", name, k.lo, k.hi, value)
		}
		if !k.inRange(int64(n)) {
			return k.outOfRange(strconv.Itoa(n))
		}
		*ptr = n
	case *string:
		if !k.validString(value) {
			return fmt.Errorf("%s: want %s, got %q", name, k.rangeText(), value)
		}
		*ptr = value
	case *Share:
		sh, err := parseShare(value)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if name == "renew_at" && sh.Num == 0 {
			return fmt.Errorf("renew_at must be above 0, got %q", value)
		}
		*ptr = sh
	case *time.Time:
		if strings.TrimSpace(value) == "none" {
			// No such date: the step it starts is left out.
			*ptr = time.Time{}
			return nil
		}
		t, err := parseDate(value)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if !Supported(t) {
			return k.outOfRange(value)
		}
		*ptr = t
	case *reuseKnob:
		first, steps, err := k.parseSchedule(value)
		if err != nil {
			return err
		}
		*ptr.first, *ptr.steps = first, steps
	}
	return nil
}

// reuseKnob is validation_reuse: the reuse period before any step, and
// the steps.
type reuseKnob struct {
	first *time.Duration
	steps *[]ReuseStep
}

// String writes the schedule as a scenario writes it: "200d", or "398d,
// 200d from 2026-03-15, …".
func (r *reuseKnob) String() string {
	parts := []string{FormatDuration(*r.first)}
	for _, s := range *r.steps {
		parts = append(parts, FormatDuration(s.Reuse)+" from "+knobDate(s.From))
	}
	return strings.Join(parts, ", ")
}

// parseSchedule reads a schedule knob: a duration, then up to
// maxScheduleSteps more, each "DURATION from DATE" with dates ascending.
// Each duration must lie in the knob's range.
func (k *knob) parseSchedule(value string) (time.Duration, []ReuseStep, error) {
	parts := strings.Split(value, ",")
	if len(parts) > maxScheduleSteps+1 {
		return 0, nil, fmt.Errorf("%s: %d steps is too many (want %s)", k.name, len(parts)-1, k.rangeText())
	}
	var first time.Duration
	var steps []ReuseStep
	for i, part := range parts {
		part = strings.TrimSpace(part)
		durText, dateText, dated := strings.Cut(part, " from ")
		if dated != (i > 0) {
			if i == 0 {
				return 0, nil, fmt.Errorf("%s: want a duration first, without a date (like 398d, 200d from 2026-03-15), got %q", k.name, part)
			}
			return 0, nil, fmt.Errorf("%s: want DURATION from DATE after the first duration (like 200d from 2026-03-15), got %q", k.name, part)
		}
		d, err := ParseDuration(strings.TrimSpace(durText))
		if err != nil {
			return 0, nil, fmt.Errorf("%s: %w", k.name, err)
		}
		if !k.inRange(int64(d)) {
			return 0, nil, k.outOfRange(strings.TrimSpace(durText))
		}
		if i == 0 {
			first = d
			continue
		}
		t, err := parseDate(strings.TrimSpace(dateText))
		if err != nil {
			return 0, nil, fmt.Errorf("%s: %w", k.name, err)
		}
		if !Supported(t) {
			return 0, nil, fmt.Errorf("%s: %s is out of range (want a date in %s)", k.name, strings.TrimSpace(dateText), SupportedRange())
		}
		if n := len(steps); n > 0 && !t.After(steps[n-1].From) {
			return 0, nil, fmt.Errorf("%s: %s does not come after %s (want the dates in ascending order)", k.name, strings.TrimSpace(dateText), steps[n-1].From.Format("2006-01-02"))
		}
		steps = append(steps, ReuseStep{From: t, Reuse: d})
	}
	return first, steps, nil
}

// validString checks the knobs written as words.
func (k *knob) validString(v string) bool {
	switch k.name {
	case "eligibility":
		return v == EligibleInUse || v == EligibleInUseOrExported
	case "account":
		return ValidAccount(v)
	case "region":
		return regionRE.MatchString(v)
	case "renewal_policy":
		return slices.Contains(RenewalPolicies(), v)
	}
	return true
}

// checkDays checks a list of days against the knob's own range.
func (k *knob) checkDays(days []int) error {
	if len(days) > maxDayList {
		return fmt.Errorf("%s: %d days is too many (want %s)", k.name, len(days), k.rangeText())
	}
	for i, d := range days {
		if !k.inRange(int64(d)) {
			return k.outOfRange(strconv.Itoa(d))
		}
		if i > 0 && days[i-1] == d {
			return fmt.Errorf("%s: day %d is listed twice", k.name, d)
		}
	}
	return nil
}

// KnobError is a knob whose value is out of range, on its own or against
// another knob (Other).
type KnobError struct {
	Knob  string
	Other string // the knob the rule relates Knob to; "" for a range of its own
	Msg   string // starts with Knob
}

func (e *KnobError) Error() string { return e.Msg }

// KnobErrors is every problem Check found, in knob order.
type KnobErrors []*KnobError

func (es KnobErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Msg
	}
	return strings.Join(lines, "\n")
}

// Check reports every knob outside its range (KnobRange) and every broken
// rule between knobs: a window opens at least a day after issue, a
// transition date (and each step of a dated schedule, from_100d and
// from_47d) needs its lifetime and window, the steps come in the order
// transition_date, from_100d, from_47d, and the day
// counts of notices, approaching-expiration events and approval e-mails
// (and email_before) do not exceed the lifetime of the certificates they
// are for. It returns nil or KnobErrors. The shipped profiles pass.
func (p *Profile) Check() error {
	var errs KnobErrors
	add := func(knob, other, format string, args ...any) {
		errs = append(errs, &KnobError{Knob: knob, Other: other, Msg: knob + ": " + fmt.Sprintf(format, args...)})
	}
	for i := range knobs {
		k := &knobs[i]
		var err error
		switch ptr := k.ptr(p).(type) {
		case *time.Duration:
			if !k.inRange(int64(*ptr)) {
				err = k.outOfRange(FormatDuration(*ptr))
			}
		case *int:
			if !k.inRange(int64(*ptr)) {
				err = k.outOfRange(strconv.Itoa(*ptr))
			}
		case *[]int:
			sorted := slices.Clone(*ptr)
			slices.Sort(sorted)
			slices.Reverse(sorted)
			err = k.checkDays(sorted)
		case *string:
			if !k.validString(*ptr) {
				err = fmt.Errorf("%s: want %s, got %q", k.name, k.rangeText(), *ptr)
			}
		case *Share:
			if ptr.Den <= 0 || ptr.Num < 0 || ptr.Num >= ptr.Den || (k.name == "renew_at" && ptr.Num == 0) {
				err = fmt.Errorf("%s: %d/%d is out of range (want %s)", k.name, ptr.Num, ptr.Den, k.rangeText())
			}
		case *time.Time:
			if !ptr.IsZero() && !Supported(*ptr) {
				err = k.outOfRange(ptr.Format(time.RFC3339))
			}
		case *reuseKnob:
			// What Set would refuse, written back as text and read again.
			_, _, err = k.parseSchedule(ptr.String())
		}
		if err != nil {
			errs = append(errs, &KnobError{Knob: k.name, Msg: err.Error()})
		}
	}
	window := func(w, v string, window, validity time.Duration) {
		if validity > 0 && window > validity-Day {
			add(w, v, "%s is out of range (want %s to %s, %s %s minus a day)", FormatDuration(window), FormatDuration(time.Hour), FormatDuration(max(validity-Day, 0)), v, FormatDuration(validity))
		}
	}
	window("public_window", "public_validity", p.PublicWindow, p.PublicValidity)
	window("private_window", "private_validity", p.PrivateWindow, p.PrivateValidity)
	if !p.TransitionDate.IsZero() {
		if p.PreTransitionValidity == 0 {
			add("pre_transition_validity", "transition_date", "0 is out of range (want %s to %s: transition_date gives certificates issued before it this lifetime)", FormatDuration(2*Day), FormatDuration(maxLifetime))
		}
		if p.PreTransitionWindow == 0 {
			add("pre_transition_window", "transition_date", "0 is out of range (want %s to %s: transition_date gives certificates issued before it this window)", FormatDuration(time.Hour), FormatDuration(maxLifetime-Day))
		}
		window("pre_transition_window", "pre_transition_validity", p.PreTransitionWindow, p.PreTransitionValidity)
	}
	for _, st := range []struct {
		from, validity, window string
		date                   time.Time
		v, w                   time.Duration
	}{
		{"from_100d", "validity_100d", "window_100d", p.From100d, p.Validity100d, p.Window100d},
		{"from_47d", "validity_47d", "window_47d", p.From47d, p.Validity47d, p.Window47d},
	} {
		if st.date.IsZero() {
			continue
		}
		if st.v == 0 {
			add(st.validity, st.from, "0 is out of range (want %s to %s: %s gives certificates issued from it this lifetime)", FormatDuration(2*Day), FormatDuration(maxLifetime), st.from)
		}
		if st.w == 0 {
			add(st.window, st.from, "0 is out of range (want %s to %s: %s gives certificates issued from it this window)", FormatDuration(time.Hour), FormatDuration(maxLifetime-Day), st.from)
		}
		window(st.window, st.validity, st.w, st.v)
	}
	// The steps of the schedule come one after the other; a step before
	// an earlier one would never apply.
	var prevName string
	var prev time.Time
	for _, st := range []struct {
		name string
		date time.Time
	}{{"transition_date", p.TransitionDate}, {"from_100d", p.From100d}, {"from_47d", p.From47d}} {
		if st.date.IsZero() {
			continue
		}
		if !prev.IsZero() && !st.date.After(prev) {
			add(st.name, prevName, "%s is out of range (want a date after %s, %s)", knobDate(st.date), prevName, knobDate(prev))
		}
		prevName, prev = st.name, st.date
	}
	// Day lists (notices, resends, Approaching Expiration) need no rule
	// against the lifetime: a day before the certificate was issued never
	// comes, and a profile swept to shorter lifetimes keeps working.
	if p.PublicValidity > 0 && p.EmailBefore > p.PublicValidity {
		add("email_before", "public_validity", "%s is out of range (want %s to %s, public_validity)", FormatDuration(p.EmailBefore), FormatDuration(time.Hour), FormatDuration(p.PublicValidity))
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

func parseDays(s string) ([]int, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "["), "]"))
	if s == "" {
		return []int{}, nil
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(f), "d"))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("want a list of whole days like 30,15,7, got %q", s)
		}
		out = append(out, n)
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out, nil
}

// knobDate writes a date as a knob takes it: the day alone at midnight
// UTC, else the RFC 3339 time.
func knobDate(t time.Time) string {
	if t.Equal(t.Truncate(Day)) {
		return t.UTC().Format("2006-01-02")
	}
	return t.UTC().Format(time.RFC3339)
}

func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("want a date like 2026-02-18 or an RFC 3339 time, got %q", s)
}
