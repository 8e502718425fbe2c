package scenarios

import (
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/renewsim/renewsim/sim"
)

// certDraft is one certificate while its keys are read.
type certDraft struct {
	m    *mapping
	c    sim.Certificate
	meta *certMeta
	// registered is set when the certificate is the first with its id:
	// only that one is known to the rest of the scenario.
	registered bool
	// typeOK is false when the type could not be read (reported): the
	// rules that depend on it are then not judged.
	typeOK bool
	// validationPos is where validation is written, else the certificate.
	validationPos pos
	// places says where each name is written, and bad which names were
	// reported already, for the rules that depend on the method.
	places map[string]namePlace
	bad    map[string]bool
	// usersOK is false when an in_use_by resource is unknown (reported).
	usersOK bool
}

// namePlace is where a certificate name is written: the key and the
// place of the value.
type namePlace struct {
	key string
	pos pos
}

// reset makes d the draft of the certificate m, reusing its maps: a fleet
// has thousands of certificates.
func (d *certDraft) reset(m *mapping) {
	places, bad := d.places, d.bad
	if places == nil {
		places, bad = map[string]namePlace{}, map[string]bool{}
	}
	clear(places)
	clear(bad)
	*d = certDraft{
		m:             m,
		c:             sim.Certificate{Type: sim.TypeAmazonIssued},
		meta:          &certMeta{times: &certTimes{}, issuedPos: m.pos},
		typeOK:        true,
		validationPos: m.pos,
		places:        places,
		bad:           bad,
		usersOK:       true,
	}
}

// validated reports a certificate that ACM validates: amazon-issued.
func (d *certDraft) validated() bool { return d.typeOK && d.c.Type == sim.TypeAmazonIssued }

// The steps in which a certificate is read: each uses what the steps
// before it stored.
const (
	certNamed      = iota // id, domain and sans
	certTyped             // type
	certMethod            // validation: whether there is one depends on the type
	certMethodKeys        // validation_record, validation_domain, validation_cnames: depend on the method
	certARN               // arn; then the rule on wildcard names
	certDated             // issued and not_after: the profile's lifetime depends on the type
	certUsed              // in_use_by; then the rule on http users
	certFlags             // exported
)

// certificateTable is how a certificate is read.
var certificateTable = newKeyTable("certificate", []keyRow[certDraft]{
	{key: "id", required: true, step: certNamed, read: (*loader).certID},
	{key: "domain", required: true, step: certNamed, read: (*loader).certDomain},
	{key: "sans", step: certNamed, read: (*loader).certSANs},
	{key: "validation", step: certMethod, read: (*loader).certValidation, absent: defaultValidation},
	{key: "type", step: certTyped, read: (*loader).certType},
	{key: "issued", step: certDated, read: (*loader).certIssued, absent: defaultIssued},
	{key: "not_after", step: certDated, read: (*loader).certNotAfter, absent: (*loader).profileExpiry},
	{key: "in_use_by", step: certUsed, read: (*loader).certUsers},
	{key: "exported", step: certFlags, read: (*loader).certExported},
	{key: "validation_record", step: certMethodKeys, applies: recordApplies, read: (*loader).certRecord, absent: defaultRecord},
	{key: "validation_domain", step: certMethodKeys, applies: emailDomainApplies, read: (*loader).certValidationDomain},
	{key: "arn", step: certARN, read: (*loader).certARNKey},
	{key: "validation_cnames", step: certMethodKeys, applies: cnamesApply, read: (*loader).certCNAMEs},
	{key: "key_algorithm", step: certFlags, read: (*loader).certKeyAlgorithm},
	{key: "account", step: certNamed, read: (*loader).certAccount},
	{key: "region", step: certNamed, read: (*loader).certRegion},
},
	itemRule[certDraft]{step: certARN, check: (*loader).httpNoWildcards},
	itemRule[certDraft]{step: certUsed, check: (*loader).httpNeedsUsers},
)

// certificates reads the certificates and tells whether every first expiry
// is known (the default until needs them all).
func (l *loader) certificates(b *build, f *field) bool {
	if f == nil || f.null() {
		return false
	}
	items, ok := l.list(f)
	if !ok {
		return false
	}
	if len(items) == 0 {
		l.errf(f.vpos, "certificates: want at least one certificate")
		return false
	}
	all := true
	b.certLines = map[string]int{}
	b.sc.Certificates = make([]sim.Certificate, 0, len(items))
	d := new(certDraft)
	for _, it := range items {
		cm := certificateTable.mapping(l, it.n, it.pos)
		if cm == nil {
			all = false
			continue
		}
		d.reset(cm)
		certificateTable.read(l, b, cm, d)
		c := b.finishCertificate(d)
		if !d.meta.times.expiryOK {
			all = false
		}
		b.sc.Certificates = append(b.sc.Certificates, c)
	}
	return all
}

// finishCertificate makes what the rest of the scenario needs to know of
// a certificate read: its times and, when it is the first with its id,
// its id, method and names.
func (b *build) finishCertificate(d *certDraft) sim.Certificate {
	c, meta := d.c, d.meta
	meta.typ = c.Type
	if d.typeOK {
		meta.validation = c.Validation
	}
	c.Issued, c.NotAfter = meta.times.issued, meta.times.expiry
	if d.registered {
		b.registerCertificate(&c, meta)
	}
	return c
}

func (l *loader) certID(b *build, d *certDraft, f *field) {
	id, ok := l.scalar(f)
	if !ok {
		return
	}
	d.c.ID = id
	if !sim.ValidID(id) {
		l.errf(f.vpos, "id: want letters, digits, '-' and '_' (like web or api-prod), got %q", id)
	}
	d.registered = l.firstCertID(b, f, id, d.m.pos.line)
}

func (l *loader) certDomain(_ *build, d *certDraft, f *field) {
	s, ok := l.scalar(f)
	if !ok {
		return
	}
	d.c.Domain = s
	d.places[s] = namePlace{"domain", f.vpos}
	if msg := checkDomain(s); msg != "" {
		l.errf(f.vpos, "domain: %s", msg)
		d.bad[s] = true
	}
}

func (l *loader) certSANs(_ *build, d *certDraft, f *field) {
	for _, s := range l.namesLimit(f, l.stringList(f)) {
		if _, seen := d.places[s.s]; !seen {
			d.places[s.s] = namePlace{"sans", s.pos}
		}
		if msg := checkDomain(s.s); msg != "" {
			l.errf(s.pos, "sans: %s", msg)
			d.bad[s.s] = true
		}
		d.c.SANs = append(d.c.SANs, s.s)
	}
}

func (l *loader) certType(_ *build, d *certDraft, f *field) {
	d.c.Type, d.typeOK = l.oneOf(f, "certificate type", certTypes)
}

func (l *loader) certValidation(_ *build, d *certDraft, f *field) {
	d.validationPos = f.vpos
	v, ok := l.oneOf(f, "validation method", validations)
	if !l.validationOmitted(d, f, "only amazon-issued certificates are validated") && ok {
		d.c.Validation = v
	}
}

// defaultValidation is dns, for a certificate that is validated.
func defaultValidation(_ *loader, _ *build, d *certDraft, _ *field) {
	if d.validated() {
		d.c.Validation = sim.ValidationDNS
	}
}

func (l *loader) certRecord(_ *build, d *certDraft, f *field) {
	if f.val.Kind == yaml.MappingNode {
		d.c.ValidationRecord = sim.RecordPresent
		d.c.ValidationRecords = l.validationRecordPerName(f, d.c.Validation, d.c.Names())
		return
	}
	if v, ok := l.validationRecord(f, d.c.Validation); ok {
		d.c.ValidationRecord = v
	}
}

// defaultRecord is a record in place, for the methods that have one.
func defaultRecord(_ *loader, _ *build, d *certDraft, _ *field) {
	if d.c.Validation == sim.ValidationDNS || d.c.Validation == sim.ValidationHTTP {
		d.c.ValidationRecord = sim.RecordPresent
	}
}

func (l *loader) certValidationDomain(_ *build, d *certDraft, f *field) {
	d.c.ValidationDomains = l.validationDomain(f, d.c.Names(), d.bad)
}

func (l *loader) certCNAMEs(_ *build, d *certDraft, f *field) {
	d.c.ValidationCNAMEs = l.validationCNAMEs(f, d.c.Names(), d.bad)
}

func (l *loader) certARNKey(b *build, d *certDraft, f *field) {
	d.c.ARN = l.certARN(b, f, d.c.ID)
	// An ARN names its region and account: one given beside it must agree.
	if a, ok := sim.ParseCertARN(d.c.ARN); ok {
		if d.c.Region != "" && a.Region != d.c.Region {
			l.errf(f.vpos, "arn: %q is in region %s, but the certificate's region is %s", d.c.ARN, a.Region, d.c.Region)
		}
		if d.c.Account != "" && a.Account != d.c.Account {
			l.errf(f.vpos, "arn: %q is in account %s, but the certificate's account is %s", d.c.ARN, a.Account, d.c.Account)
		}
	}
}

// certAccount reads the account the certificate lives in when it is not
// the profile's (a fleet of several accounts).
func (l *loader) certAccount(_ *build, d *certDraft, f *field) {
	s, ok := l.scalar(f)
	if !ok {
		return
	}
	if !sim.ValidAccount(s) {
		l.errf(f.vpos, "account: want an AWS account id of 12 digits like 123456789012, got %q", s)
		return
	}
	d.c.Account = s
}

// certRegion reads the region the certificate lives in when it is not the
// profile's (a fleet of several regions).
func (l *loader) certRegion(_ *build, d *certDraft, f *field) {
	s, ok := l.scalar(f)
	if !ok {
		return
	}
	if !sim.ValidRegion(s) {
		l.errf(f.vpos, "region: want an AWS region like us-east-1 (%s), got %q", sim.RegionShape(), s)
		return
	}
	d.c.Region = s
}

func (l *loader) certIssued(b *build, d *certDraft, f *field) {
	ct := d.meta.times
	d.meta.issuedPos = f.vpos
	ct.issued, ct.issuedOK = l.timeValue(f, formsStart, b.env, "", nil)
}

// defaultIssued is start.
func defaultIssued(_ *loader, b *build, d *certDraft, _ *field) {
	if b.env.startOK {
		d.meta.times.issued, d.meta.times.issuedOK = b.env.start, true
	}
}

func (l *loader) certNotAfter(b *build, d *certDraft, f *field) {
	ct := d.meta.times
	na, ok := l.timeValue(f, formsSelf, b.env, d.c.ID, ct)
	switch {
	case !ok || !ct.issuedOK:
	case !na.After(ct.issued):
		l.errf(f.vpos, "not_after (%s) is not after issued (%s)", stamp(na), stamp(ct.issued))
	default:
		ct.expiry, ct.expiryOK = na, true
	}
}

func (l *loader) certUsers(b *build, d *certDraft, f *field) {
	seen := map[string]bool{}
	for _, s := range l.stringList(f) {
		switch {
		case seen[s.s]:
			l.errf(s.pos, "in_use_by: resource %q is listed twice", s.s)
			continue
		case !l.resourceKnown(b, s.s, s.pos, "in_use_by"):
			d.usersOK = false
		default:
			l.httpUserKind(b, d, s)
		}
		seen[s.s] = true
		d.c.InUseBy = append(d.c.InUseBy, s.s)
	}
}

func (l *loader) certExported(_ *build, d *certDraft, f *field) {
	d.c.Exported, _ = l.boolean(f)
}

// keyAlgorithms are ACM's key algorithms; requestedKeys those
// RequestCertificate takes (the others are for imported certificates
// only), privateCAKeys those AWS Private CA issues.
var (
	keyAlgorithms = []string{"RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"}
	requestedKeys = []string{"RSA_2048", "EC_prime256v1", "EC_secp384r1"}
	privateCAKeys = []string{"RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"}
)

func (l *loader) certKeyAlgorithm(_ *build, d *certDraft, f *field) {
	k, ok := l.oneOf(f, "key algorithm", keyAlgorithms)
	if !ok {
		return
	}
	allowed := keyAlgorithms
	switch {
	case !d.typeOK:
	case d.c.Type == sim.TypeAmazonIssued || d.c.Type == sim.TypePrivate:
		allowed = requestedKeys
	case d.c.Type == sim.TypePrivateCA:
		allowed = privateCAKeys
	}
	if !slices.Contains(allowed, k) {
		l.errf(f.vpos, "key_algorithm: ACM does not issue %s certificates with %s keys (it takes %s; any key only for imported certificates)",
			d.c.Type, k, strings.Join(allowed, ", "))
		return
	}
	d.c.KeyAlgorithm = k
}

// validationRecord reads the state of the validation record for method
// (dns or http; "" when the method is unknown: any state of either).
func (l *loader) validationRecord(f *field, method string) (string, bool) {
	s, ok := l.scalar(f)
	if !ok {
		return "", false
	}
	switch s {
	case sim.RecordPresent, sim.RecordAbsent, sim.RecordWrong:
		return s, true
	case sim.RecordDoubledSuffix, sim.RecordNoUnderscore, sim.RecordZone:
		if method != sim.ValidationHTTP {
			return s, true
		}
		l.errf(f.vpos, "validation_record: %s is a state of dns validation; http validation takes one of: %s", s, strings.Join(httpRecords, ", "))
		return "", false
	case recordRedirect:
		if method != sim.ValidationDNS {
			return s, true
		}
		l.errf(f.vpos, "validation_record: redirect is a state of http validation; dns validation takes one of: %s", strings.Join(dnsRecords, ", "))
		return "", false
	}
	if m := chainRE.FindStringSubmatch(s); m != nil {
		if method == sim.ValidationHTTP {
			l.errf(f.vpos, "validation_record: chain-N is a state of dns validation; http validation takes one of: %s", strings.Join(httpRecords, ", "))
			return "", false
		}
		n, err := strconv.Atoi(m[1])
		if err == nil && n >= 1 && n <= maxChain && !strings.HasPrefix(m[1], "0") {
			return s, true
		}
		l.errf(f.vpos, "validation_record: chain-N needs N from 1 to %d, got %q", maxChain, s)
		return "", false
	}
	switch method {
	case sim.ValidationHTTP:
		l.errf(f.vpos, "validation_record: unknown state %q for http validation (expected one of: %s)", s, strings.Join(httpRecords, ", "))
	case sim.ValidationDNS:
		l.errf(f.vpos, "validation_record: unknown state %q (expected one of: %s)", s, strings.Join(dnsRecords, ", "))
	default:
		l.errf(f.vpos, "validation_record: unknown state %q (expected one of: %s for dns validation; %s for http validation)", s, strings.Join(dnsRecords, ", "), strings.Join(httpRecords, ", "))
	}
	return "", false
}
