package acmapi

import (
	"fmt"
	"regexp"
	"strings"
)

// certificateARN is the shape of every ACM certificate ARN:
// arn:<partition>:acm:<region>:<12-digit account>:certificate/<uuid>.
var certificateARN = regexp.MustCompile(`^arn:aws(-[a-z]+)*:acm:[a-z]{2}(-[a-z]+)+-[0-9]+:[0-9]{12}:certificate/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// ValidARN reports whether s has the shape of an ACM certificate ARN. The
// server answers InvalidArnException for any other string without asking
// the Backend.
func ValidARN(s string) bool { return certificateARN.MatchString(s) }

// validationErrors collects constraint violations the way AWS's request
// validation words them: "2 validation errors detected: Value null at
// 'domain' failed to satisfy constraint: Member must not be null; ...".
type validationErrors []string

func (v *validationErrors) add(format string, args ...any) {
	*v = append(*v, fmt.Sprintf(format, args...))
}

func (v *validationErrors) null(member string) {
	v.add("Value null at '%s' failed to satisfy constraint: Member must not be null", member)
}

// Length limits of ACM's model: the Arn and DomainNameString shapes.
const (
	maxARNLength    = 2048
	maxDomainLength = 253
)

// maxLen checks a string's length. The message does not quote the value,
// which may be most of a megabyte.
func (v *validationErrors) maxLen(member string, value *string, max int) {
	if value != nil && len(*value) > max {
		v.add("Value at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", member, max)
	}
}

// enum checks every value against the allowed set.
func (v *validationErrors) enum(member string, values []string, allowed []string) {
	for _, val := range values {
		if !contains(allowed, val) {
			v.add("Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]",
				val, member, strings.Join(allowed, ", "))
		}
	}
}

func (v validationErrors) err() *Error {
	switch len(v) {
	case 0:
		return nil
	case 1:
		return Validation("1 validation error detected: " + v[0])
	default:
		return Validation(fmt.Sprintf("%d validation errors detected: %s", len(v), strings.Join(v, "; ")))
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Allowed enum values of the request members the server checks.
var (
	allStatuses = []string{StatusPendingValidation, StatusIssued, StatusInactive, StatusExpired,
		StatusValidationTimedOut, StatusRevoked, StatusFailed}
	allKeyTypes = []string{KeyRSA1024, KeyRSA2048, KeyRSA3072, KeyRSA4096,
		KeyECPrime256v1, KeyECSecp384r1, KeyECSecp521r1}
	allKeyUsages = []string{"DIGITAL_SIGNATURE", "NON_REPUDIATION", "KEY_ENCIPHERMENT",
		"DATA_ENCIPHERMENT", "KEY_AGREEMENT", "CERTIFICATE_SIGNING", "CRL_SIGNING",
		"ENCIPHER_ONLY", "DECIPHER_ONLY", "ANY", "CUSTOM"}
	allExtendedKeyUsages = []string{"TLS_WEB_SERVER_AUTHENTICATION", "TLS_WEB_CLIENT_AUTHENTICATION",
		"CODE_SIGNING", "EMAIL_PROTECTION", "TIME_STAMPING", "OCSP_SIGNING", "IPSEC_END_SYSTEM",
		"IPSEC_TUNNEL", "IPSEC_USER", "ANY", "NONE", "CUSTOM"}
	allKeyPairOrigins = []string{"AWS_MANAGED", "ACME", "CUSTOMER_PROVIDED"}
	allExportOptions  = []string{"ENABLED", "DISABLED"}
	allManagedBy      = []string{"CLOUDFRONT"}
	allSortBy         = []string{"CREATED_AT"}
	allSortOrders     = []string{"ASCENDING", "DESCENDING"}
)
