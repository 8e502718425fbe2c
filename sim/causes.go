package sim

// Cause says, in the troubleshooting guide's terms, why a check failed or
// why a certificate is not renewed. The model writes it next to its prose
// (NameCheck.Cause, CAAAnswer.Cause, Detail.Cause) so that reports and
// `renewsim check` decide from these codes, never from the sentences.
type Cause string

// Why a name did not validate.
const (
	CauseCNAMEMissing      Cause = "cname-missing"        // NXDOMAIN: deleted, wrong zone or doubled suffix
	CauseCNAMENoData       Cause = "cname-nodata"         // the name exists without a CNAME
	CauseCNAMEWrong        Cause = "cname-wrong"          // points somewhere other than ACM's value
	CauseCNAMEChainTooLong Cause = "cname-chain-too-long" // reaches the value through too many CNAMEs, or never
	CauseDNSError          Cause = "dns-error"            // SERVFAIL, REFUSED, no answer
	CauseHTTPUnreachable   Cause = "http-unreachable"     // the name does not resolve or nothing answers
	CauseHTTPTokenMissing  Cause = "http-token-missing"   // 404 for the token path
	CauseHTTPTokenWrong    Cause = "http-token-wrong"     // other content, or a redirect elsewhere
	CauseHTTPSProbeFailed  Cause = "https-probe-failed"   // legacy probe: no certificate reached
	CauseHTTPSProbeOther   Cause = "https-probe-other"    // legacy probe: another certificate is served
	CauseEmailNotSent      Cause = "email-not-sent"       // no approval e-mail has gone out yet
	CauseEmailNotApproved  Cause = "email-not-approved"   // nobody followed a valid approval link
	// CauseEmailApprovalTooOld: the name was approved in this cycle, but
	// longer ago than validation reuse allows on the day of the attempt
	// (10 days from 2029-03-15 under acm-cabf).
	CauseEmailApprovalTooOld Cause = "email-approval-too-old"
)

// Why CAA stops an issuance.
const (
	CauseCAAForbids      Cause = "caa-forbids"       // the governing record set names other CAs, or ";"
	CauseCAALookupFailed Cause = "caa-lookup-failed" // the CAA lookup itself failed
)

// Why ACM would not renew a certificate at all (window-opened and status
// entries carry it while the certificate is INELIGIBLE).
const (
	CauseImported         Cause = "imported"
	CausePrivateCA        Cause = "private-ca"
	CauseExpired          Cause = "expired"
	CauseIDN              Cause = "idn"
	CauseNotInUse         Cause = "not-in-use"
	CauseExportedNotInUse Cause = "exported-not-in-use" // exported, but the profile renews only certificates in use
)

// Explain says what an ineligibility cause means, in the words the record
// uses ("not eligible: …"). Other causes come with their own sentences in
// the checks and CAA answers.
func (c Cause) Explain() string {
	switch c {
	case CauseImported:
		return "imported certificates are never renewed by ACM"
	case CausePrivateCA:
		return "issued directly by AWS Private CA, outside ACM"
	case CauseExpired:
		return "the certificate has expired"
	case CauseIDN:
		return "a name breaks ACM's rule for internationalised names (a first label of two characters and \"--\" must be a valid \"xn--\" label)"
	case CauseNotInUse:
		return "not in use by any integrated service and not exported"
	case CauseExportedNotInUse:
		return "exported, but this profile renews only certificates in use"
	}
	return string(c)
}
