package run

import (
	"fmt"
	"slices"
	"strings"

	"github.com/renewsim/renewsim/fakes/acmapi"
	faketls "github.com/renewsim/renewsim/fakes/tls"
	"github.com/renewsim/renewsim/sim"
)

// ACMBackend answers the ACM API from a live simulation: what
// DescribeCertificate shows is the record replayed up to now minus the
// status lag (sim.View); RenewCertificate and ResendValidationEmail become
// world changes the model applies at the current virtual time.
type ACMBackend struct {
	l *Live
}

// NewACMBackend serves l through the ACM API.
func NewACMBackend(l *Live) *ACMBackend { return &ACMBackend{l: l} }

var _ acmapi.Backend = (*ACMBackend)(nil)

// Certificates lists every certificate of the scenario.
func (b *ACMBackend) Certificates() []acmapi.Certificate {
	specs := b.specs()
	var out []acmapi.Certificate
	for _, v := range b.l.View() {
		if v.ARN != "" {
			out = append(out, b.describe(v, specs[v.ID]))
		}
	}
	return out
}

// specs indexes the scenario's certificates by id.
func (b *ACMBackend) specs() map[string]*sim.Certificate {
	sc := b.l.Scenario()
	m := make(map[string]*sim.Certificate, len(sc.Certificates))
	for i := range sc.Certificates {
		m[sc.Certificates[i].ID] = &sc.Certificates[i]
	}
	return m
}

// Certificate describes one certificate.
func (b *ACMBackend) Certificate(arn string) (acmapi.Certificate, bool) {
	v, ok := b.find(arn)
	if !ok {
		return acmapi.Certificate{}, false
	}
	return b.describe(v, b.specs()[v.ID]), true
}

func (b *ACMBackend) find(arn string) (sim.CertView, bool) { return b.l.ViewOf(arn) }

// describe is DescribeCertificate's view of v, whose X.509 certificate (its
// key, issuer, signature and usages) is the one a live run issues for spec
// (issuers.go), reported without issuing it.
func (b *ACMBackend) describe(v sim.CertView, spec *sim.Certificate) acmapi.Certificate {
	sc := b.l.Scenario()
	p := profileOf(spec, v.ARN, v.NotBefore)
	c := acmapi.Certificate{
		ARN: v.ARN, DomainName: v.Domain, SubjectAlternativeNames: v.Names, Serial: v.Serial,
		Subject: "CN=" + v.Domain, Issuer: p.issuer, SignatureAlgorithm: p.signature,
		CreatedAt: v.CreatedAt, NotBefore: v.NotBefore, NotAfter: v.NotAfter,
		Status: string(v.Status), RenewalEligibility: string(v.Eligibility), Exported: v.Exported,
		KeyAlgorithm: p.key, KeyUsages: p.keyUsages, ExtendedKeyUsages: p.ekus,
		CertificateAuthorityARN: p.caARN,
		InUseBy:                 []string{},
		Options:                 acmapi.Options{CertificateTransparencyLoggingPreference: "ENABLED", Export: "DISABLED"},
	}
	if v.Serial == "" {
		// Not issued yet: there is no X.509 certificate to describe.
		c.Issuer, c.SignatureAlgorithm, c.KeyUsages, c.ExtendedKeyUsages = "", "", nil, nil
	}
	switch v.Type {
	case sim.TypeImported:
		c.Type, c.ImportedAt = acmapi.TypeImported, v.CreatedAt
	case sim.TypePrivate, sim.TypePrivateCA:
		c.Type, c.IssuedAt = acmapi.TypePrivate, v.IssuedAt
		// A private CA's certificates go to no public log.
		c.Options.CertificateTransparencyLoggingPreference = "DISABLED"
	default:
		c.Type, c.IssuedAt = acmapi.TypeAmazonIssued, v.IssuedAt
	}
	where := spec.ProfileFor(&sc.Profile) // the account and region of the certificate, and so of its users
	for _, id := range v.InUseBy {
		c.InUseBy = append(c.InUseBy, resourceARN(sc, where, id))
	}
	if v.Type == sim.TypeAmazonIssued {
		var initial, renewal []acmapi.DomainValidation
		for _, n := range v.NameStatus {
			dv := acmapi.DomainValidation{DomainName: n.Domain, ValidationDomain: n.ValidationDomain, ValidationMethod: n.Method,
				ValidationEmails: n.Emails, ValidationStatus: string(sim.ValidationSuccess)}
			if n.Record != "" {
				dv.ResourceRecord = &acmapi.ResourceRecord{Name: n.Record, Type: "CNAME", Value: n.Value}
			}
			if n.RedirectFrom != "" {
				dv.HTTPRedirect = &acmapi.HTTPRedirect{RedirectFrom: n.RedirectFrom, RedirectTo: n.RedirectTo}
			}
			initial = append(initial, dv)
			dv.ValidationStatus = string(n.Status)
			renewal = append(renewal, dv)
		}
		c.DomainValidationOptions = initial
		if v.RenewalStatus != "" {
			c.RenewalSummary = &acmapi.RenewalSummary{RenewalStatus: string(v.RenewalStatus), RenewalStatusReason: v.Reason,
				DomainValidationOptions: renewal, UpdatedAt: v.RenewalUpdated}
		}
	}
	return c
}

// resourceARN names a scenario resource the way its AWS service would.
func resourceARN(sc *sim.Scenario, p *sim.Profile, id string) string {
	for _, r := range sc.Resources {
		if r.ID != id {
			continue
		}
		switch r.Kind {
		case "elb":
			return fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/%s/0123456789abcdef", p.Region, p.Account, id)
		case "cloudfront":
			return fmt.Sprintf("arn:aws:cloudfront::%s:distribution/%s", p.Account, strings.ToUpper(id))
		case "apigateway":
			return fmt.Sprintf("arn:aws:apigateway:%s::/domainnames/%s", p.Region, id)
		}
	}
	return fmt.Sprintf("arn:aws:renewsim:%s:%s:resource/%s", p.Region, p.Account, id)
}

// PEM is the current certificate as the simulator CA issued it, and the CA.
func (b *ACMBackend) PEM(arn string) (string, string, error) {
	v, ok := b.find(arn)
	if !ok {
		return "", "", acmapi.NotFound(arn)
	}
	leaf, err := b.l.leaf(v)
	if err != nil {
		return "", "", acmapi.Internal(err.Error())
	}
	return string(leaf.PEM()), string(leaf.ChainPEM()), nil
}

// leaf returns the certificate v describes, issuing it (deterministically)
// when no resource serves it.
func (l *Live) leaf(v sim.CertView) (*faketls.Leaf, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	key := leafKey{v.Serial, strings.Join(v.Names, ","), v.NotBefore.UnixNano(), v.NotAfter.UnixNano()}
	if leaf, ok := l.w.leaves[key]; ok {
		return leaf, nil
	}
	i := slices.IndexFunc(l.r.res.Scenario.Certificates, func(c sim.Certificate) bool { return c.ID == v.ID })
	if i < 0 {
		return nil, fmt.Errorf("no certificate %q", v.ID)
	}
	leaf, err := l.w.issue(i, v.Serial, v.Names, v.NotBefore, v.NotAfter)
	if err == nil {
		l.w.leaves[key] = leaf
	}
	return leaf, err
}

// Renew is RenewCertificate: ACM renews on request an eligible private or
// amazon-issued certificate that was exported since it was issued or last
// renewed (S18, force-certificate-renewal); the model applies the same rule
// to the request it is given.
func (b *ACMBackend) Renew(arn string) error {
	v, ok := b.find(arn)
	switch {
	case !ok:
		return acmapi.NotFound(arn)
	case (v.Type != sim.TypePrivate && v.Type != sim.TypeAmazonIssued) || v.Status != sim.StatusIssued || v.Eligibility != sim.Eligible || !v.Exported:
		return acmapi.NotEligible(arn)
	}
	return b.l.Inject(sim.Change{Do: sim.DoRenewCertificate, Cert: v.ID})
}

// ResendValidationEmail sends fresh approval e-mails while a renewal waits
// for them.
func (b *ACMBackend) ResendValidationEmail(arn, domain, validationDomain string) error {
	v, ok := b.find(arn)
	switch {
	case !ok:
		return acmapi.NotFound(arn)
	case v.Status != sim.StatusIssued || v.RenewalStatus != sim.RenewalPendingValidation:
		return acmapi.InvalidState(fmt.Sprintf("Certificate %s is not waiting for domain validation.", arn))
	}
	return b.l.Inject(sim.Change{Do: sim.DoResendValidationEmail, Cert: v.ID})
}

// ExpiryEventsDays is from how many days before expiry Approaching
// Expiration events go out.
func (b *ACMBackend) ExpiryEventsDays() int {
	b.l.mu.Lock()
	defer b.l.mu.Unlock()
	return b.l.r.res.Scenario.Profile.ApproachingDaysPublic
}

// SetExpiryEventsDays changes it for the certificates' next cycles.
func (b *ACMBackend) SetExpiryEventsDays(days int) error {
	b.l.mu.Lock()
	defer b.l.mu.Unlock()
	p := &b.l.r.res.Scenario.Profile
	p.ApproachingDaysPublic, p.ApproachingDaysPrivate = days, days
	return nil
}

// Tags: scenarios declare none.
func (b *ACMBackend) Tags(string) []acmapi.Tag { return nil }
