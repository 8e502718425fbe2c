package sim

import (
	"slices"
	"time"
)

// CertView is what ACM shows of a certificate (DescribeCertificate,
// ListCertificates) at some time.
type CertView struct {
	ID, ARN, Domain string
	Names           []string
	Type            string // amazon-issued | private | private-ca | imported
	Validation      string
	Serial          string
	CreatedAt       time.Time
	IssuedAt        time.Time
	NotBefore       time.Time
	NotAfter        time.Time
	Status          Status
	RenewalStatus   RenewalStatus // "" when there is no renewal summary (always, for other than amazon-issued)
	Reason          string        // RenewalStatusReason of the renewal summary
	Eligibility     Eligibility
	RenewalUpdated  time.Time
	NameStatus      []NameView
	InUseBy         []string // resource ids
	Exported        bool
}

// NameView is the validation state of one name.
type NameView struct {
	Domain           string
	ValidationDomain string
	Method           string // DNS | EMAIL | HTTP
	Status           ValidationStatus
	Record, Value    string   // DNS
	Emails           []string // EMAIL
	RedirectFrom     string   // HTTP
	RedirectTo       string
}

// View replays the record up to and including at and returns what ACM
// would show of every certificate then. Callers pass now minus the
// profile's status lag to get what DescribeCertificate shows now.
//
// It is the one source of truth for what DescribeCertificate shows: the ACM
// API fake answers from it, and so do a scenario's `at:` expectations. A
// RenewalSummary (RenewalStatus, its reason) exists only for AMAZON_ISSUED
// certificates (API reference, CertificateDetail: "This field exists only
// when the certificate type is AMAZON_ISSUED"), so a private or imported
// certificate shows none, whatever its renewal did.
func View(sc *Scenario, seed uint64, log []Entry, at time.Time) []CertView {
	out := make([]CertView, len(sc.Certificates))
	index := make(map[string]int, len(sc.Certificates))
	for i := range sc.Certificates {
		out[i] = newView(sc, seed, i)
		index[sc.Certificates[i].ID] = i
	}
	for k := range log {
		e := &log[k]
		if e.Time.After(at) {
			break
		}
		if i, ok := index[e.Cert]; ok {
			out[i].apply(e)
		}
	}
	return out
}

// ViewCert is what View shows of certificate i alone, replayed from its own
// entries: the positions in log (in order) of the entries about it, which a
// reader that indexed the record has at hand. Looking at one certificate
// then costs its own entries, not the whole record.
func ViewCert(sc *Scenario, seed uint64, i int, log []Entry, entries []int32, at time.Time) CertView {
	v := newView(sc, seed, i)
	for _, k := range entries {
		e := &log[k]
		if e.Time.After(at) {
			break
		}
		v.apply(e)
	}
	return v
}

// newView is certificate i as the scenario declares it, before anything
// happened.
func newView(sc *Scenario, seed uint64, i int) CertView {
	spec := &sc.Certificates[i]
	p := spec.ProfileFor(&sc.Profile)
	v := CertView{ID: spec.ID, Domain: spec.Domain, Names: spec.Names(), Type: spec.Type, Validation: spec.Validation,
		InUseBy: slices.Clone(spec.InUseBy), Exported: spec.Exported}
	for _, n := range v.Names {
		nv := NameView{Domain: n, Method: validationMethod(spec), Status: ValidationSuccess}
		switch spec.Validation {
		case ValidationDNS:
			nv.Record, nv.Value = spec.ValidationCNAME(seed, p.Account, n)
			nv.ValidationDomain = n
		case ValidationEmail:
			nv.ValidationDomain = spec.ValidationDomain(n)
			nv.Emails = Recipients(sc, nv.ValidationDomain)
		case ValidationHTTP:
			path, _, redirect := HTTPToken(seed, p, n)
			nv.RedirectFrom, nv.RedirectTo = "http://"+n+path, redirect
			nv.ValidationDomain = n
		}
		v.NameStatus = append(v.NameStatus, nv)
	}
	return v
}

// apply is what e, an entry about v's certificate, changes in what ACM
// shows.
func (v *CertView) apply(e *Entry) {
	d := e.Detail
	switch e.Kind {
	case KindCert:
		v.ARN, v.Serial = d.ARN, d.Serial
		v.CreatedAt, v.IssuedAt = e.Time, e.Time
		if d.NotBefore != nil {
			v.NotBefore, v.CreatedAt, v.IssuedAt = *d.NotBefore, *d.NotBefore, *d.NotBefore
		}
		if d.NotAfter != nil {
			v.NotAfter = *d.NotAfter
		}
	case KindIssued:
		v.Serial, v.IssuedAt = d.Serial, e.Time
		if d.NotBefore != nil {
			v.NotBefore = *d.NotBefore
		}
		if d.NotAfter != nil {
			v.NotAfter = *d.NotAfter
		}
		v.Exported = false
	case KindStatus:
		s := d.StatusOf()
		if s.Status != v.Status || s.RenewalStatus != v.RenewalStatus || s.Reason != v.Reason {
			v.RenewalUpdated = e.Time
		}
		v.Status, v.RenewalStatus, v.Reason, v.Eligibility = s.Status, s.RenewalStatus, s.Reason, s.Eligibility
		if v.Type != TypeAmazonIssued {
			v.RenewalStatus, v.Reason = "", ""
		}
		if s.RenewalStatus == RenewalPendingAuto && v.RenewalUpdated.Equal(e.Time) {
			for j := range v.NameStatus {
				v.NameStatus[j].Status = ValidationPending
			}
		}
	case KindAttempt:
		for _, c := range d.Checks {
			for j := range v.NameStatus {
				if v.NameStatus[j].Domain == c.Domain {
					v.NameStatus[j].Status = c.Status
				}
			}
		}
	case KindExpired:
		for j := range v.NameStatus {
			if v.NameStatus[j].Status != ValidationSuccess {
				v.NameStatus[j].Status = ValidationFailed
			}
		}
	case KindTimeline:
		switch d.TimelineOf().Do {
		case DoAttach:
			if !slices.Contains(v.InUseBy, e.Resource()) {
				v.InUseBy = append(v.InUseBy, e.Resource())
			}
		case DoDetach:
			if k := slices.Index(v.InUseBy, e.Resource()); k >= 0 {
				v.InUseBy = slices.Delete(v.InUseBy, k, k+1)
			}
		case DoExport:
			v.Exported = true
		}
	}
}
