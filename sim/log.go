package sim

import "time"

// Kind says what an entry of the record is about.
type Kind string

// Entry kinds in the record of a run.
const (
	KindStart      Kind = "start"         // the run begins; one per certificate too
	KindCert       Kind = "certificate"   // a certificate (first or renewed) exists
	KindStatus     Kind = "status"        // Status, RenewalStatus or eligibility changed
	KindWindow     Kind = "window-opened" // renewal window opened
	KindAttempt    Kind = "validation-attempt"
	KindIssued     Kind = "renewal-issued"
	KindDeployed   Kind = "deployed"   // a resource serves a certificate
	KindUndeployed Kind = "undeployed" // a resource stopped serving it (detached)
	KindExpired    Kind = "expired"
	KindTimeline   Kind = "timeline"       // a world change from the scenario
	KindEventBus   Kind = "eventbridge"    // an EventBridge event (Detail.Event)
	KindNotice     Kind = "notice"         // a notice sent outside EventBridge (e-mail)
	KindEnd        Kind = "end"            // the run stopped
	KindEmail      Kind = "email-sent"     // one message to one recipient (delivered or refused)
	KindClick      Kind = "approval-click" // a person followed an approval link
	KindCAA        Kind = "caa-check"      // the CAA records that govern each name
	KindProbe      Kind = "probe"          // a client's TLS handshake with a resource
)

// Entry is one thing that happened, at one virtual time. The record of a run
// is the ordered list of entries; reports and expectations read nothing else.
//
// Detail is never nil in a record (the model and the JSON reader always fill
// it); it sits behind a pointer so that a record of millions of entries
// grows without copying them, and so that the hourly attempts of a failing
// renewal, which say the same thing each time, share one Detail: what
// differs between them, the attempt number, is the entry's own. In JSON the
// attempt number sits inside "detail", where it reads naturally.
type Entry struct {
	Time    time.Time
	Kind    Kind
	Cert    string
	Attempt int // validation-attempt, caa-check: the attempt number within the cycle
	Detail  *Detail
}

// Resource is the resource the entry is about (deployed, undeployed,
// probe, a timeline change of a resource), or "". It is kept in the
// Detail, which entries about a resource never share, so that the
// millions of entries of a fleet's record that concern no resource do
// not each carry an empty string (16 of an entry's 88 bytes).
func (e Entry) Resource() string {
	if e.Detail == nil {
		return ""
	}
	return e.Detail.Resource
}

// Detail holds what an entry says. Each kind uses a few fields; the rest stay
// empty and are left out of the JSON.
//
// The fields only a few kinds use sit in groups held by pointer (status,
// timeline, notice, e-mail), nil in every other entry: a fleet's record
// holds hundreds of thousands of Details, and each would otherwise carry
// some 200 bytes of empty strings. The groups are embedded so that
// encoding/json writes their fields in place, in this order, and leaves
// out a nil one: the event log reads as if the fields were Detail's own.
// Read a group through its accessor (StatusOf, TimelineOf, NoticeOf,
// MailOf), never through a promoted field, which panics when the group is
// nil; a writer allocates a group of its own, and only when it sets one of
// its fields, so that what the JSON reader allocates is the same.
type Detail struct {
	Text string `json:"text,omitempty"` // one human sentence

	// Resource is the entry's resource (Entry.Resource): the event log
	// writes it beside the certificate, outside "detail".
	Resource string `json:"-"`

	Cycle int `json:"cycle,omitempty"` // renewal cycle, 1 = renewing the first certificate

	*StatusDetail // status, window-opened; timeline: a PCA failure's reason

	ARN       string     `json:"arn,omitempty"`
	Serial    string     `json:"serial,omitempty"`
	Names     []string   `json:"names,omitempty"`
	NotBefore *time.Time `json:"not_before,omitempty"`
	NotAfter  *time.Time `json:"not_after,omitempty"`

	Checks []NameCheck `json:"checks,omitempty"` // validation-attempt
	OK     *bool       `json:"ok,omitempty"`

	*TimelineDetail // timeline; renewal-issued: reimport
	*NoticeDetail   // notice

	Event *Event `json:"event,omitempty"`

	*MailDetail // email-sent, approval-click; timeline: a click's domain, a mailbox

	Expired *bool `json:"expired,omitempty"` // approval-click, probe

	CAA []CAAAnswer `json:"caa,omitempty"`

	// probe
	Verified *bool  `json:"verified,omitempty"`
	Err      string `json:"error,omitempty"`
}

// StatusDetail is what a status or window-opened entry says of the
// certificate's state.
type StatusDetail struct {
	Status        Status        `json:"status,omitempty"`
	RenewalStatus RenewalStatus `json:"renewal_status,omitempty"`
	Reason        string        `json:"reason,omitempty"`
	Eligibility   Eligibility   `json:"eligibility,omitempty"`
	Cause         Cause         `json:"cause,omitempty"` // why the certificate is ineligible (window-opened, status)
}

// TimelineDetail is what a timeline entry says of the world change.
type TimelineDetail struct {
	Do     string `json:"do,omitempty"` // timeline action
	Record string `json:"record,omitempty"`
	Name   string `json:"name,omitempty"`
	Type   string `json:"type,omitempty"`

	// dns-fault, dns-fault-clear
	Zone        string  `json:"zone,omitempty"`
	Fault       string  `json:"fault,omitempty"`
	Probability float64 `json:"probability,omitempty"`
}

// NoticeDetail is how a notice outside EventBridge went out.
type NoticeDetail struct {
	Channel string `json:"channel,omitempty"` // email
	Days    int    `json:"days,omitempty"`
}

// MailDetail is one message of e-mail validation, or a click on its link.
type MailDetail struct {
	Email    string `json:"email,omitempty"` // approval | instruction
	To       string `json:"to,omitempty"`
	Domain   string `json:"domain,omitempty"`
	Subject  string `json:"subject,omitempty"`
	SMTPCode int    `json:"smtp_code,omitempty"`
	Approved *bool  `json:"approved,omitempty"`
}

// StatusOf is d's status group, the zero one when d has none.
func (d *Detail) StatusOf() StatusDetail {
	if d == nil || d.StatusDetail == nil {
		return StatusDetail{}
	}
	return *d.StatusDetail
}

// TimelineOf is d's timeline group, the zero one when d has none.
func (d *Detail) TimelineOf() TimelineDetail {
	if d == nil || d.TimelineDetail == nil {
		return TimelineDetail{}
	}
	return *d.TimelineDetail
}

// NoticeOf is d's notice group, the zero one when d has none.
func (d *Detail) NoticeOf() NoticeDetail {
	if d == nil || d.NoticeDetail == nil {
		return NoticeDetail{}
	}
	return *d.NoticeDetail
}

// MailOf is d's e-mail group, the zero one when d has none.
func (d *Detail) MailOf() MailDetail {
	if d == nil || d.MailDetail == nil {
		return MailDetail{}
	}
	return *d.MailDetail
}

// NameCheck is what one validation check of one name found.
type NameCheck struct {
	Domain   string           `json:"domain"`
	Method   string           `json:"method"`
	Record   string           `json:"record,omitempty"`   // DNS: the validation CNAME name
	Expected string           `json:"expected,omitempty"` // DNS: the value ACM wants
	Answer   []string         `json:"answer,omitempty"`   // DNS: the CNAME chain found; HTTP: status and location
	Rcode    string           `json:"rcode,omitempty"`
	Status   ValidationStatus `json:"status"`            // SUCCESS | PENDING_VALIDATION | FAILED
	Cause    Cause            `json:"cause,omitempty"`   // why it failed, as a code
	Problem  string           `json:"problem,omitempty"` // why it failed, in the guide's terms
	Fix      string           `json:"fix,omitempty"`     // what the user should do
}

func timePtr(t time.Time) *time.Time { return &t }

// The record shares these: nothing writes through an entry's *bool.
var yes, no = true, false

func boolPtr(b bool) *bool {
	if b {
		return &yes
	}
	return &no
}
