package sim

import (
	"bytes"
	"encoding/json"
	"time"
)

// entryWire is an Entry as the JSON event log writes it: the attempt number
// inside the detail, after the cycle.
type entryWire struct {
	Time     time.Time   `json:"time"`
	Kind     Kind        `json:"kind"`
	Cert     string      `json:"cert,omitempty"`
	Resource string      `json:"resource,omitempty"`
	Detail   *detailWire `json:"detail"`
}

// detailWire has Detail's fields, in Detail's order, with Attempt after
// Cycle. TestDetailWireMatchesDetail keeps the two in step.
type detailWire struct {
	Text          string        `json:"text,omitempty"`
	Cycle         int           `json:"cycle,omitempty"`
	Attempt       int           `json:"attempt,omitempty"`
	Status        Status        `json:"status,omitempty"`
	RenewalStatus RenewalStatus `json:"renewal_status,omitempty"`
	Reason        string        `json:"reason,omitempty"`
	Eligibility   Eligibility   `json:"eligibility,omitempty"`
	Cause         Cause         `json:"cause,omitempty"`
	ARN           string        `json:"arn,omitempty"`
	Serial        string        `json:"serial,omitempty"`
	Names         []string      `json:"names,omitempty"`
	NotBefore     *time.Time    `json:"not_before,omitempty"`
	NotAfter      *time.Time    `json:"not_after,omitempty"`
	Checks        []NameCheck   `json:"checks,omitempty"`
	OK            *bool         `json:"ok,omitempty"`
	Do            string        `json:"do,omitempty"`
	Record        string        `json:"record,omitempty"`
	Name          string        `json:"name,omitempty"`
	Type          string        `json:"type,omitempty"`
	Zone          string        `json:"zone,omitempty"`
	Fault         string        `json:"fault,omitempty"`
	Probability   float64       `json:"probability,omitempty"`
	Channel       string        `json:"channel,omitempty"`
	Days          int           `json:"days,omitempty"`
	Event         *Event        `json:"event,omitempty"`
	Email         string        `json:"email,omitempty"`
	To            string        `json:"to,omitempty"`
	Domain        string        `json:"domain,omitempty"`
	Subject       string        `json:"subject,omitempty"`
	SMTPCode      int           `json:"smtp_code,omitempty"`
	Approved      *bool         `json:"approved,omitempty"`
	Expired       *bool         `json:"expired,omitempty"`
	CAA           []CAAAnswer   `json:"caa,omitempty"`
	Verified      *bool         `json:"verified,omitempty"`
	Err           string        `json:"error,omitempty"`
}

// MarshalJSON writes e the way the event log holds it.
func (e Entry) MarshalJSON() ([]byte, error) {
	w := entryWire{Time: e.Time, Kind: e.Kind, Cert: e.Cert, Resource: e.Resource, Detail: &detailWire{}}
	if d := e.Detail; d != nil {
		*w.Detail = detailWire{
			Text: d.Text, Cycle: d.Cycle, Attempt: e.Attempt,
			Status: d.Status, RenewalStatus: d.RenewalStatus, Reason: d.Reason, Eligibility: d.Eligibility, Cause: d.Cause,
			ARN: d.ARN, Serial: d.Serial, Names: d.Names, NotBefore: d.NotBefore, NotAfter: d.NotAfter,
			Checks: d.Checks, OK: d.OK,
			Do: d.Do, Record: d.Record, Name: d.Name, Type: d.Type, Zone: d.Zone, Fault: d.Fault, Probability: d.Probability,
			Channel: d.Channel, Days: d.Days,
			Event: d.Event,
			Email: d.Email, To: d.To, Domain: d.Domain, Subject: d.Subject, SMTPCode: d.SMTPCode, Approved: d.Approved, Expired: d.Expired,
			CAA:      d.CAA,
			Verified: d.Verified, Err: d.Err,
		}
	} else {
		w.Detail.Attempt = e.Attempt
	}
	// Leave HTML characters alone: the encoder that called us escapes
	// them or not, as it was told.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(w); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// UnmarshalJSON reads an entry of the event log back.
func (e *Entry) UnmarshalJSON(b []byte) error {
	var w entryWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	d := w.Detail
	if d == nil {
		d = &detailWire{}
	}
	*e = Entry{Time: w.Time, Kind: w.Kind, Cert: w.Cert, Resource: w.Resource, Attempt: d.Attempt, Detail: &Detail{
		Text: d.Text, Cycle: d.Cycle,
		Status: d.Status, RenewalStatus: d.RenewalStatus, Reason: d.Reason, Eligibility: d.Eligibility, Cause: d.Cause,
		ARN: d.ARN, Serial: d.Serial, Names: d.Names, NotBefore: d.NotBefore, NotAfter: d.NotAfter,
		Checks: d.Checks, OK: d.OK,
		Do: d.Do, Record: d.Record, Name: d.Name, Type: d.Type, Zone: d.Zone, Fault: d.Fault, Probability: d.Probability,
		Channel: d.Channel, Days: d.Days,
		Event: d.Event,
		Email: d.Email, To: d.To, Domain: d.Domain, Subject: d.Subject, SMTPCode: d.SMTPCode, Approved: d.Approved, Expired: d.Expired,
		CAA:      d.CAA,
		Verified: d.Verified, Err: d.Err,
	}}
	return nil
}
