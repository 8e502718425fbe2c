package scenarios

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/renewsim/renewsim/sim"
)

// Keys each mapping accepts, in the order messages list them: the order
// of its table.
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
	if len(data) >= splitFrom {
		if cuts := findCuts(data, partsFor(len(data))); cuts != nil {
			if doc, ok := decodeParts(data, cuts); ok {
				return doc, nil
			}
		}
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
