package sim

import "time"

// Effect is something the model asks its driver to do. The model never does
// I/O itself: it returns effects, the driver performs them against the world
// and feeds answers back as inputs at the same virtual time.
type Effect interface{ effect() }

// Wake asks the driver to call Model.Fire(Timer) at At.
type Wake struct {
	At    time.Time
	Timer Timer
}

// CheckCNAME asks the driver to resolve the validation record Record by real
// DNS: query its CNAME, follow the chain up to MaxHops records, and answer
// with Model.CNAMEResult.
type CheckCNAME struct {
	Cert     string
	Attempt  int
	Record   string
	Expected string
	MaxHops  int
}

// DNSChange asks the driver to change the zone the world sees.
type DNSChange struct {
	Add    []string    // zone-file lines
	Remove []DNSRemove // owner name and type ("" = all types)
}

// DNSRemove names records to delete.
type DNSRemove struct{ Name, Type string }

// Deploy tells the driver that resource now serves the certificate described
// (for drivers that run real endpoints). Serial "" means it serves none of
// ours any more.
type Deploy struct {
	Resource  string
	Cert      string
	Serial    string
	Names     []string
	NotBefore time.Time
	NotAfter  time.Time
}

func (Wake) effect()       {}
func (CheckCNAME) effect() {}
func (DNSChange) effect()  {}
func (Deploy) effect()     {}

// Timer is a wake-up the model asked for. Gen lets the model ignore timers
// that no longer matter (a renewal happened, attempts were restarted).
type Timer struct {
	Kind string
	Cert int
	Gen  int
	N    int // resource index, day count, … depending on Kind
}

// Timer kinds.
const (
	TimerWindow      = "window"
	TimerAttempt     = "attempt"
	TimerNotice      = "notice"
	TimerApproaching = "approaching"
	TimerIssue       = "issue"
	TimerDeploy      = "deploy"
	TimerExpire      = "expire"
	TimerInstruction = "instruction"
	TimerEmail       = "email"  // first approval e-mails are due
	TimerResend      = "resend" // N: days before expiry
	TimerProbe       = "probe"  // N: resource index
)

// CNAMEAnswer is what the driver found for a CheckCNAME.
type CNAMEAnswer struct {
	Cert    string
	Attempt int
	Record  string
	Chain   []string // CNAME targets in the order followed
	Rcode   string   // of the last query: NOERROR, NXDOMAIN, SERVFAIL, …
	Err     string   // transport failure, if any
}

// SendEmail asks the driver to deliver one message per recipient over SMTP
// and answer with Model.EmailResult. Approval e-mails carry a link the
// driver registers with the approval endpoint (Code, Context, ExpiresAt);
// the text comes from ApprovalEmail or InstructionEmail.
type SendEmail struct {
	Cert             string
	Kind             string // EmailApproval | EmailInstruction
	Domain           string // the name the e-mail is about
	ValidationDomain string
	To               []string
	Code, Context    string
	ExpiresAt        time.Time
	ARN              string
	Subject, Body    string // Body holds LinkPlaceholder where the link goes
}

// Delivery is what the mail server answered for one recipient.
type Delivery struct {
	To       string
	Accepted bool
	Code     int    // SMTP reply code (250, 550, 451, …)
	Err      string // short, deterministic
}

// EmailResult is the outcome of a SendEmail.
type EmailResult struct {
	Cert       string
	Kind       string
	Domain     string
	Code       string
	Deliveries []Delivery
}

// CheckHTTP asks the driver to GET http://<Domain>/<Path> through the name's
// A record, without following redirects, and answer with Model.HTTPResult.
type CheckHTTP struct {
	Cert    string
	Attempt int
	Domain  string
	Path    string
}

// HTTPAnswer is what the HTTP check found.
type HTTPAnswer struct {
	Cert     string
	Attempt  int
	Domain   string
	Status   int
	Location string
	Body     string
	Err      string
}

// ProbeHTTPS asks the driver for the certificate served at Domain (reached
// through its A record) by a real TLS handshake, trying Alternatives when
// Domain does not answer; the legacy HTTPS probe.
type ProbeHTTPS struct {
	Cert         string
	Attempt      int
	Domain       string
	Alternatives []string
}

// HTTPSAnswer is what the legacy probe saw.
type HTTPSAnswer struct {
	Cert    string
	Attempt int
	Domain  string
	Via     string // the name that answered
	Serial  string
	Err     string
}

// CheckCAA asks the driver to find, by real DNS queries, the CAA record set
// that governs each name: climb from the name toward the root, following
// CNAMEs; the first name with CAA records wins.
type CheckCAA struct {
	Cert    string
	Attempt int
	Names   []string
}

// CAAAnswer is what the CAA lookup found for one name.
type CAAAnswer struct {
	Name    string   `json:"name"`
	FoundAt string   `json:"found_at,omitempty"` // owner of the governing record set, "" when none
	Records []string `json:"records,omitempty"`  // "0 issue \"amazon.com\"", …
	Err     string   `json:"error,omitempty"`
	OK      bool     `json:"ok"`
	Problem string   `json:"problem,omitempty"`
}

// CAAResult is the answer to a CheckCAA.
type CAAResult struct {
	Cert    string
	Attempt int
	Answers []CAAAnswer
}

// WebChange asks the driver to change what a resource's plain-HTTP side
// answers at Path (HTTP validation tokens). Delete removes the path.
type WebChange struct {
	Resource string
	Path     string
	Body     string
	Location string
	Delete   bool
}

// ProbeTLS asks the driver to connect to a resource the way a client does,
// verifying the served certificate at the current virtual time, and answer
// with Model.TLSResult.
type ProbeTLS struct {
	Resource   string
	ServerName string
}

// TLSAnswer is what a client saw.
type TLSAnswer struct {
	Resource string
	Serial   string
	NotAfter time.Time
	Verified bool
	Expired  bool
	Err      string
}

// ClickResult tells the model a person followed an approval link.
type ClickResult struct {
	Address  string `json:"address,omitempty"` // the mailbox it came from ("" for a timeline click)
	Domain   string `json:"domain"`
	Code     string `json:"code,omitempty"`
	Approved bool   `json:"approved"`
	Expired  bool   `json:"expired"`
	Status   int    `json:"status,omitempty"`
	Err      string `json:"error,omitempty"`
}

func (SendEmail) effect()  {}
func (CheckHTTP) effect()  {}
func (ProbeHTTPS) effect() {}
func (CheckCAA) effect()   {}
func (WebChange) effect()  {}
func (ProbeTLS) effect()   {}

// ClickApproval asks the driver to follow, as a person would, the newest
// approval link for Domain found in the mail sink (Address "" = any mailbox)
// and answer with Model.Click.
type ClickApproval struct {
	Domain  string
	Address string
}

// MailboxChange asks the driver to make the mail server refuse (550) or
// accept mail for Address.
type MailboxChange struct {
	Address string
	Reject  bool
}

func (ClickApproval) effect() {}
func (MailboxChange) effect() {}
