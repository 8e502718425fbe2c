package sim

import (
	"time"
)

// EventBridge detail types ACM sends.
const (
	EventApproaching    = "ACM Certificate Approaching Expiration"
	EventActionRequired = "ACM Certificate Renewal Action Required"
	EventAvailable      = "ACM Certificate Available"
	EventExpired        = "ACM Certificate Expired"
	EventHealth         = "AWS Health Event"
)

// EventTypes lists the ACM detail types, for validation and reports.
var EventTypes = []string{EventApproaching, EventActionRequired, EventAvailable, EventExpired, EventHealth}

// Event is an EventBridge event in the envelope AWS delivers.
type Event struct {
	Version    string   `json:"version"`
	ID         string   `json:"id"`
	DetailType string   `json:"detail-type"`
	Source     string   `json:"source"`
	Account    string   `json:"account"`
	Time       string   `json:"time"`
	Region     string   `json:"region"`
	Resources  []string `json:"resources"`
	Detail     any      `json:"detail"`
}

// ApproachingDetail is the detail of Approaching Expiration.
type ApproachingDetail struct {
	DaysToExpiry int
	CommonName   string
}

// ActionRequiredDetail is the detail of Renewal Action Required.
type ActionRequiredDetail struct {
	CertificateType           string
	CommonName                string
	DomainValidationMethod    string `json:",omitempty"` // none for private certificates
	RenewalStatusReason       string
	DaysToExpiry              int
	CertificateExpirationDate string
	InUse                     bool
	Exported                  bool
}

// AvailableDetail is the detail of Certificate Available.
type AvailableDetail struct {
	Action                    string
	CertificateType           string
	CommonName                string
	DomainValidationMethod    string `json:",omitempty"` // none for private certificates
	CertificateCreatedDate    string
	CertificateExpirationDate string
	DaysToExpiry              int
	InUse                     bool
	Exported                  bool
}

// ExpiredDetail is the detail of Certificate Expired.
type ExpiredDetail struct {
	CertificateType           string
	CommonName                string
	DomainValidationMethod    string `json:",omitempty"` // none for private certificates
	CertificateCreatedDate    string
	CertificateExpirationDate string
	InUse                     bool
	Exported                  bool
}

// HealthDetail is the detail of an AWS Health event about ACM.
type HealthDetail struct {
	EventArn          string `json:"eventArn"`
	Service           string `json:"service"`
	EventTypeCode     string `json:"eventTypeCode"`
	EventTypeCategory string `json:"eventTypeCategory"`
	StartTime         string `json:"startTime"`
	EventDescription  []struct {
		Language    string `json:"language"`
		LatestDescr string `json:"latestDescription"`
	} `json:"eventDescription"`
}

// awsTime is how EventBridge writes times.
func awsTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// EventDays is the DaysToExpiry of an event's detail (Approaching
// Expiration, Certificate Available, Renewal Action Required), typed or
// read back from JSON; ok is false for a detail without one.
func EventDays(d any) (int, bool) {
	switch d := d.(type) {
	case ApproachingDetail:
		return d.DaysToExpiry, true
	case *ApproachingDetail:
		if d != nil {
			return d.DaysToExpiry, true
		}
	case AvailableDetail:
		return d.DaysToExpiry, true
	case *AvailableDetail:
		if d != nil {
			return d.DaysToExpiry, true
		}
	case ActionRequiredDetail:
		return d.DaysToExpiry, true
	case *ActionRequiredDetail:
		if d != nil {
			return d.DaysToExpiry, true
		}
	case map[string]any:
		if f, ok := d["DaysToExpiry"].(float64); ok {
			return int(f), true
		}
	}
	return 0, false
}
