package sim

import (
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ResourceAddress is the loopback address of the i-th resource of a
// scenario: its hostnames' A records point there, and its TLS and HTTP
// sides listen there. Resources count up from 127.0.1.1 through the rest of
// 127.0.0.0/8, which is loopback as a whole, so a scenario may hold about
// sixteen million of them.
func ResourceAddress(i int) string {
	n := 256 + 1 + i // 127.0.1.1 is the first
	return fmt.Sprintf("127.%d.%d.%d", n>>16&0xff, n>>8&0xff, n&0xff)
}

// AdminAddresses are the five addresses ACM writes to at a validation
// domain.
func AdminAddresses(domain string) []string {
	var out []string
	for _, local := range []string{"admin", "administrator", "hostmaster", "postmaster", "webmaster"} {
		out = append(out, local+"@"+domain)
	}
	return out
}

// DefaultValidationDomain is where ACM sends the approval e-mail of name by
// default: the name minus a leading "www." or "*.".
func DefaultValidationDomain(name string) string {
	n := strings.TrimSuffix(strings.ToLower(name), ".")
	n = strings.TrimPrefix(n, "*.")
	return strings.TrimPrefix(n, "www.")
}

// ValidationDomain is where the approval e-mail of name goes for c: its
// validation_domain when the scenario gives one, else the default.
func (c *Certificate) ValidationDomain(name string) string {
	if d, ok := c.ValidationDomains[name]; ok && d != "" {
		return d
	}
	return DefaultValidationDomain(name)
}

// Recipients are the addresses an approval e-mail for validation domain vd
// goes to: the WHOIS contacts when the profile still mails them, then the
// five admin addresses, without repeats.
func Recipients(sc *Scenario, vd string) []string {
	var to []string
	if sc.Profile.WhoisContacts {
		to = append(to, WhoisContacts(sc.Whois, vd)...)
	}
	for _, a := range AdminAddresses(vd) {
		if !slices.Contains(to, a) {
			to = append(to, a)
		}
	}
	return to
}

// WhoisContacts returns the contacts declared for the registered domain
// that covers domain (the longest declared suffix).
func WhoisContacts(entries []WhoisEntry, domain string) []string {
	best := -1
	for i, e := range entries {
		d := strings.ToLower(e.Domain)
		if (domain == d || strings.HasSuffix(domain, "."+d)) && (best < 0 || len(d) > len(entries[best].Domain)) {
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	return entries[best].Contacts
}

// LinkPlaceholder stands for the approval link in an e-mail body the model
// writes; the driver replaces it with the link the approval endpoint gave.
const LinkPlaceholder = "{{approval-link}}"

// ApprovalEmail is the approval e-mail ACM sends for domain.
func ApprovalEmail(p *Profile, arn, domain, validationDomain, link string) (subject, body string) {
	subject = "Certificate request for " + domain
	body = fmt.Sprintf(`Greetings from Amazon Web Services,

We received a request to issue an SSL/TLS certificate for %s.

Verify that the following domain, AWS account ID, and certificate identifier
correspond to a request from you or someone in your organization.

Domain: %s
Validation domain: %s
AWS account ID: %s
AWS Region name: %s
Certificate Identifier: %s

To approve this request, go to Amazon Certificate Approvals
(%s)
and follow the instructions on the page.

This e-mail is intended solely for authorized individuals for %s. The link
expires %s after this message was sent.

Sincerely,
Amazon Web Services (simulated by renewsim)
`, domain, domain, validationDomain, p.Account, p.Region, arn, link, validationDomain, FormatDuration(p.ApprovalLinkTTL))
	return subject, body
}

// InstructionEmail is the legacy e-mail telling the account owner that
// renewal failed and how to fix it by hand.
func InstructionEmail(p *Profile, arn, domain, method string, notAfter time.Time) (subject, body string) {
	subject = "Action required: your certificate for " + domain + " could not be renewed"
	fix := "Make sure the DNS CNAME records that ACM provided for validation are present in your zone."
	if method == "EMAIL" {
		fix = "Make sure the HTTPS requests for each domain name reach the resource that serves this certificate, or approve the validation e-mails ACM sends."
	}
	body = fmt.Sprintf(`Greetings from Amazon Web Services,

AWS Certificate Manager could not automatically renew the certificate
%s (%s) in region %s of account %s. It expires on %s.

%s

Sincerely,
Amazon Web Services (simulated by renewsim)
`, arn, domain, p.Region, p.Account, notAfter.UTC().Format(time.RFC3339), fix)
	return subject, body
}

// HTTPToken is the HTTP validation token of a name: the path the resource
// must serve, the content it must return, and the ACM URL it may redirect to.
func HTTPToken(seed uint64, p *Profile, name string) (path, content, redirect string) {
	base := BaseName(name)
	t := digest(seed, "http-token", p.Account, base)
	c := digest(seed, "http-content", p.Account, base)
	id := digest(seed, "http-id", p.Account, base)
	token := hex.EncodeToString(t[:16])
	path = "/.well-known/pki-validation/" + token + ".txt"
	content = hex.EncodeToString(c[:32])
	redirect = fmt.Sprintf("https://validation.%s.acm-validations.aws/%s%s", p.Region, hex.EncodeToString(id[:8]), path)
	return path, content, redirect
}

// amazonCAs are the CAA identities that allow Amazon to issue.
var amazonCAs = []string{"amazon.com", "amazontrust.com", "awstrust.com", "amazonaws.com"}

// JudgeCAA applies the CAA rules to the record set that governs name: for
// a wildcard name issuewild records decide when there are any, issue
// records otherwise; one of them must name an Amazon identity; a record
// with no identity (";") forbids all. No records at all allows any CA.
func JudgeCAA(name string, a CAAAnswer) CAAAnswer {
	a.Name = name
	if a.Err != "" {
		a.OK = false
		a.Cause = CauseCAALookupFailed
		a.Problem = "the CAA lookup failed: " + a.Err
		return a
	}
	var issue, wild []string
	for _, r := range a.Records {
		f := strings.Fields(r)
		if len(f) < 3 {
			continue
		}
		val := strings.Trim(strings.Join(f[2:], " "), `"`)
		switch strings.ToLower(f[1]) {
		case "issue":
			issue = append(issue, val)
		case "issuewild":
			wild = append(wild, val)
		}
	}
	use, tag := issue, "issue"
	if strings.HasPrefix(name, "*.") && len(wild) > 0 {
		use, tag = wild, "issuewild"
	}
	if len(use) == 0 {
		a.OK = true
		return a
	}
	for _, v := range use {
		ca := strings.ToLower(strings.TrimSpace(strings.SplitN(v, ";", 2)[0]))
		for _, id := range amazonCAs {
			if ca == id {
				a.OK = true
				return a
			}
		}
	}
	a.OK = false
	a.Cause = CauseCAAForbids
	a.Problem = fmt.Sprintf("CAA %s at %s allows only %s, not Amazon", tag, a.FoundAt, strings.Join(use, ", "))
	if len(use) == 1 && strings.TrimSpace(strings.SplitN(use[0], ";", 2)[0]) == "" {
		a.Problem = fmt.Sprintf("CAA %s \";\" at %s forbids every CA", tag, a.FoundAt)
	}
	return a
}
