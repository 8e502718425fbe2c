package acmapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// operation runs one ACM operation on a request body; a nil result with a
// nil error is an empty 200 answer. It records the request's ARN in rec.
type operation func(s *Server, body []byte, rec *Request) (any, error)

// operations are the ACM operations this endpoint serves. Any other
// X-Amz-Target, ACM's other operations included, is answered
// UnknownOperationException.
var operations = map[string]operation{
	"DescribeCertificate":     (*Server).describeCertificate,
	"ListCertificates":        (*Server).listCertificates,
	"GetCertificate":          (*Server).getCertificate,
	"RenewCertificate":        (*Server).renewCertificate,
	"ResendValidationEmail":   (*Server).resendValidationEmail,
	"GetAccountConfiguration": (*Server).getAccountConfiguration,
	"PutAccountConfiguration": (*Server).putAccountConfiguration,
	"ListTagsForCertificate":  (*Server).listTagsForCertificate,
}

// Operations lists the operations this endpoint serves, sorted.
func Operations() []string {
	names := make([]string, 0, len(operations))
	for n := range operations {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func servedOperations() string { return strings.Join(Operations(), ", ") }

// decode reads a JSON object into v. An empty body counts as {} (the
// protocol requires servers to accept it). Type mismatches and malformed
// JSON are SerializationExceptions, as in AWS's JSON services.
func decode(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	err := json.Unmarshal(body, v)
	if err == nil {
		return nil
	}
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) {
		if ute.Field == "" {
			return &Error{Type: ErrSerialization, Message: fmt.Sprintf("expected a JSON object as the request body, got %s", ute.Value)}
		}
		return &Error{Type: ErrSerialization, Message: fmt.Sprintf("unexpected JSON %s for member '%s'", ute.Value, ute.Field)}
	}
	return &Error{Type: ErrSerialization, Message: "malformed JSON request body: " + strings.TrimPrefix(err.Error(), "json: ")}
}

// certificate checks a CertificateArn member and looks the certificate up:
// absent → ValidationException, malformed → InvalidArnException, unknown →
// ResourceNotFoundException.
func (s *Server) certificate(p *string, rec *Request) (Certificate, string, error) {
	if p == nil {
		var v validationErrors
		v.null("certificateArn")
		return Certificate{}, "", v.err()
	}
	arn := *p
	if len(arn) > maxARNLength {
		rec.ARN = arn[:maxARNLength]
		var v validationErrors
		v.maxLen("certificateArn", p, maxARNLength)
		return Certificate{}, "", v.err()
	}
	rec.ARN = arn
	if !ValidARN(arn) {
		return Certificate{}, arn, InvalidArn(arn)
	}
	// Each regional endpoint knows its own region's certificates only.
	if !inRegion(arn, rec) {
		return Certificate{}, arn, NotFound(arn)
	}
	c, ok := s.backend.Certificate(arn)
	if !ok {
		return Certificate{}, arn, NotFound(arn)
	}
	return c, arn, nil
}

// certificateIn reads a request whose only member is CertificateArn and
// looks the certificate up (see certificate).
func (s *Server) certificateIn(body []byte, rec *Request) (Certificate, string, error) {
	var in arnRequest
	if err := decode(body, &in); err != nil {
		return Certificate{}, "", err
	}
	return s.certificate(in.CertificateArn, rec)
}

func (s *Server) describeCertificate(body []byte, rec *Request) (any, error) {
	c, arn, err := s.certificateIn(body, rec)
	if err != nil {
		return nil, err
	}
	return struct{ Certificate wireDetail }{detailOf(c, arn)}, nil
}

func (s *Server) getCertificate(body []byte, rec *Request) (any, error) {
	_, arn, err := s.certificateIn(body, rec)
	if err != nil {
		return nil, err
	}
	cert, chain, err := s.backend.PEM(arn)
	if err != nil {
		return nil, err
	}
	if cert == "" {
		return nil, RequestInProgress(arn)
	}
	return struct {
		Certificate      string
		CertificateChain string `json:",omitempty"`
	}{cert, chain}, nil
}

func (s *Server) renewCertificate(body []byte, rec *Request) (any, error) {
	_, arn, err := s.certificateIn(body, rec)
	if err != nil {
		return nil, err
	}
	return nil, s.backend.Renew(arn)
}

func (s *Server) resendValidationEmail(body []byte, rec *Request) (any, error) {
	var in resendRequest
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	var v validationErrors
	if in.CertificateArn == nil {
		v.null("certificateArn")
	}
	if in.Domain == nil {
		v.null("domain")
	}
	if in.ValidationDomain == nil {
		v.null("validationDomain")
	}
	v.maxLen("certificateArn", in.CertificateArn, maxARNLength)
	v.maxLen("domain", in.Domain, maxDomainLength)
	v.maxLen("validationDomain", in.ValidationDomain, maxDomainLength)
	if e := v.err(); e != nil {
		if in.CertificateArn != nil {
			rec.ARN = *in.CertificateArn
			if len(rec.ARN) > maxARNLength {
				rec.ARN = rec.ARN[:maxARNLength]
			}
		}
		return nil, e
	}
	c, arn, err := s.certificate(in.CertificateArn, rec)
	if err != nil {
		return nil, err
	}
	domain, vd := *in.Domain, normalise(*in.ValidationDomain)
	name, dv, ok := findName(c, domain)
	if !ok {
		return nil, InvalidDomainValidationOptions(fmt.Sprintf("%s is not a domain name of certificate %s.", domain, arn))
	}
	if !isSameOrSuperdomain(vd, name) {
		return nil, InvalidDomainValidationOptions(fmt.Sprintf(
			"ValidationDomain %s must be %s or a superdomain of it.", *in.ValidationDomain, strings.TrimPrefix(name, "*.")))
	}
	if dv != nil && dv.ValidationMethod != "" && dv.ValidationMethod != MethodEmail {
		return nil, InvalidState(fmt.Sprintf("%s of certificate %s is validated by %s, not by e-mail.", name, arn, dv.ValidationMethod))
	}
	return nil, s.backend.ResendValidationEmail(arn, name, vd)
}

// normalise is how names are compared: lower case, no trailing dot.
func normalise(name string) string { return strings.ToLower(strings.TrimSuffix(name, ".")) }

// findName finds domain among the certificate's names and returns the
// certificate's own spelling of it with its validation record (nil when
// the certificate describes none).
func findName(c Certificate, domain string) (string, *DomainValidation, bool) {
	want := normalise(domain)
	lists := [][]DomainValidation{c.DomainValidationOptions}
	if c.RenewalSummary != nil {
		lists = append(lists, c.RenewalSummary.DomainValidationOptions)
	}
	for _, list := range lists {
		for i := range list {
			if normalise(list[i].DomainName) == want {
				return list[i].DomainName, &list[i], true
			}
		}
	}
	for _, n := range append([]string{c.DomainName}, c.SubjectAlternativeNames...) {
		if n != "" && normalise(n) == want {
			return n, nil, true
		}
	}
	return "", nil, false
}

// isSameOrSuperdomain reports whether vd may receive the approval mail for
// name: vd must be name (without a leading "*.") or one of its
// superdomains, and not a bare top-level label.
func isSameOrSuperdomain(vd, name string) bool {
	base := normalise(strings.TrimPrefix(name, "*."))
	if !strings.Contains(vd, ".") {
		return false
	}
	return vd == base || strings.HasSuffix(base, "."+vd)
}

func (s *Server) getAccountConfiguration(_ []byte, _ *Request) (any, error) {
	type expiry struct {
		DaysBeforeExpiry int `json:",omitempty"`
	}
	return struct{ ExpiryEvents expiry }{expiry{s.backend.ExpiryEventsDays()}}, nil
}

// idempotencyToken is the IdempotencyToken shape's pattern, anchored.
var idempotencyToken = regexp.MustCompile(`^\w+$`)

func (s *Server) putAccountConfiguration(body []byte, _ *Request) (any, error) {
	var in putConfigRequest
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	var v validationErrors
	switch tok := in.IdempotencyToken; {
	case tok == nil:
		v.null("idempotencyToken")
	case len(*tok) < 1:
		v.add("Value '%s' at 'idempotencyToken' failed to satisfy constraint: Member must have length greater than or equal to 1", *tok)
	case len(*tok) > 32:
		v.add("Value '%s' at 'idempotencyToken' failed to satisfy constraint: Member must have length less than or equal to 32", *tok)
	case !idempotencyToken.MatchString(*tok):
		v.add("Value '%s' at 'idempotencyToken' failed to satisfy constraint: Member must satisfy regular expression pattern: \\w+", *tok)
	}
	var days *int
	if in.ExpiryEvents != nil {
		days = in.ExpiryEvents.DaysBeforeExpiry
	}
	if days != nil && *days < 1 {
		v.add("Value '%d' at 'expiryEvents.daysBeforeExpiry' failed to satisfy constraint: Member must have value greater than or equal to 1", *days)
	}
	if e := v.err(); e != nil {
		return nil, e
	}
	if days == nil {
		return nil, nil // nothing to change
	}
	return nil, s.backend.SetExpiryEventsDays(*days)
}

func (s *Server) listTagsForCertificate(body []byte, rec *Request) (any, error) {
	_, arn, err := s.certificateIn(body, rec)
	if err != nil {
		return nil, err
	}
	tags := []wireTag{}
	for _, t := range s.backend.Tags(arn) {
		tags = append(tags, wireTag(t))
	}
	return struct{ Tags []wireTag }{tags}, nil
}
