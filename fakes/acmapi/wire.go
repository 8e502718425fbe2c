package acmapi

import (
	"strconv"
	"strings"
	"time"
)

// epoch is a timestamp on the wire: a JSON number of seconds since the
// Unix epoch, with the milliseconds as a fraction when there are any.
// awsJson1_1's default timestamp format is epoch-seconds, and the SDKs
// keep millisecond precision (smithy-go ParseEpochSeconds), so finer
// digits would be dropped by every client anyway.
type epoch time.Time

func (e epoch) MarshalJSON() ([]byte, error) {
	ms := time.Time(e).UnixMilli()
	sec, frac := ms/1000, ms%1000
	if frac < 0 {
		sec, frac = sec-1, frac+1000
	}
	b := strconv.AppendInt(nil, sec, 10)
	if frac != 0 {
		f := strconv.FormatInt(1000+frac, 10)[1:] // three digits, zero-padded
		b = append(append(b, '.'), strings.TrimRight(f, "0")...)
	}
	return b, nil
}

// ts is nil for the zero time, so that omitempty leaves the member out.
func ts(t time.Time) *epoch {
	if t.IsZero() {
		return nil
	}
	e := epoch(t)
	return &e
}

// Requests. Pointers tell an absent (or null) member from an empty one.

type arnRequest struct {
	CertificateArn *string
}

type resendRequest struct {
	CertificateArn   *string
	Domain           *string
	ValidationDomain *string
}

type putConfigRequest struct {
	ExpiryEvents *struct {
		DaysBeforeExpiry *int
	}
	IdempotencyToken *string
}

type listRequest struct {
	CertificateStatuses       []string
	CertificateKeyPairOrigins []string
	Includes                  *struct {
		ExtendedKeyUsage []string `json:"extendedKeyUsage"`
		KeyUsage         []string `json:"keyUsage"`
		KeyTypes         []string `json:"keyTypes"`
		ExportOption     string   `json:"exportOption"`
		ManagedBy        string   `json:"managedBy"`
	}
	NextToken *string
	MaxItems  *int
	SortBy    string
	SortOrder string
}

// Responses, member names as in ACM's model.

type wireDetail struct {
	CertificateArn           string
	DomainName               string               `json:",omitempty"`
	SubjectAlternativeNames  []string             `json:",omitempty"`
	ManagedBy                string               `json:",omitempty"`
	DomainValidationOptions  []wireValidation     `json:",omitempty"`
	Serial                   string               `json:",omitempty"`
	Subject                  string               `json:",omitempty"`
	Issuer                   string               `json:",omitempty"`
	CreatedAt                *epoch               `json:",omitempty"`
	IssuedAt                 *epoch               `json:",omitempty"`
	ImportedAt               *epoch               `json:",omitempty"`
	Status                   string               `json:",omitempty"`
	RevokedAt                *epoch               `json:",omitempty"`
	RevocationReason         string               `json:",omitempty"`
	NotBefore                *epoch               `json:",omitempty"`
	NotAfter                 *epoch               `json:",omitempty"`
	KeyAlgorithm             string               `json:",omitempty"`
	SignatureAlgorithm       string               `json:",omitempty"`
	InUseBy                  []string             // always present, [] when unused
	FailureReason            string               `json:",omitempty"`
	Type                     string               `json:",omitempty"`
	RenewalSummary           *wireRenewal         `json:",omitempty"`
	KeyUsages                []wireKeyUsage       `json:",omitempty"`
	ExtendedKeyUsages        []wireExtendedKeyUse `json:",omitempty"`
	CertificateAuthorityArn  string               `json:",omitempty"`
	RenewalEligibility       string               `json:",omitempty"`
	Options                  *wireOptions         `json:",omitempty"`
	CertificateKeyPairOrigin string               `json:",omitempty"`
}

type wireValidation struct {
	DomainName       string
	ValidationEmails []string            `json:",omitempty"`
	ValidationDomain string              `json:",omitempty"`
	ValidationStatus string              `json:",omitempty"`
	ResourceRecord   *wireResourceRecord `json:",omitempty"`
	HttpRedirect     *wireHTTPRedirect   `json:",omitempty"`
	ValidationMethod string              `json:",omitempty"`
}

type wireResourceRecord struct {
	Name  string
	Type  string
	Value string
}

type wireHTTPRedirect struct {
	RedirectFrom string `json:",omitempty"`
	RedirectTo   string `json:",omitempty"`
}

type wireRenewal struct {
	RenewalStatus           string
	DomainValidationOptions []wireValidation // required by the model: [] rather than absent
	RenewalStatusReason     string           `json:",omitempty"`
	UpdatedAt               *epoch           `json:",omitempty"`
}

type wireKeyUsage struct {
	Name string
}

type wireExtendedKeyUse struct {
	Name string `json:",omitempty"`
	OID  string `json:",omitempty"`
}

type wireOptions struct {
	CertificateTransparencyLoggingPreference string `json:",omitempty"`
	Export                                   string `json:",omitempty"`
}

type wireSummary struct {
	CertificateArn                       string
	DomainName                           string   `json:",omitempty"`
	SubjectAlternativeNameSummaries      []string `json:",omitempty"`
	HasAdditionalSubjectAlternativeNames bool
	Status                               string   `json:",omitempty"`
	Type                                 string   `json:",omitempty"`
	KeyAlgorithm                         string   `json:",omitempty"`
	KeyUsages                            []string `json:",omitempty"`
	ExtendedKeyUsages                    []string `json:",omitempty"`
	ExportOption                         string   `json:",omitempty"`
	InUse                                bool
	Exported                             bool
	RenewalEligibility                   string `json:",omitempty"`
	NotBefore                            *epoch `json:",omitempty"`
	NotAfter                             *epoch `json:",omitempty"`
	CreatedAt                            *epoch `json:",omitempty"`
	IssuedAt                             *epoch `json:",omitempty"`
	ImportedAt                           *epoch `json:",omitempty"`
	RevokedAt                            *epoch `json:",omitempty"`
	ManagedBy                            string `json:",omitempty"`
	CertificateKeyPairOrigin             string `json:",omitempty"`
}

type wireTag struct {
	Key   string
	Value string `json:",omitempty"`
}

// maxSANSummaries is how many names ListCertificates lists per
// certificate before it sets HasAdditionalSubjectAlternativeNames.
const maxSANSummaries = 100

func detailOf(c Certificate, arn string) wireDetail {
	if c.ARN != "" {
		arn = c.ARN
	}
	d := wireDetail{
		CertificateArn:           arn,
		DomainName:               c.DomainName,
		SubjectAlternativeNames:  c.SubjectAlternativeNames,
		ManagedBy:                c.ManagedBy,
		DomainValidationOptions:  validationsOf(c.DomainValidationOptions),
		Serial:                   c.Serial,
		Subject:                  c.Subject,
		Issuer:                   c.Issuer,
		CreatedAt:                ts(c.CreatedAt),
		IssuedAt:                 ts(c.IssuedAt),
		ImportedAt:               ts(c.ImportedAt),
		Status:                   c.Status,
		RevokedAt:                ts(c.RevokedAt),
		RevocationReason:         c.RevocationReason,
		NotBefore:                ts(c.NotBefore),
		NotAfter:                 ts(c.NotAfter),
		KeyAlgorithm:             c.KeyAlgorithm,
		SignatureAlgorithm:       c.SignatureAlgorithm,
		InUseBy:                  c.InUseBy,
		FailureReason:            c.FailureReason,
		Type:                     c.Type,
		CertificateAuthorityArn:  c.CertificateAuthorityARN,
		RenewalEligibility:       c.RenewalEligibility,
		CertificateKeyPairOrigin: c.KeyPairOrigin,
	}
	if d.InUseBy == nil {
		d.InUseBy = []string{}
	}
	if r := c.RenewalSummary; r != nil {
		d.RenewalSummary = &wireRenewal{
			RenewalStatus:           r.RenewalStatus,
			DomainValidationOptions: validationsOf(r.DomainValidationOptions),
			RenewalStatusReason:     r.RenewalStatusReason,
			UpdatedAt:               ts(r.UpdatedAt),
		}
		if d.RenewalSummary.DomainValidationOptions == nil {
			d.RenewalSummary.DomainValidationOptions = []wireValidation{}
		}
	}
	for _, u := range c.KeyUsages {
		d.KeyUsages = append(d.KeyUsages, wireKeyUsage{Name: u})
	}
	for _, u := range c.ExtendedKeyUsages {
		d.ExtendedKeyUsages = append(d.ExtendedKeyUsages, wireExtendedKeyUse(u))
	}
	if c.Options != (Options{}) {
		d.Options = &wireOptions{
			CertificateTransparencyLoggingPreference: c.Options.CertificateTransparencyLoggingPreference,
			Export:                                   c.Options.Export,
		}
	}
	return d
}

func validationsOf(dvs []DomainValidation) []wireValidation {
	var out []wireValidation
	for _, dv := range dvs {
		w := wireValidation{
			DomainName:       dv.DomainName,
			ValidationEmails: dv.ValidationEmails,
			ValidationDomain: dv.ValidationDomain,
			ValidationStatus: dv.ValidationStatus,
			ValidationMethod: dv.ValidationMethod,
		}
		if rr := dv.ResourceRecord; rr != nil {
			w.ResourceRecord = &wireResourceRecord{Name: rr.Name, Type: rr.Type, Value: rr.Value}
			if w.ResourceRecord.Type == "" {
				w.ResourceRecord.Type = "CNAME"
			}
		}
		if hr := dv.HTTPRedirect; hr != nil {
			w.HttpRedirect = &wireHTTPRedirect{RedirectFrom: hr.RedirectFrom, RedirectTo: hr.RedirectTo}
		}
		out = append(out, w)
	}
	return out
}

func summaryOf(c Certificate) wireSummary {
	s := wireSummary{
		CertificateArn:                  c.ARN,
		DomainName:                      c.DomainName,
		SubjectAlternativeNameSummaries: c.SubjectAlternativeNames,
		Status:                          c.Status,
		Type:                            c.Type,
		KeyAlgorithm:                    c.KeyAlgorithm,
		KeyUsages:                       c.KeyUsages,
		ExportOption:                    c.Options.Export,
		InUse:                           len(c.InUseBy) > 0,
		Exported:                        c.Exported,
		RenewalEligibility:              c.RenewalEligibility,
		NotBefore:                       ts(c.NotBefore),
		NotAfter:                        ts(c.NotAfter),
		CreatedAt:                       ts(c.CreatedAt),
		IssuedAt:                        ts(c.IssuedAt),
		ImportedAt:                      ts(c.ImportedAt),
		RevokedAt:                       ts(c.RevokedAt),
		ManagedBy:                       c.ManagedBy,
		CertificateKeyPairOrigin:        c.KeyPairOrigin,
	}
	if len(s.SubjectAlternativeNameSummaries) > maxSANSummaries {
		s.SubjectAlternativeNameSummaries = s.SubjectAlternativeNameSummaries[:maxSANSummaries]
		s.HasAdditionalSubjectAlternativeNames = true
	}
	for _, u := range c.ExtendedKeyUsages {
		s.ExtendedKeyUsages = append(s.ExtendedKeyUsages, u.Name)
	}
	return s
}
