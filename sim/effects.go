package sim

import "time"

// Effect is something the model asks its driver to do. The model never does
// I/O itself: it returns effects, the driver performs them against the world
// and feeds the answers back as inputs at the same virtual time.
//
// Certificates and resources are named by their index in the scenario
// (Scenario.Certificates, Scenario.Resources): drivers of fleets with
// thousands of them look them up without searching.
type Effect interface{ effect() }

// Wake asks the driver to step the model with Timer at At.
type Wake struct {
	At    time.Time
	Timer Timer
}

// WakeDays asks the driver to step the model with Timer, N set to each day
// of Days in turn, at NotAfter minus that many days: a series of timers
// (notice days, daily events). Each runs, among the events of its time,
// where it would have run had all been asked for now, so the driver may
// schedule them one at a time. Days are in descending order and none has
// passed.
type WakeDays struct {
	Timer    Timer
	NotAfter time.Time
	Days     []int
}

// At is when day k of the series is due.
func (w WakeDays) At(k int) time.Time { return w.NotAfter.Add(-time.Duration(w.Days[k]) * Day) }

// CancelWakes tells the driver that the remaining timers of every WakeDays
// series the model asked for with this certificate and generation are no
// longer wanted: a renewed or expired certificate's notices and daily
// events. Stepping them anyway would change nothing.
type CancelWakes struct {
	Cert int
	Gen  int
}

// CheckCNAME asks the driver to resolve the validation record Record by real
// DNS: query its CNAME, follow the chain up to MaxHops records, and answer
// with a CNAMEAnswer.
type CheckCNAME struct {
	Cert     int
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
	Resource  int
	Cert      int
	Serial    string
	Names     []string
	NotBefore time.Time
	NotAfter  time.Time
}

// SendEmail asks the driver to deliver one message per recipient over SMTP
// and answer with an EmailResult. Approval e-mails carry a link the driver
// registers with the approval endpoint (Code, Context, ExpiresAt); the text
// comes from ApprovalEmail or InstructionEmail.
type SendEmail struct {
	Cert             int
	Kind             string // EmailApproval | EmailInstruction
	Domain           string // the name the e-mail is about
	ValidationDomain string
	To               []string
	Code, Context    string
	ExpiresAt        time.Time
	ARN              string
	Subject, Body    string // Body holds LinkPlaceholder where the link goes
}

// CheckHTTP asks the driver to GET http://<Domain>/<Path> through the name's
// A record, without following redirects, and answer with an HTTPAnswer.
type CheckHTTP struct {
	Cert    int
	Attempt int
	Domain  string
	Path    string
}

// ProbeHTTPS asks the driver for the certificate served at Domain (reached
// through its A record) by a real TLS handshake, trying Alternatives when
// Domain does not answer; the legacy HTTPS probe. The answer is an
// HTTPSAnswer.
type ProbeHTTPS struct {
	Cert         int
	Attempt      int
	Domain       string
	Alternatives []string
}

// CheckCAA asks the driver to find, by real DNS queries, the CAA record set
// that governs each name: climb from the name toward the root, following
// CNAMEs; the first name with CAA records wins. The answer is a CAAResult.
type CheckCAA struct {
	Cert    int
	Attempt int
	Names   []string
}

// WebChange asks the driver to change what a resource's plain-HTTP side
// answers at Path (HTTP validation tokens). Delete removes the path.
type WebChange struct {
	Resource int
	Path     string
	Body     string
	Location string
	Delete   bool
}

// ProbeTLS asks the driver to connect to a resource the way a client does,
// verifying the served certificate at the current virtual time, and answer
// with a TLSAnswer.
type ProbeTLS struct {
	Resource   int
	ServerName string
}

// ClickApproval asks the driver to follow, as a person would, the newest
// approval link for Domain found in the mail sink (Address "" = any mailbox)
// and answer with a ClickResult.
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

// DNSFault asks the driver to make DNS misbehave for Owner (a single name,
// or with Zone every name at and below it) from now on: Kind is
// FaultServfail, FaultTimeout or FaultSlow, Probability the share of
// queries struck (0: all), chosen per query from Seed so that every run
// strikes the same ones. Clear ends the fault at Owner. The driver treats
// an answer that does not come, or comes late, as a failed query.
type DNSFault struct {
	Owner       string
	Zone        bool
	Kind        string
	Probability float64
	Seed        uint64
	Clear       bool
}

func (Wake) effect()          {}
func (WakeDays) effect()      {}
func (CancelWakes) effect()   {}
func (CheckCNAME) effect()    {}
func (DNSChange) effect()     {}
func (Deploy) effect()        {}
func (SendEmail) effect()     {}
func (CheckHTTP) effect()     {}
func (ProbeHTTPS) effect()    {}
func (CheckCAA) effect()      {}
func (WebChange) effect()     {}
func (ProbeTLS) effect()      {}
func (ClickApproval) effect() {}
func (MailboxChange) effect() {}
func (DNSFault) effect()      {}
