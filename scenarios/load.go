package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/renewsim/renewsim/sim"
)

// Keys each mapping accepts, in the order messages list them.
var (
	scenarioKeys    = scenarioTable.keys
	resourceKeys    = resourceTable.keys
	certificateKeys = certificateTable.keys
	dnsKeys         = dnsTable.keys
	changeKeys      = changeTable.keys
)

// Values a scenario may use.
var (
	certTypes    = []string{sim.TypeAmazonIssued, sim.TypePrivate, sim.TypePrivateCA, sim.TypeImported}
	validations  = []string{sim.ValidationDNS, sim.ValidationEmail, sim.ValidationHTTP}
	outcomes     = []string{string(sim.OutcomeRenewed), string(sim.OutcomeExpired), string(sim.OutcomePending)}
	statuses     = []string{"PENDING_VALIDATION", "ISSUED", "INACTIVE", "EXPIRED", "VALIDATION_TIMED_OUT", "REVOKED", "FAILED"}
	renewalStats = []string{"PENDING_AUTO_RENEWAL", "PENDING_VALIDATION", "SUCCESS", "FAILED", renewalNone}
	events       = []string{sim.EventApproaching, sim.EventActionRequired, sim.EventAvailable, sim.EventExpired, sim.EventHealth}
	// reasons are ACM's RenewalStatusReason values; reasonNone stands for
	// the empty reason and is passed on as written.
	reasons = []string{"NO_AVAILABLE_CONTACTS", "ADDITIONAL_VERIFICATION_REQUIRED", "DOMAIN_NOT_ALLOWED", "INVALID_PUBLIC_DOMAIN",
		"DOMAIN_VALIDATION_DENIED", "CAA_ERROR", "PCA_LIMIT_EXCEEDED", "PCA_INVALID_ARN", "PCA_INVALID_STATE", "PCA_REQUEST_FAILED",
		"PCA_NAME_CONSTRAINTS_VALIDATION", "PCA_RESOURCE_NOT_FOUND", "PCA_INVALID_ARGS", "PCA_INVALID_DURATION", "PCA_ACCESS_DENIED",
		"SLR_NOT_FOUND", "OTHER", "PENDING_DOMAIN_VALIDATION", reasonNone}
	healthCodes = []string{"AWS_ACM_RENEWAL_STATE_CHANGE", "CAA_CHECK_FAILURE", "AWS_ACM_RENEWAL_FAILURE"}
	emailKinds  = []string{sim.EmailApproval, sim.EmailInstruction, sim.EmailAny}
	// Validation record states, by method.
	dnsRecords  = []string{sim.RecordPresent, sim.RecordAbsent, sim.RecordWrong, sim.RecordDoubledSuffix, sim.RecordNoUnderscore, "chain-N", sim.RecordZone}
	httpRecords = []string{sim.RecordPresent, recordRedirect, sim.RecordAbsent, sim.RecordWrong}
)

// reasonNone is how an expectation writes the empty RenewalStatusReason.
const reasonNone = "none"

// recordRedirect is the http validation state in which the token URL
// answers with a redirect.
const recordRedirect = sim.RecordRedirect

// defaultUntilMargin is how long a scenario runs past the latest first
// expiry when it does not say.
const defaultUntilMargin = 7 * sim.Day

// maxChain bounds validation_record chain-N.
const maxChain = 16

var (
	nameRE   = regexp.MustCompile(`^[a-z0-9-]+$`)
	rrTypeRE = regexp.MustCompile(`^[A-Z][A-Z0-9]{0,15}$`)
	chainRE  = regexp.MustCompile(`^chain-([0-9]+)$`)
	labelRE  = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)
	yamlErr  = regexp.MustCompile(`(?s)^yaml: line (\d+): (.*)$`)
)

// Load reads the scenario file at path and checks it. Scenario.File is path
// as given. A file that cannot be read gives the error of os.ReadFile; a bad
// scenario gives Errors.
func Load(path string) (*sim.Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse checks the scenario in data; file names it in messages and becomes
// Scenario.File. On any problem it returns nil and Errors listing all of
// them.
func Parse(file string, data []byte) (*sim.Scenario, error) {
	return parse(file, data, "")
}

// FromNode runs the checks of Parse on an already parsed YAML document (a
// DocumentNode or its top mapping), for callers that edit the node tree and
// reload. Nodes without a position (Line 0) are reported at the nearest
// enclosing node that has one. The tree is not modified.
func FromNode(file string, doc *yaml.Node) (sc *sim.Scenario, err error) {
	defer guard(file, &sc, &err)
	return fromNode(file, doc, "")
}

// parse is Parse; a non-empty wantName requires the scenario to be named so.
func parse(file string, data []byte, wantName string) (sc *sim.Scenario, err error) {
	defer guard(file, &sc, &err)
	if len(data) >= chunkFrom {
		if tb := findTimelineBlock(data); tb != nil {
			if sc, err, ok := parseChunked(file, tb, wantName); ok {
				return sc, err
			}
		}
	}
	doc, errs := decode(file, data)
	if errs != nil {
		return nil, errs
	}
	sc, err = fromNode(file, doc, wantName)
	if len(data) >= bigInput {
		// The node tree of a big file is many times the size of the
		// scenario, and scattered: collect it and hand its pages back
		// now, or the run that follows grows the process on top of them.
		doc = nil
		debug.FreeOSMemory()
	}
	return sc, err
}

// bigInput is the size from which parse frees the node tree before
// returning.
const bigInput = 8 << 20

// guard turns a panic (a bug: no input should cause one) into an Error, so
// that a bad file never takes the caller down.
func guard(file string, sc **sim.Scenario, err *error) {
	if r := recover(); r != nil {
		*sc = nil
		*err = Errors{{File: file, Line: 1, Col: 1, Msg: fmt.Sprintf("internal error: %v (please report this scenario)", r)}}
	}
}

const emptyMsg = "empty file: a scenario needs at least name, start and certificates"

// decode parses data into one YAML document.
func decode(file string, data []byte) (*yaml.Node, Errors) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, Errors{{File: file, Line: 1, Col: 1, Msg: emptyMsg}}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return nil, Errors{{File: file, Line: 1, Col: 1, Msg: emptyMsg}}
		}
		return nil, Errors{syntaxError(file, err)}
	}
	for {
		var extra yaml.Node
		err := dec.Decode(&extra)
		if err == io.EOF {
			return &doc, nil
		}
		if err != nil {
			return nil, Errors{syntaxError(file, err)}
		}
		if len(extra.Content) > 0 && !isNull(extra.Content[0]) {
			p := posOf(&extra, pos{1, 1})
			return nil, Errors{{File: file, Line: p.line, Col: p.col, Msg: "a second YAML document (after ---): a scenario file holds exactly one"}}
		}
	}
}

// syntaxError turns yaml.v3's "yaml: line N: msg" into file:N:1.
func syntaxError(file string, err error) *Error {
	msg := err.Error()
	line := 1
	if m := yamlErr.FindStringSubmatch(msg); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil && n >= 1 {
			line = n
		}
		msg = m[2]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	return &Error{File: file, Line: line, Col: 1, Msg: "YAML syntax error: " + msg}
}

func fromNode(file string, doc *yaml.Node, wantName string) (*sim.Scenario, error) {
	l := &loader{file: file}
	sc := l.scenario(doc, wantName)
	if len(l.errs) > 0 {
		return nil, sortErrors(l.errs)
	}
	return sc, nil
}

// certMeta is what later sections need to know about a certificate.
type certMeta struct {
	validation string // "" when it has none or it could not be read
	typ        string
	times      *certTimes
	issuedPos  pos
}

// build carries the state of one load between sections.
type build struct {
	sc        *sim.Scenario
	env       *times
	startPos  pos
	until     time.Time
	untilOK   bool
	resources map[string]int    // id -> line
	resKinds  map[string]string // id -> kind, when the kind is valid
	resOrder  []string
	hostnames map[string]string // lower-case hostname -> resource id
	certs     map[string]*certMeta
	certLines map[string]int    // certificate id -> line of the first with it
	arns      map[string]string // certificate ARN -> id
	// names tells, for each lower-case certificate name, which certificates
	// have it.
	names map[string]*nameOwners
	// emailNames lists the names of the e-mail-validated certificates for
	// messages, once it was needed.
	emailNames *string
	// zoneLines counts the zone-file lines so far; zoneFull is set once
	// they exceed maxZoneLines (reported once).
	zoneLines int
	zoneFull  bool
	// alarms are the scenario's alarms, for its expectations.
	alarms *alarmState
}

// nameOwners are the certificates that have one name.
type nameOwners struct {
	first string // the first certificate declared with it
	email bool   // whether any of them uses e-mail validation
}

// docRoot is the top node of a decoded document (aliases resolved; nil for
// an empty one) and where the document starts.
func docRoot(doc *yaml.Node) (*yaml.Node, pos) {
	top := pos{1, 1}
	root := resolve(doc)
	if root != nil && root.Kind == yaml.DocumentNode {
		top = posOf(root, top)
		if len(root.Content) == 0 {
			return nil, top
		}
		root = resolve(root.Content[0])
	}
	return root, top
}

// overrides applies the profile knobs under overrides, each checked against
// its own range, then the rules that relate knobs (sim.Profile.Check): a
// broken rule is reported at an override it names, or at at when the
// scenario overrides none of them.
func (l *loader) overrides(f *field, p *sim.Profile, at pos) {
	o := &overridden{written: map[string]pos{}, refused: map[string]bool{}}
	if f != nil {
		if om := l.mapping(f.val, f.vpos, "overrides", nil); om != nil {
			at = f.kpos
			for _, kf := range om.fields {
				l.override(kf, p, o)
			}
		}
	}
	l.profileRules(p, o, at)
}

// overridden are the knobs set, and refused those whose value was
// reported and not set: a rule they break holds the profile's value, not
// the scenario's, and is reported at the other knob, if written.
type overridden struct {
	written map[string]pos
	refused map[string]bool
}

// override sets one knob.
func (l *loader) override(kf *field, p *sim.Profile, o *overridden) {
	kind, ok := sim.KnobKind(kf.name)
	if !ok {
		l.errf(kf.kpos, "overrides: %v", p.Set(kf.name, ""))
		return
	}
	value, ok := l.knobValue(kf)
	if !ok {
		return
	}
	o.written[kf.name] = kf.vpos
	if kind == "duration" && durationTooLong(value) {
		l.errf(kf.vpos, "%s: duration %q is too long (more than %s)", kf.name, value, sim.FormatDuration(maxDuration))
		o.refused[kf.name] = true
		return
	}
	if err := p.Set(kf.name, value); err != nil {
		msg := err.Error()
		if !strings.HasPrefix(msg, kf.name) {
			msg = kf.name + ": " + msg
		}
		l.errf(kf.vpos, "%s", msg)
		o.refused[kf.name] = true
	}
}

// knobValue is a knob's value as sim.Profile.Set reads it: a single
// value, or a list of them joined by commas.
func (l *loader) knobValue(kf *field) (string, bool) {
	switch {
	case kf.null():
		l.errf(kf.vpos, "key %q in overrides has no value", kf.name)
		return "", false
	case kf.val.Kind == yaml.ScalarNode:
		return kf.val.Value, true
	case kf.val.Kind == yaml.SequenceNode:
		parts := []string{}
		for _, c := range kf.val.Content {
			c = resolve(c)
			if c == nil || c.Kind != yaml.ScalarNode {
				l.errf(kf.vpos, "%s: want a list of single values", kf.name)
				return "", false
			}
			parts = append(parts, c.Value)
		}
		return strings.Join(parts, ", "), true
	}
	l.errf(kf.vpos, "%s: want a single value, got %s", kf.name, kindName(kf.val))
	return "", false
}

// profileRules reports the rules that relate knobs which the profile
// breaks, each at a knob it names that the scenario set, or at at.
func (l *loader) profileRules(p *sim.Profile, o *overridden, at pos) {
	err := p.Check()
	if err == nil {
		return
	}
	var kes sim.KnobErrors
	if !errors.As(err, &kes) {
		l.errf(at, "profile: %v", err)
		return
	}
	for _, ke := range kes {
		where, ok := o.written[ke.Knob]
		if !ok || o.refused[ke.Knob] {
			where, ok = o.written[ke.Other]
			if o.refused[ke.Other] {
				ok = false
			}
		}
		switch {
		case ok:
			l.errf(where, "%s", ke.Msg)
		case !o.refused[ke.Knob] && !o.refused[ke.Other]:
			l.errf(at, "%s", ke.Msg)
		}
	}
}

// duration reads a duration >= 0.
func (l *loader) duration(f *field) (time.Duration, bool) {
	s, ok := l.scalar(f)
	if !ok {
		return 0, false
	}
	d, err := parseDuration(s)
	if err != nil {
		l.errf(f.vpos, "%s: %v", f.name, err)
		return 0, false
	}
	if d < 0 {
		l.errf(f.vpos, "%s: must not be negative, got %q", f.name, s)
		return 0, false
	}
	return d, true
}

// validationRecord reads the state of the validation record for method
// (dns or http; "" when the method is unknown: any state of either).
func (l *loader) validationRecord(f *field, method string) (string, bool) {
	s, ok := l.scalar(f)
	if !ok {
		return "", false
	}
	switch s {
	case sim.RecordPresent, sim.RecordAbsent, sim.RecordWrong:
		return s, true
	case sim.RecordDoubledSuffix, sim.RecordNoUnderscore, sim.RecordZone:
		if method != sim.ValidationHTTP {
			return s, true
		}
		l.errf(f.vpos, "validation_record: %s is a state of dns validation; http validation takes one of: %s", s, strings.Join(httpRecords, ", "))
		return "", false
	case recordRedirect:
		if method != sim.ValidationDNS {
			return s, true
		}
		l.errf(f.vpos, "validation_record: redirect is a state of http validation; dns validation takes one of: %s", strings.Join(dnsRecords, ", "))
		return "", false
	}
	if m := chainRE.FindStringSubmatch(s); m != nil {
		if method == sim.ValidationHTTP {
			l.errf(f.vpos, "validation_record: chain-N is a state of dns validation; http validation takes one of: %s", strings.Join(httpRecords, ", "))
			return "", false
		}
		n, err := strconv.Atoi(m[1])
		if err == nil && n >= 1 && n <= maxChain && !strings.HasPrefix(m[1], "0") {
			return s, true
		}
		l.errf(f.vpos, "validation_record: chain-N needs N from 1 to %d, got %q", maxChain, s)
		return "", false
	}
	switch method {
	case sim.ValidationHTTP:
		l.errf(f.vpos, "validation_record: unknown state %q for http validation (expected one of: %s)", s, strings.Join(httpRecords, ", "))
	case sim.ValidationDNS:
		l.errf(f.vpos, "validation_record: unknown state %q (expected one of: %s)", s, strings.Join(dnsRecords, ", "))
	default:
		l.errf(f.vpos, "validation_record: unknown state %q (expected one of: %s for dns validation; %s for http validation)", s, strings.Join(dnsRecords, ", "), strings.Join(httpRecords, ", "))
	}
	return "", false
}

// article is "a" or "an" for word.
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

// checkDomain returns what is wrong with a certificate name, or "".
func checkDomain(s string) string { return domainProblem(s, true) }

// DomainProblem says what is wrong with a certificate name (a DNS name,
// perhaps a wildcard) as a scenario would have it, or "": what reads names
// from elsewhere into a scenario checks them with it, so that the scenario
// loads.
func DomainProblem(name string) string { return checkDomain(name) }

// checkHostname returns what is wrong with a DNS name that may not be a
// wildcard, or "".
func checkHostname(s string) string { return domainProblem(s, false) }

func domainProblem(s string, wildcard bool) string {
	like := "like example.com or *.example.com"
	if !wildcard {
		like = "like example.com or www.example.com"
		if strings.HasPrefix(s, "*.") {
			return fmt.Sprintf("%q: a wildcard name is not allowed here (want a DNS name %s)", s, like)
		}
	}
	bad := fmt.Sprintf("%q is not a valid domain name (want labels of letters, digits and hyphens separated by dots, %s)", s, like)
	if strings.HasSuffix(s, ".") && len(s) > 1 {
		return fmt.Sprintf("%q: write the name without the trailing dot", s)
	}
	name := strings.TrimPrefix(s, "*.")
	if len(name) > 253 {
		return fmt.Sprintf("%q is longer than 253 characters", s)
	}
	labels := strings.Split(name, ".")
	if len(labels) < 2 {
		return bad
	}
	for _, lb := range labels {
		if !labelRE.MatchString(lb) {
			return bad
		}
	}
	return ""
}

// dnsTable is how the dns mapping is read: the zone the fake DNS server
// starts with.
var dnsTable = newKeyTable("dns", []keyRow[build]{
	{key: "records", read: (*loader).dnsRecords},
})

func (l *loader) dns(b *build, f *field) {
	if dm := dnsTable.mapping(l, f.val, f.vpos); dm != nil {
		dnsTable.read(l, b, dm, b)
	}
}

func (l *loader) dnsRecords(b *build, _ *build, f *field) {
	for i, s := range l.stringList(f) {
		if strings.TrimSpace(s.s) == "" {
			l.errf(s.pos, "records: item %d is blank", i+1)
			continue
		}
		if !l.zoneText(b, s.pos, fmt.Sprintf("records: item %d", i+1), s.s) {
			continue
		}
		b.sc.DNSRecords = append(b.sc.DNSRecords, s.s)
		b.sc.DNSLines = append(b.sc.DNSLines, max(s.line, 0))
	}
}

// maxZoneLines bounds the zone-file lines of a scenario, dns.records and
// dns-add together: far more records than any zone a scenario is about,
// few enough that the fake DNS server loads them in a moment.
const maxZoneLines = 100_000

// zoneText checks what the loader can see of zone-file text, whose records
// the runner parses: no $GENERATE or $INCLUDE (a scenario lists each record
// it needs, in the file), and not more than maxZoneLines lines in all. It
// reports a problem as what at p and tells whether the text may be used.
func (l *loader) zoneText(b *build, p pos, what, text string) bool {
	lines := 0
	for line := range strings.Lines(text) {
		// The zone parser drops a carriage return wherever it stands;
		// any other space ends the word here, which refuses a little more
		// than the parser would read as a directive, never less.
		word := strings.TrimLeftFunc(strings.ReplaceAll(line, "\r", ""), unicode.IsSpace)
		if i := strings.IndexFunc(word, unicode.IsSpace); i >= 0 {
			word = word[:i]
		}
		switch strings.ToUpper(word) {
		case "$GENERATE":
			l.errf(p, "%s: $GENERATE is not supported: list each record the scenario needs", what)
			return false
		case "$INCLUDE":
			l.errf(p, "%s: $INCLUDE is not supported: a scenario holds its records itself and reads no other file", what)
			return false
		default:
			if word != "" && !strings.HasPrefix(word, ";") {
				lines++
			}
		}
	}
	b.zoneLines += lines
	if b.zoneLines > maxZoneLines && !b.zoneFull {
		b.zoneFull = true
		l.errf(p, "%s: the scenario's zone holds more than %d zone-file lines (dns.records and dns-add together)", what, maxZoneLines)
	}
	return !b.zoneFull
}

// inRange reports an at outside [start, until].
func (l *loader) inRange(b *build, f *field, t time.Time) {
	switch {
	case b.env.startOK && t.Before(b.env.start):
		l.errf(f.vpos, "%s: %s is before start (%s)", f.name, quoteTime(f.val.Value, t), stamp(b.env.start))
	case b.untilOK && t.After(b.until):
		l.errf(f.vpos, "%s: %s is after until (%s)", f.name, quoteTime(f.val.Value, t), stamp(b.until))
	}
}
