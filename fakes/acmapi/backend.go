package acmapi

import "time"

// Backend is where the server gets its answers. The server calls it once or
// a few times per request, never caches what it returns, and holds its own
// lock while it does (see Server), so an implementation only has to
// synchronise with its own writers (the simulation), not with other
// requests.
//
// Every method answers for the current virtual time: the backend, not the
// server, decides what a caller may see (the status-visibility lag,
// eligibility, which states allow what). A method that refuses returns an
// *Error (possibly wrapped) naming the ACM exception; any other error
// becomes a 500 InternalFailure.
//
// The server has already checked the ARN's syntax and that Certificate(arn)
// reports the certificate before it calls PEM, Renew,
// ResendValidationEmail or Tags.
type Backend interface {
	// Certificates returns every certificate of the account, in a stable
	// order; ListCertificates filters, sorts and pages it.
	Certificates() []Certificate
	// Certificate returns the certificate with this ARN as DescribeCertificate
	// shows it, and false if there is none.
	Certificate(arn string) (Certificate, bool)
	// PEM returns the PEM of the current X.509 certificate and of its chain
	// (issuing CA first). When there is nothing to return it fails with an
	// *Error, typically RequestInProgress(arn).
	PEM(arn string) (certificate, chain string, err error)
	// Renew asks for a renewal (RenewCertificate). It fails with an *Error
	// where ACM does not allow it, for example NotEligible(arn).
	Renew(arn string) error
	// ResendValidationEmail sends the approval e-mail for domain again,
	// to the addresses at validationDomain. The server has checked that
	// domain is a name of the certificate validated by EMAIL and that
	// validationDomain is domain or a superdomain of it; the backend
	// decides whether the certificate's state allows a resend (otherwise
	// InvalidState) and sends through the SMTP sink.
	ResendValidationEmail(arn, domain, validationDomain string) error
	// ExpiryEventsDays is the account's DaysBeforeExpiry (ACM's default
	// is 45).
	ExpiryEventsDays() int
	// SetExpiryEventsDays changes it (PutAccountConfiguration). The server
	// has checked days >= 1.
	SetExpiryEventsDays(days int) error
	// Tags returns the certificate's tags in a stable order.
	Tags(arn string) []Tag
}

// Certificate is what DescribeCertificate shows of one certificate (ACM's
// CertificateDetail) plus the few fields ListCertificates needs. Enum fields
// hold ACM's wire values (the constants below); an empty string, a nil
// slice or pointer and a zero time.Time are left out of the response.
type Certificate struct {
	ARN                     string
	DomainName              string
	SubjectAlternativeNames []string
	// DomainValidationOptions describes the initial validation of each
	// name (AMAZON_ISSUED only).
	DomainValidationOptions []DomainValidation

	Serial             string
	Subject            string
	Issuer             string
	SignatureAlgorithm string

	CreatedAt  time.Time
	IssuedAt   time.Time // AMAZON_ISSUED only
	ImportedAt time.Time // IMPORTED only
	RevokedAt  time.Time
	NotBefore  time.Time
	NotAfter   time.Time

	Status           string // Status*
	FailureReason    string // FAILED only; FailureReason* values
	RevocationReason string

	// InUseBy lists the ARNs of the resources that use the certificate.
	// DescribeCertificate always sends the list (empty when unused), as ACM
	// does; ListCertificates reports InUse = len(InUseBy) > 0.
	InUseBy []string

	Type               string // Type*
	RenewalEligibility string // Eligible or Ineligible
	RenewalSummary     *RenewalSummary

	KeyAlgorithm      string // Key* values, e.g. KeyRSA2048
	KeyUsages         []string
	ExtendedKeyUsages []ExtendedKeyUsage

	// Exported is reported by ListCertificates only (CertificateDetail has
	// no such member).
	Exported bool
	Options  Options

	CertificateAuthorityARN string
	ManagedBy               string // "" or "CLOUDFRONT"
	// KeyPairOrigin is AWS_MANAGED, CUSTOMER_PROVIDED or ACME; "" is sent
	// as nothing and counts as CUSTOMER_PROVIDED for IMPORTED certificates
	// and AWS_MANAGED otherwise when ListCertificates filters by origin.
	KeyPairOrigin string
}

// DomainValidation is the validation state of one name.
type DomainValidation struct {
	DomainName       string
	ValidationDomain string
	ValidationEmails []string
	ValidationStatus string // DomainPending, DomainSuccess or DomainFailed
	ValidationMethod string // MethodEmail, MethodDNS or MethodHTTP
	ResourceRecord   *ResourceRecord
	HTTPRedirect     *HTTPRedirect
}

// ResourceRecord is the CNAME a DNS-validated name needs.
type ResourceRecord struct {
	Name  string
	Type  string // "CNAME"; "" is sent as CNAME
	Value string
}

// HTTPRedirect is what an HTTP-validated name must redirect.
type HTTPRedirect struct {
	RedirectFrom string
	RedirectTo   string
}

// RenewalSummary is the state of ACM's managed renewal.
type RenewalSummary struct {
	RenewalStatus           string // Renewal* values
	RenewalStatusReason     string // FailureReason* values
	DomainValidationOptions []DomainValidation
	UpdatedAt               time.Time
}

// Options are the certificate's options.
type Options struct {
	Export                                   string // "ENABLED", "DISABLED" or ""
	CertificateTransparencyLoggingPreference string // "ENABLED", "DISABLED" or ""
}

// ExtendedKeyUsage is one extended key usage, e.g.
// {"TLS_WEB_SERVER_AUTHENTICATION", "1.3.6.1.5.5.7.3.1"}.
type ExtendedKeyUsage struct {
	Name string
	OID  string
}

// Tag is one certificate tag. An empty Value is sent as no value, which is
// how ACM shows a tag added without one.
type Tag struct {
	Key   string
	Value string
}

// ACM's wire values (aws-sdk-go-v2 service/acm/types/enums.go).
const (
	StatusPendingValidation  = "PENDING_VALIDATION"
	StatusIssued             = "ISSUED"
	StatusInactive           = "INACTIVE"
	StatusExpired            = "EXPIRED"
	StatusValidationTimedOut = "VALIDATION_TIMED_OUT"
	StatusRevoked            = "REVOKED"
	StatusFailed             = "FAILED"

	RenewalPendingAutoRenewal = "PENDING_AUTO_RENEWAL"
	RenewalPendingValidation  = "PENDING_VALIDATION"
	RenewalSuccess            = "SUCCESS"
	RenewalFailed             = "FAILED"

	DomainPending = "PENDING_VALIDATION"
	DomainSuccess = "SUCCESS"
	DomainFailed  = "FAILED"

	MethodEmail = "EMAIL"
	MethodDNS   = "DNS"
	MethodHTTP  = "HTTP"

	Eligible   = "ELIGIBLE"
	Ineligible = "INELIGIBLE"

	TypeAmazonIssued = "AMAZON_ISSUED"
	TypeImported     = "IMPORTED"
	TypePrivate      = "PRIVATE"

	KeyRSA1024      = "RSA_1024"
	KeyRSA2048      = "RSA_2048"
	KeyRSA3072      = "RSA_3072"
	KeyRSA4096      = "RSA_4096"
	KeyECPrime256v1 = "EC_prime256v1"
	KeyECSecp384r1  = "EC_secp384r1"
	KeyECSecp521r1  = "EC_secp521r1"

	FailureReasonCAAError                 = "CAA_ERROR"
	FailureReasonNoAvailableContacts      = "NO_AVAILABLE_CONTACTS"
	FailureReasonAdditionalVerification   = "ADDITIONAL_VERIFICATION_REQUIRED"
	FailureReasonDomainNotAllowed         = "DOMAIN_NOT_ALLOWED"
	FailureReasonInvalidPublicDomain      = "INVALID_PUBLIC_DOMAIN"
	FailureReasonDomainValidationDenied   = "DOMAIN_VALIDATION_DENIED"
	FailureReasonServiceLinkedRoleMissing = "SLR_NOT_FOUND"
	FailureReasonOther                    = "OTHER"
)

// defaultKeyTypes are the key algorithms ListCertificates returns when the
// request names none in Includes.keyTypes. ACM's Filters reference says
// "Default filtering returns only RSA_1024 and RSA_2048 certificates that
// have at least one domain"; the ListCertificates page itself mentions only
// RSA_2048. Certificates with another key (EC_prime256v1, RSA_4096, ...)
// are therefore hidden unless asked for.
var defaultKeyTypes = []string{KeyRSA1024, KeyRSA2048}
