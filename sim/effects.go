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

// Log asks the driver to append an entry to the record of the run.
type Log struct{ Entry Entry }

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
func (Log) effect()        {}
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
