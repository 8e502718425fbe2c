package sim

import "time"

// Input is one thing that happens to the model, fed to Model.Step at its
// virtual time: the run begins or ends, a timer the model asked for fires,
// the scenario changes the world, or the world answers an effect.
type Input interface{ input() }

// Begin sets up the world at the scenario start. It is the first input of a
// run, exactly once.
type Begin struct{}

// End closes the record at the end of the run.
type End struct{}

// Timer is a wake-up the model asked for (Wake). Gen lets the model ignore
// timers that no longer matter (a renewal happened, attempts were
// restarted): a stale timer is not an error.
type Timer struct {
	Kind TimerKind
	Cert int
	Gen  int
	N    int // resource index, day count, … depending on Kind
}

// TimerKind names what a timer is for; it is also the name of the engine
// event that carries it.
type TimerKind string

// Timer kinds.
const (
	TimerWindow      TimerKind = "window"
	TimerAttempt     TimerKind = "attempt"
	TimerNotice      TimerKind = "notice"      // N: days before expiry
	TimerApproaching TimerKind = "approaching" // N: days before expiry
	TimerIssue       TimerKind = "issue"
	TimerDeploy      TimerKind = "deploy" // N: resource index
	TimerExpire      TimerKind = "expire"
	TimerInstruction TimerKind = "instruction" // N: days before expiry (a notice day), 0 after failing a while
	TimerEmail       TimerKind = "email"       // first approval e-mails are due
	TimerResend      TimerKind = "resend"      // N: days before expiry
	TimerProbe       TimerKind = "probe"       // N: resource index
)

// CNAMEAnswer is what the driver found for a CheckCNAME.
type CNAMEAnswer struct {
	Cert    int
	Attempt int
	Record  string
	Chain   []string // CNAME targets in the order followed
	Rcode   string   // of the last query: NOERROR, NXDOMAIN, SERVFAIL, …
	Err     string   // transport failure, if any
}

// HTTPAnswer is what the HTTP check found.
type HTTPAnswer struct {
	Cert     int
	Attempt  int
	Domain   string
	Status   int
	Location string
	Body     string
	Err      string
}

// HTTPSAnswer is what the legacy probe saw.
type HTTPSAnswer struct {
	Cert    int
	Attempt int
	Domain  string
	Via     string // the name that answered
	Serial  string
	Err     string
}

// CAAAnswer is what the CAA lookup found for one name.
type CAAAnswer struct {
	Name    string   `json:"name"`
	FoundAt string   `json:"found_at,omitempty"` // owner of the governing record set, "" when none
	Records []string `json:"records,omitempty"`  // "0 issue \"amazon.com\"", …
	Err     string   `json:"error,omitempty"`
	OK      bool     `json:"ok"`
	Cause   Cause    `json:"cause,omitempty"` // why it does not allow Amazon
	Problem string   `json:"problem,omitempty"`
}

// CAAResult is the answer to a CheckCAA: one CAAAnswer per name, in the
// order asked.
type CAAResult struct {
	Cert    int
	Attempt int
	Answers []CAAAnswer
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
	Cert       int
	Kind       string
	Domain     string
	Code       string
	Deliveries []Delivery
}

// ClickResult tells the model a person followed an approval link. The code
// says which name, certificate and cycle the link was for.
type ClickResult struct {
	Address  string `json:"address,omitempty"` // the mailbox it came from ("" for a timeline click)
	Domain   string `json:"domain"`
	Code     string `json:"code,omitempty"`
	Approved bool   `json:"approved"`
	Expired  bool   `json:"expired"`
	Status   int    `json:"status,omitempty"`
	Err      string `json:"error,omitempty"`
}

// TLSAnswer is what a client saw when it connected to a resource.
type TLSAnswer struct {
	Resource int
	Serial   string
	NotAfter time.Time
	Verified bool
	Expired  bool
	Err      string
}

func (Begin) input()       {}
func (End) input()         {}
func (Timer) input()       {}
func (Change) input()      {}
func (CNAMEAnswer) input() {}
func (HTTPAnswer) input()  {}
func (HTTPSAnswer) input() {}
func (CAAResult) input()   {}
func (EmailResult) input() {}
func (ClickResult) input() {}
func (TLSAnswer) input()   {}

// Ready is what the model asks of its driver after one or more Steps: the
// effects, in the order they must be carried out. The record has grown in
// the same order (Model.Record).
type Ready struct {
	Effects []Effect
}
