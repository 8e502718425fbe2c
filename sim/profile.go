package sim

import (
	"fmt"
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

	PrivateValidity time.Duration
	PrivateWindow   time.Duration

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
	ValidationReuse        time.Duration // how long a validation stays usable
	MaxCNAMEChain          int
	IssueDelay             time.Duration // all names validated -> new certificate
	StatusLag              time.Duration // how late DescribeCertificate shows a change
	Account                string
	Region                 string
}

// Validity is the lifetime of a certificate of type typ issued at t.
func (p *Profile) Validity(typ string, issued time.Time) time.Duration {
	if typ == TypePrivate || typ == TypePrivateCA {
		return p.PrivateValidity
	}
	if !p.TransitionDate.IsZero() && issued.Before(p.TransitionDate) {
		return p.PreTransitionValidity
	}
	return p.PublicValidity
}

// Window is how long before NotAfter renewal starts for a certificate of type
// typ issued at t.
func (p *Profile) Window(typ string, issued time.Time) time.Duration {
	if typ == TypePrivate || typ == TypePrivateCA {
		return p.PrivateWindow
	}
	if !p.TransitionDate.IsZero() && issued.Before(p.TransitionDate) {
		return p.PreTransitionWindow
	}
	return p.PublicWindow
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
		ValidationReuse:        200 * Day,
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
	p.ValidationReuse = 398 * Day
	return p
}

// cabf is a what-if profile for the CA/B Forum SC-081v3 maximum lifetimes.
// ACM has announced no window for them: renewsim assumes the window is a
// third of the lifetime (as 60 of 198 is for acm-2026's T-60 pre-transition
// rule, roughly) and lets scenarios override public_window.
func cabf(name string, lifetime, reuse time.Duration) Profile {
	p := acm2026()
	p.Name = name
	p.PublicValidity = lifetime
	p.PublicWindow = lifetime / 3
	p.EmailBefore = p.PublicWindow
	p.TransitionDate = time.Time{}
	p.PreTransitionValidity = 0
	p.PreTransitionWindow = 0
	p.ValidationReuse = reuse
	return p
}

var profiles = map[string]func() Profile{
	"acm-2026":   acm2026,
	"acm-legacy": acmLegacy,
	"cabf-2027":  func() Profile { return cabf("cabf-2027", 100*Day, 100*Day) },
	"cabf-2029":  func() Profile { return cabf("cabf-2029", 47*Day, 10*Day) },
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

// knob describes one overridable profile number.
type knob struct {
	name string
	kind string // duration | days | bool | int | string | date
	ptr  func(p *Profile) any
}

var knobs = []knob{
	{"public_validity", "duration", func(p *Profile) any { return &p.PublicValidity }},
	{"public_window", "duration", func(p *Profile) any { return &p.PublicWindow }},
	{"transition_date", "date", func(p *Profile) any { return &p.TransitionDate }},
	{"pre_transition_validity", "duration", func(p *Profile) any { return &p.PreTransitionValidity }},
	{"pre_transition_window", "duration", func(p *Profile) any { return &p.PreTransitionWindow }},
	{"private_validity", "duration", func(p *Profile) any { return &p.PrivateValidity }},
	{"private_window", "duration", func(p *Profile) any { return &p.PrivateWindow }},
	{"retry_interval", "duration", func(p *Profile) any { return &p.RetryInterval }},
	{"pending_validation_after", "duration", func(p *Profile) any { return &p.PendingValidationAfter }},
	{"action_required_days", "days", func(p *Profile) any { return &p.ActionRequiredDays }},
	{"private_action_required_days", "days", func(p *Profile) any { return &p.PrivateActionRequired }},
	{"instruction_email_after", "duration", func(p *Profile) any { return &p.InstructionEmailAfter }},
	{"instruction_email_days", "days", func(p *Profile) any { return &p.InstructionEmailDays }},
	{"approaching_expiration_days", "int", func(p *Profile) any { return &p.ApproachingDaysPublic }},
	{"private_approaching_expiration_days", "int", func(p *Profile) any { return &p.ApproachingDaysPrivate }},
	{"eligibility", "string", func(p *Profile) any { return &p.Eligibility }},
	{"whois_contacts", "bool", func(p *Profile) any { return &p.WhoisContacts }},
	{"https_probe", "bool", func(p *Profile) any { return &p.HTTPSProbe }},
	{"email_before", "duration", func(p *Profile) any { return &p.EmailBefore }},
	{"email_resend_days", "days", func(p *Profile) any { return &p.EmailResendDays }},
	{"approval_link_ttl", "duration", func(p *Profile) any { return &p.ApprovalLinkTTL }},
	{"validation_reuse", "duration", func(p *Profile) any { return &p.ValidationReuse }},
	{"max_cname_chain", "int", func(p *Profile) any { return &p.MaxCNAMEChain }},
	{"issue_delay", "duration", func(p *Profile) any { return &p.IssueDelay }},
	{"status_lag", "duration", func(p *Profile) any { return &p.StatusLag }},
	{"account", "string", func(p *Profile) any { return &p.Account }},
	{"region", "string", func(p *Profile) any { return &p.Region }},
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
// whole days), bool, int, string or date. ok is false for unknown knobs.
func KnobKind(name string) (kind string, ok bool) {
	for _, k := range knobs {
		if k.name == name {
			return k.kind, true
		}
	}
	return "", false
}

// Set overrides one knob. Durations are parsed by parseDuration (Go
// durations plus d and w), days as a comma-separated list or a YAML-ish
// "[30, 15]" list, dates as RFC 3339 or YYYY-MM-DD.
func (p *Profile) Set(name, value string) error {
	for _, k := range knobs {
		if k.name != name {
			continue
		}
		switch ptr := k.ptr(p).(type) {
		case *time.Duration:
			d, err := ParseDuration(value)
			if err != nil {
				return err
			}
			if d < 0 {
				return fmt.Errorf("%s must not be negative", name)
			}
			if name == "retry_interval" && d <= 0 {
				return fmt.Errorf("retry_interval must be positive")
			}
			*ptr = d
		case *[]int:
			days, err := parseDays(value)
			if err != nil {
				return err
			}
			*ptr = days
		case *bool:
			b, err := strconv.ParseBool(value)
			if err != nil {
				return fmt.Errorf("want true or false, got %q", value)
			}
			*ptr = b
		case *int:
			n, err := strconv.Atoi(value)
			if err != nil || n < 0 {
				return fmt.Errorf("want a whole number >= 0, got %q", value)
			}
			*ptr = n
		case *string:
			if name == "eligibility" && value != EligibleInUse && value != EligibleInUseOrExported {
				return fmt.Errorf("want %s or %s, got %q", EligibleInUseOrExported, EligibleInUse, value)
			}
			*ptr = value
		case *time.Time:
			t, err := parseDate(value)
			if err != nil {
				return err
			}
			*ptr = t
		}
		return nil
	}
	return fmt.Errorf("unknown profile knob %q (known: %s)", name, strings.Join(KnobNames(), ", "))
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

func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("want a date like 2026-02-18 or an RFC 3339 time, got %q", s)
}
