package fleet

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/renewsim/renewsim/scenarios"
	"github.com/renewsim/renewsim/sim"
)

// ACM's enumerations, as the API reference lists them.
var (
	certTypes    = []string{"AMAZON_ISSUED", "PRIVATE", "IMPORTED"}
	certStatuses = []string{"PENDING_VALIDATION", "ISSUED", "INACTIVE", "EXPIRED", "VALIDATION_TIMED_OUT", "REVOKED", "FAILED"}
	renewalStats = []string{"PENDING_AUTO_RENEWAL", "PENDING_VALIDATION", "SUCCESS", "FAILED"}
	eligibility  = []string{"ELIGIBLE", "INELIGIBLE"}
	methods      = []string{"EMAIL", "DNS", "HTTP"}
	nameStatuses = []string{"PENDING_VALIDATION", "SUCCESS", "FAILED"}
	exportOpts   = []string{"ENABLED", "DISABLED"}
)

var (
	// resourceARNRE is the ARN of a resource that uses a certificate: any
	// service; the resource part without spaces or YAML flow characters.
	resourceARNRE = regexp.MustCompile(`^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:[0-9]*:[^\s,\[\]{}]+$`)
)

// Certificate is one certificate as describe-certificate shows it.
type Certificate struct {
	Source string // file, and line for JSON Lines
	ARN    string
	Domain string
	SANs   []string // SubjectAlternativeNames, the domain included when ACM lists it
	Type   string   // AMAZON_ISSUED | PRIVATE | IMPORTED
	Status string
	NotBefore,
	NotAfter time.Time
	InUseBy              []string
	RenewalEligibility   string
	Renewal              *RenewalSummary
	Validations          []DomainValidation
	Export               string // Options.Export: ENABLED | DISABLED | ""
	KeyAlgorithm         string
	CertificateAuthority string // CertificateAuthorityArn (PRIVATE)
	// KeyPairOrigin is CertificateKeyPairOrigin: AWS_MANAGED,
	// CUSTOMER_PROVIDED or ACME ("" when the export predates it). An ACME
	// certificate was issued through ACM's ACME endpoint to an ACME client,
	// which renews it; ACM does not (KeyPairOriginACME).
	KeyPairOrigin string
	AcmeEndpoint  string // AcmeEndpointArn, for ACME certificates

	// From list-certificates, when the certificate is listed there.
	Listed   bool
	Exported *bool

	// Address names the certificate in the infrastructure code that
	// describes it (a Terraform address, a CloudFormation stack and logical
	// ID); "" when only the ACM exports do. Build does not ask a given
	// list-certificates output to hold such a certificate: the code may
	// describe one the exports predate.
	Address string
	// Unsettled, when set, is why the inputs cannot settle the certificate:
	// Build gives it the verdict cannot-tell with that reason and fix and
	// does not simulate it.
	Unsettled *Unsettled

	at where // the Certificate object, for messages
}

// where is a JSON value's place, for problems found after reading.
type where struct {
	file string
	line int
	path string
}

func whereOf(v jv) where { return where{file: v.d.file, line: v.d.line, path: v.path} }

// problem makes a problem about the value at w (or one of its members).
func (w where) problem(member, format string, args ...any) *Problem {
	p := w.path
	if member != "" {
		p += "." + member
	}
	return &Problem{File: w.file, Line: w.line, Path: p, Msg: fmt.Sprintf(format, args...)}
}

// Names is the domain followed by the other SANs, without duplicates.
func (c *Certificate) Names() []string {
	out := []string{c.Domain}
	for _, s := range c.SANs {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Method is the validation method of an AMAZON_ISSUED certificate (DNS,
// EMAIL or HTTP), "" when the export does not say.
func (c *Certificate) Method() string {
	for _, v := range c.Validations {
		if v.Method != "" {
			return v.Method
		}
	}
	return ""
}

// Validation returns the validation entry of name, or nil.
func (c *Certificate) Validation(name string) *DomainValidation {
	for i := range c.Validations {
		if strings.EqualFold(c.Validations[i].Domain, name) {
			return &c.Validations[i]
		}
	}
	return nil
}

// KeyPairOriginACME is the CertificateKeyPairOrigin of a certificate
// issued through ACM's ACME endpoint (describe-certificate and
// list-certificates; ListCertificates leaves them out unless asked with
// CertificateKeyPairOrigins). Its ACME client holds the key and renews it;
// ACM's managed renewal does not.
const KeyPairOriginACME = "ACME"

// RenewalSummary is ACM's view of the renewal under way.
type RenewalSummary struct {
	Status    string
	Reason    string
	UpdatedAt time.Time
}

// DomainValidation is one name's validation as DescribeCertificate shows it.
type DomainValidation struct {
	Domain           string
	ValidationDomain string
	Emails           []string
	Status           string
	Method           string
	Record           *ResourceRecord
	RedirectFrom     string
	RedirectTo       string
}

// ResourceRecord is a DNS validation record: Name CNAME Value.
type ResourceRecord struct{ Name, Type, Value string }

// Summary is one entry of list-certificates.
type Summary struct {
	Source   string
	ARN      string
	Domain   string
	Status   string
	Type     string
	NotAfter time.Time
	Exported *bool
	InUse    *bool
	// KeyPairOrigin is CertificateKeyPairOrigin, as describe-certificate's.
	KeyPairOrigin string

	at where
}

// AccountConfig is get-account-configuration's output.
type AccountConfig struct {
	Source           string
	DaysBeforeExpiry int
}

// Exports is everything read from the ACM side.
type Exports struct {
	Certificates []*Certificate // describe outputs, in the order read, one per ARN
	Summaries    []*Summary     // list-certificates entries, one per ARN
	Listed       bool           // some list-certificates output was given
	NextTokens   []string       // files of list pages that say more pages follow
	Account      *AccountConfig

	byARN  map[string]*Certificate // index of Certificates
	listed map[string]bool         // index of Summaries
}

// sourceOf names where a value came from.
func sourceOf(d *jdoc) string {
	if d.line > 0 {
		return fmt.Sprintf("%s:%d", d.file, d.line)
	}
	return d.file
}

// readACMValue takes one top-level JSON value of an ACM export file.
func (e *Exports) readValue(v jv) {
	if a, ok := v.v.([]any); ok {
		for i, x := range a {
			e.readObject(jv{d: v.d, v: x, path: fmt.Sprintf("%s[%d]", v.path, i)})
		}
		return
	}
	e.readObject(v)
}

func (e *Exports) readObject(v jv) {
	m, ok := v.v.(map[string]any)
	if !ok {
		v.d.bad(v.path, "want the JSON object of an aws acm command's output, got %s", describe(v.v))
		return
	}
	switch {
	case m["Certificate"] != nil:
		e.readDescribe(v.child("Certificate"))
	case m["CertificateSummaryList"] != nil:
		e.readList(v)
	case m["ExpiryEvents"] != nil:
		e.readAccount(v)
	default:
		v.d.bad(v.path, "not an ACM export: want the output of aws acm describe-certificate (\"Certificate\"), list-certificates (\"CertificateSummaryList\") or get-account-configuration (\"ExpiryEvents\"); got an object with keys %s",
			orNothing(v.keys()))
	}
}

func orNothing(keys []string) string {
	if len(keys) == 0 {
		return "(none)"
	}
	return strings.Join(keys, ", ")
}

// certARN reads the required CertificateArn of v; a value that is not an
// ACM certificate ARN is reported and read as "".
func (v jv) certARN() string {
	arn, ok := v.str("CertificateArn", true)
	if !ok {
		return ""
	}
	if _, ok := sim.ParseCertARN(arn); !ok {
		v.d.bad(v.path+".CertificateArn", "want an ACM certificate ARN like arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012, got %q", arn)
		return ""
	}
	return arn
}

// readDescribe reads describe-certificate's Certificate object.
func (e *Exports) readDescribe(v jv) {
	if !v.object() {
		return
	}
	before := len(v.d.c.probs)
	c := &Certificate{Source: sourceOf(v.d), at: whereOf(v)}
	c.ARN = v.certARN()
	if d, ok := v.str("DomainName", true); ok {
		if msg := scenarios.DomainProblem(d); msg != "" {
			v.d.bad(v.path+".DomainName", "%s", msg)
		}
		c.Domain = d
	}
	if sans, ok := v.get("SubjectAlternativeNames"); ok {
		for i, s := range v.strings("SubjectAlternativeNames") {
			if msg := scenarios.DomainProblem(s); msg != "" {
				v.d.bad(fmt.Sprintf("%s[%d]", sans.path, i), "%s", msg)
			}
			c.SANs = append(c.SANs, s)
		}
	}
	c.Type, _ = v.enum("Type", certTypes, true)
	c.Status, _ = v.enum("Status", certStatuses, true)
	needTimes := c.Status == "ISSUED" || c.Status == "EXPIRED"
	nb, okB := v.timestamp("NotBefore", needTimes)
	na, okA := v.timestamp("NotAfter", needTimes)
	c.NotBefore, c.NotAfter = nb, na
	if okA && okB && !na.After(nb) {
		v.d.bad(v.path+".NotAfter", "NotAfter (%s) is not after NotBefore (%s)", stamp(na), stamp(nb))
	}
	c.InUseBy = v.strings("InUseBy")
	for i, arn := range c.InUseBy {
		if !resourceARNRE.MatchString(arn) {
			v.d.bad(fmt.Sprintf("%s.InUseBy[%d]", v.path, i), "want the ARN of the resource that uses the certificate, got %q", arn)
		}
	}
	c.RenewalEligibility, _ = v.enum("RenewalEligibility", eligibility, false)
	if rs, ok := v.get("RenewalSummary"); ok && rs.object() {
		r := &RenewalSummary{}
		r.Status, _ = rs.enum("RenewalStatus", renewalStats, true)
		r.Reason, _ = rs.str("RenewalStatusReason", false)
		r.UpdatedAt, _ = rs.timestamp("UpdatedAt", false)
		c.Renewal = r
	}
	for _, dv := range v.list("DomainValidationOptions") {
		if val, ok := readValidation(dv, c); ok {
			c.Validations = append(c.Validations, val)
		}
	}
	if o, ok := v.get("Options"); ok && o.object() {
		c.Export, _ = o.enum("Export", exportOpts, false)
	}
	c.KeyAlgorithm, _ = v.str("KeyAlgorithm", false)
	c.CertificateAuthority, _ = v.str("CertificateAuthorityArn", false)
	// Any value is taken: the API may name origins this version does not
	// know, and only ACME changes what check says.
	c.KeyPairOrigin, _ = v.str("CertificateKeyPairOrigin", false)
	c.AcmeEndpoint, _ = v.str("AcmeEndpointArn", false)
	if len(v.d.c.probs) > before {
		return
	}
	if old := e.byARN[c.ARN]; old != nil {
		if !old.NotAfter.Equal(c.NotAfter) || old.Status != c.Status || !slices.Equal(old.InUseBy, c.InUseBy) {
			v.d.bad(v.path+".CertificateArn", "%s is also described in %s, differently (status, NotAfter or InUseBy): keep one export per certificate", c.ARN, old.Source)
		}
		return
	}
	if e.byARN == nil {
		e.byARN = map[string]*Certificate{}
	}
	e.byARN[c.ARN] = c
	e.Certificates = append(e.Certificates, c)
}

// readValidation reads one DomainValidationOptions entry.
func readValidation(v jv, c *Certificate) (DomainValidation, bool) {
	if !v.object() {
		return DomainValidation{}, false
	}
	var d DomainValidation
	d.Domain, _ = v.str("DomainName", true)
	d.ValidationDomain, _ = v.str("ValidationDomain", false)
	d.Emails = v.strings("ValidationEmails")
	d.Status, _ = v.enum("ValidationStatus", nameStatuses, false)
	d.Method, _ = v.enum("ValidationMethod", methods, false)
	if rr, ok := v.get("ResourceRecord"); ok && rr.object() {
		r := &ResourceRecord{}
		r.Name, _ = rr.str("Name", true)
		r.Type, _ = rr.enum("Type", []string{"CNAME"}, true)
		r.Value, _ = rr.str("Value", true)
		for _, f := range []struct {
			key string
			val *string
		}{{"Name", &r.Name}, {"Value", &r.Value}} {
			if *f.val == "" {
				continue
			}
			if !strings.HasSuffix(*f.val, ".") {
				*f.val += "." // ACM writes the dot; a hand-edited export may not
			}
			if msg := recordNameProblem(*f.val); msg != "" {
				rr.d.bad(rr.path+"."+f.key, "%s", msg)
			}
		}
		if base := sim.BaseName(d.Domain); r.Name != "" && d.Domain != "" && !strings.HasSuffix(strings.ToLower(r.Name), "."+base+".") {
			rr.d.bad(rr.path+".Name", "want the validation record of %s, a name under %s. (like _<hash>.%s.), got %q", d.Domain, base, base, r.Name)
		}
		d.Record = r
	}
	if hr, ok := v.get("HttpRedirect"); ok && hr.object() {
		d.RedirectFrom, _ = hr.str("RedirectFrom", false)
		d.RedirectTo, _ = hr.str("RedirectTo", false)
	}
	if d.Method == "" {
		// Certificates from before ValidationMethod existed: the shape
		// tells.
		switch {
		case d.Record != nil:
			d.Method = "DNS"
		case len(d.Emails) > 0:
			d.Method = "EMAIL"
		}
	}
	if vd := d.ValidationDomain; vd != "" && d.Domain != "" && d.Method == "EMAIL" {
		n, l := strings.ToLower(strings.TrimPrefix(d.Domain, "*.")), strings.ToLower(vd)
		if scenarios.DomainProblem(vd) != "" || strings.HasPrefix(vd, "*.") || (n != l && !strings.HasSuffix(n, "."+l)) {
			v.d.bad(v.path+".ValidationDomain", "want %s or a superdomain of it, got %q", n, vd)
		}
	}
	if d.Domain != "" && c.Domain != "" && !slices.ContainsFunc(c.Names(), func(n string) bool { return strings.EqualFold(n, d.Domain) }) {
		v.d.bad(v.path+".DomainName", "%q is not a name of the certificate (its names: %s)", d.Domain, strings.Join(c.Names(), ", "))
	}
	return d, true
}

// readList reads one list-certificates page.
func (e *Exports) readList(v jv) {
	e.Listed = true
	if _, ok := v.get("NextToken"); ok {
		e.NextTokens = append(e.NextTokens, sourceOf(v.d))
	}
	for _, s := range v.list("CertificateSummaryList") {
		if !s.object() {
			continue
		}
		before := len(v.d.c.probs)
		sum := &Summary{Source: sourceOf(v.d), at: whereOf(s)}
		sum.ARN = s.certARN()
		sum.Domain, _ = s.str("DomainName", false)
		sum.Status, _ = s.enum("Status", certStatuses, false)
		sum.Type, _ = s.enum("Type", certTypes, false)
		sum.NotAfter, _ = s.timestamp("NotAfter", false)
		sum.Exported, _ = s.boolean("Exported")
		sum.InUse, _ = s.boolean("InUse")
		sum.KeyPairOrigin, _ = s.str("CertificateKeyPairOrigin", false)
		if len(v.d.c.probs) > before || e.listed[sum.ARN] {
			continue
		}
		if e.listed == nil {
			e.listed = map[string]bool{}
		}
		e.listed[sum.ARN] = true
		e.Summaries = append(e.Summaries, sum)
	}
}

// readAccount reads get-account-configuration's output.
func (e *Exports) readAccount(v jv) {
	ev := v.child("ExpiryEvents")
	if !ev.object() {
		return
	}
	n, ok := ev.integer("DaysBeforeExpiry", false)
	if !ok {
		return
	}
	// The rule a scenario's days_before_expiry follows too: from 1, no
	// maximum, as the API reference has it.
	if _, err := sim.DaysBeforeExpiry(int64(n)); err != nil {
		ev.d.bad(ev.path+".DaysBeforeExpiry", "%v", err)
		return
	}
	if e.Account != nil && e.Account.DaysBeforeExpiry != n {
		ev.d.bad(ev.path+".DaysBeforeExpiry", "%d differs from %d in %s: give one account configuration", n, e.Account.DaysBeforeExpiry, e.Account.Source)
		return
	}
	e.Account = &AccountConfig{Source: sourceOf(v.d), DaysBeforeExpiry: n}
}

// recordNameProblem says what is wrong with an absolute DNS record name,
// or "".
func recordNameProblem(s string) string {
	name := strings.TrimSuffix(s, ".")
	labels := strings.Split(name, ".")
	if len(name) > 253 || len(labels) < 2 {
		return fmt.Sprintf("%q is not a DNS name with at least two labels", s)
	}
	for _, l := range labels {
		if !sim.ValidLabel(l, true) {
			return fmt.Sprintf("%q is not a valid DNS record name (want labels of letters, digits, '-' and '_' separated by dots)", s)
		}
	}
	return ""
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
