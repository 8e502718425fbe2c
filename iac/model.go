package iac

import (
	"time"

	"github.com/renewsim/renewsim/fleet"
)

// ActionKind is what a planned change does to a resource.
type ActionKind string

// Action kinds, in Terraform's words (a CloudFormation Add is a create,
// Modify an update or, with Replacement True, a replace, Remove a delete).
const (
	ActionCreate  ActionKind = "create"
	ActionUpdate  ActionKind = "update"
	ActionDelete  ActionKind = "delete"
	ActionReplace ActionKind = "replace"
)

// side is what the inputs say exists at one moment: before the change, or
// after it.
type side struct {
	certs   []*certRes
	records []*recordRes
	zones   []*zoneRes
	users   []*userRes
	waits   []*waitRes
}

// link is what an attribute that names another resource holds: a known
// value (an ARN, a zone id), or the resources the configuration says the
// unknown value comes from, or only the expression.
type link struct {
	value string
	addrs []string // resource instance addresses (ids, see certRes.id)
	expr  string   // what it is, for messages, when neither is known
}

// certRes is a certificate as one side of the inputs describes it.
type certRes struct {
	id     string // unique among all inputs: the address, and its file when two files share one
	addr   string // Terraform address, or stack/LogicalID
	file   string
	path   string // JSON path (or "line N") of its description
	data   bool   // a data source: it looks the certificate up, it does not manage it
	arn    string // "" when unknown
	domain string
	sans   []string
	typ    string // AMAZON_ISSUED | PRIVATE | IMPORTED, "" unknown
	status string
	method string // DNS | EMAIL | HTTP
	emails []string
	vdoms  map[string]string // name → validation domain (e-mail)
	dvos   []fleet.DomainValidation
	notBefore,
	notAfter time.Time
	eligibility string
	renewal     *fleet.RenewalSummary
	export      string
	keyAlg      string
	ca          string
	region      string
	account     string // when the inputs say it without an ARN (a stack's)
	// dvoUnknown: the validation records are known only after apply.
	dvoUnknown bool
	// unknown says which value needed is unknown until apply ("" none).
	unknown string
	// created: it does not exist before the change; the change creates it.
	created bool
	// stateless: the inputs hold no state for it (a CloudFormation
	// template): it exists, but its status and dates come from exports.
	stateless bool
	// zoneOf: CloudFormation creates the validation record of each of
	// these names in this hosted zone, and deletes it with the certificate.
	zoneOf map[string]link
}

// recordRes is a DNS record set as one side describes it.
type recordRes struct {
	id       string
	addr     string
	file     string
	path     string
	provider string // route53 | cloudflare
	zone     link   // the zone's id
	zoneName string // the zone's name when the resource says it
	name     string // absolute, "" when unknown
	typ      string
	ttl      int
	values   []string // record data as in a zone file
	alias    string   // Route 53 alias target
	proxied  bool     // Cloudflare answers with its own addresses
	unknown  string   // what is unknown until apply, "" when all is known
	// dvoOf: the certificates whose domain_validation_options this record
	// is made from (the configuration's references say so); dvoName: the
	// certificate name whose record it is ("" when its key does not say).
	dvoOf   []string
	dvoName string
	// owner: CloudFormation creates it for this certificate (the id), and
	// deletes it with it.
	owner string
}

// zoneRes is a DNS zone (hosted zone) one side describes.
type zoneRes struct {
	id       string
	addr     string
	file     string
	path     string
	provider string
	zoneID   string // the provider's id, "" when unknown
	name     string // the zone's name, "" when unknown
	data     bool   // looked up, not managed: records outside the code exist
}

// userRes is a resource that serves certificates: a load balancer
// listener, a CloudFront distribution, an API Gateway domain.
type userRes struct {
	id    string
	addr  string
	file  string
	path  string
	typ   string
	kind  string // elb | cloudfront | apigateway
	arn   string // the ARN ACM lists in InUseBy, "" when unknown
	label string // how messages name it
	certs []link
}

// waitRes is a resource that waits for a certificate to be issued
// (aws_acm_certificate_validation).
type waitRes struct {
	id   string
	addr string
	file string
	path string
	cert link
	fqdn []string
}
