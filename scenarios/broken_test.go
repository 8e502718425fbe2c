package scenarios

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A valid scenario the broken ones below are variations of; see validDoc.
const validDoc = `name: ok
start: 2026-03-01T00:00:00Z
resources:
  - {id: alb, kind: elb}
certificates:
  - id: web
    domain: example.com
    in_use_by: [alb]
`

var brokenCases = []struct {
	name string
	doc  string
	want string
}{
	{"empty file", "", `t.yaml:1:1: empty file: a scenario needs at least name, start and certificates`},
	{"comments only", "# nothing here\n\n", `t.yaml:1:1: empty file: a scenario needs at least name, start and certificates`},
	{"null document", "---\n~\n", `t.yaml:1:1: empty file: a scenario needs at least name, start and certificates`},
	{"syntax error", "name: x\n  start: 2026\n", `t.yaml:2:1: YAML syntax error: mapping values are not allowed in this context`},
	{"syntax error in a list", "name: x\ncertificates:\n  - id: web\n   domain: x\n", `t.yaml:2:1: YAML syntax error: did not find expected '-' indicator`},
	{"tab indentation", "name: x\n\tstart: 2026\n", `t.yaml:2:1: YAML syntax error: found a tab character that violates indentation`},
	{"top level is a list", "- name: x\n", `t.yaml:1:1: a scenario is a mapping of keys (name, start, certificates, …), got a list`},
	{"two documents", validDoc + "---\nname: other\n", `t.yaml:9:1: a second YAML document (after ---): a scenario file holds exactly one`},
	{"missing required keys", "description: nothing else\n", `t.yaml:1:1: missing required key "name" in scenario
t.yaml:1:1: missing required key "start" in scenario
t.yaml:1:1: missing required key "certificates" in scenario`},
	{"required keys without values", "name:\nstart: ~\ncertificates:\n", `t.yaml:1:6: key "name" in scenario has no value
t.yaml:2:8: key "start" in scenario has no value
t.yaml:3:14: key "certificates" in scenario has no value`},
	{"unknown and duplicate keys", `name: ok
start: 2026-03-01T00:00:00Z
strat: 2026-03-01T00:00:00Z
certificates:
  - id: web
    domain: example.com
    sans2: [www.example.com]
    domain: example.org
name: again
`, `t.yaml:3:1: unknown key "strat" in scenario (expected one of: name, description, profile, start, until, seed, overrides, resources, certificates, dns, account_email, unlisted_mailboxes, mailboxes, whois, timeline, alarms, expect, days_before_expiry)
t.yaml:7:5: unknown key "sans2" in certificate (expected one of: id, domain, sans, validation, type, issued, not_after, in_use_by, exported, validation_record, validation_domain, arn, validation_cnames, key_algorithm, account, region)
t.yaml:8:5: duplicate key "domain" in certificate (first at line 6)
t.yaml:9:1: duplicate key "name" in scenario (first at line 1)`},
	{"wrong node kinds", `name: [ok]
start: 2026-03-01T00:00:00Z
resources: {id: alb, kind: elb}
certificates:
  - web
  - id: api
    domain: {name: example.com}
    sans: www.example.com
timeline: {}
expect:
  - [cert, web]
`, `t.yaml:1:7: name: want a single value, got a list
t.yaml:3:12: resources: want a list, got a mapping
t.yaml:5:5: certificate: want a mapping of keys, got the value "web"
t.yaml:7:13: domain: want a single value, got a mapping
t.yaml:8:11: sans: want a list, got the value "www.example.com"
t.yaml:9:11: timeline: want a list, got a mapping
t.yaml:11:5: expectation: want a mapping of keys, got a list`},
	{"no certificates", "name: ok\nstart: 2026-03-01T00:00:00Z\ncertificates: []\n", `t.yaml:3:15: certificates: want at least one certificate`},
	{"bad name profile seed", `name: My Scenario
profile: acm-2025
seed: -1
start: 2026-03-01T00:00:00Z
certificates: [{id: web, domain: example.com}]
`, `t.yaml:1:7: name: want lower-case letters, digits and hyphens (like dns-missing-cname), got "My Scenario"
t.yaml:2:10: profile: unknown profile "acm-2025" (known: acm-2026, acm-cabf, acm-legacy, ari, cabf-2027, cabf-2029, fixed-30d, letsencrypt-2026, letsencrypt-2026+fixed-30d, letsencrypt-2026+two-thirds-jitter, two-thirds-jitter)
t.yaml:3:7: seed: want an unsigned integer, got "-1"`},
	{"bad start and until", `name: ok
start: 2026-03-01
until: start+2q
certificates: [{id: web, domain: example.com}]
timeline:
  - {at: start+1d, do: export, cert: web}
`, `t.yaml:2:8: start: want an RFC 3339 time like 2026-03-01T00:00:00Z, got "2026-03-01"
t.yaml:3:8: until: bad offset: want a duration like 45d, 1d12h or 30m, got "+2q" in "start+2q"`},
	{"until not after start", `name: ok
start: 2026-03-01T00:00:00Z
until: start-1h
certificates: [{id: web, domain: example.com}]
`, `t.yaml:3:8: until (2026-02-28T23:00:00Z) is not after start (2026-03-01T00:00:00Z)`},
	{"at outside start and until", `name: ok
start: 2026-03-01T00:00:00Z
until: start+30d
certificates: [{id: web, domain: example.com}]
timeline:
  - {at: start-1d, do: export, cert: web}
  - {at: 2026-04-01T00:00:00Z, do: export, cert: web}
expect:
  - {cert: web, at: web.expiry, status: EXPIRED}
`, `t.yaml:6:10: at: start-1d (2026-02-28T00:00:00Z) is before start (2026-03-01T00:00:00Z)
t.yaml:7:10: at: 2026-04-01T00:00:00Z is after until (2026-03-31T00:00:00Z)
t.yaml:9:21: at: web.expiry (2026-09-15T00:00:00Z) is after until (2026-03-31T00:00:00Z)`},
	{"unknown certificates", `name: ok
start: 2026-03-01T00:00:00Z
until: api.expiry+7d
certificates: [{id: web, domain: example.com}]
timeline:
  - {at: web.expiry-1d, do: export, cert: wbe}
expect:
  - {cert: api, outcome: renewed}
  - {cert: web, renewed_after: www.issued+1d}
`, `t.yaml:3:8: until: unknown certificate "api" in "api.expiry+7d" (known: web)
t.yaml:6:43: cert: unknown certificate "wbe" (known: web)
t.yaml:8:12: cert: unknown certificate "api" (known: web)
t.yaml:9:32: renewed_after: unknown certificate "www" in "www.issued+1d" (known: web)`},
	{"unknown resources", `name: ok
start: 2026-03-01T00:00:00Z
resources:
  - {id: alb, kind: elb}
certificates:
  - {id: web, domain: example.com, in_use_by: [nlb]}
timeline:
  - {at: start+1d, do: attach, cert: web, resource: cdn}
expect:
  - {resource: api, outage: 0s}
`, `t.yaml:6:48: in_use_by: unknown resource "nlb" (known: alb)
t.yaml:8:53: resource: unknown resource "cdn" (known: alb)
t.yaml:10:16: resource: unknown resource "api" (known: alb)`},
	{"unknown resource with none declared", `name: ok
start: 2026-03-01T00:00:00Z
certificates:
  - {id: web, domain: example.com, in_use_by: [alb]}
`, `t.yaml:4:48: in_use_by: unknown resource "alb" (the scenario declares no resources)`},
	{"duplicate ids", `name: ok
start: 2026-03-01T00:00:00Z
resources:
  - {id: alb, kind: elb}
  - {id: alb, kind: cloudfront}
certificates:
  - {id: web, domain: example.com}
  - {id: web, domain: example.org}
  - {id: web.prod, domain: example.net}
`, `t.yaml:5:10: duplicate resource id "alb" (first at line 4)
t.yaml:8:10: duplicate certificate id "web" (first at line 7)
t.yaml:9:10: id: want letters, digits, '-' and '_' (like web or api-prod), got "web.prod"`},
	{"certificate times", `name: ok
start: 2026-03-01T00:00:00Z
until: 2026-12-01T00:00:00Z
certificates:
  - {id: a, domain: a.example.com, not_after: a.issued}
  - {id: b, domain: b.example.com, issued: start+10d, not_after: start+5d}
  - {id: c, domain: c.example.com, not_after: a.issued+90d}
  - {id: d, domain: d.example.com, not_after: d.expiry}
  - {id: e, domain: e.example.com, issued: 2027-01-01T00:00:00Z}
  - {id: f, domain: f.example.com, issued: a.issued}
`, `t.yaml:5:47: not_after (2026-03-01T00:00:00Z) is not after issued (2026-03-01T00:00:00Z)
t.yaml:6:66: not_after (2026-03-06T00:00:00Z) is not after issued (2026-03-11T00:00:00Z)
t.yaml:7:47: not_after: want an RFC 3339 time like 2026-03-01T00:00:00Z, start±D or <this certificate>.issued±D, got "a.issued+90d"
t.yaml:8:47: not_after: want an RFC 3339 time like 2026-03-01T00:00:00Z, start±D or <this certificate>.issued±D, got "d.expiry"
t.yaml:9:44: certificate "e" is issued (2027-01-01T00:00:00Z) after until (2026-12-01T00:00:00Z)
t.yaml:10:44: issued: want an RFC 3339 time like 2026-03-01T00:00:00Z or start±D, got "a.issued"`},
	{"validation on types without validation", `name: ok
start: 2026-03-01T00:00:00Z
certificates:
  - {id: a, domain: a.example.com, type: private, validation: dns}
  - {id: b, domain: b.example.com, type: imported, validation_record: absent}
  - {id: c, domain: c.example.com, validation: email, validation_record: wrong}
  - {id: d, domain: d.example.com, type: acm, validation: ftp}
  - {id: e, domain: e.example.com, validation_record: chain-0}
  - {id: f, domain: f.example.com, validation_record: chain-17}
  - {id: g, domain: g.example.com, validation_record: gone}
`, `t.yaml:4:51: validation must be omitted for a private certificate: only amazon-issued certificates are validated
t.yaml:5:52: validation_record must be omitted for an imported certificate: it has no validation
t.yaml:6:55: validation_record applies only to dns and http validation; this certificate uses email validation
t.yaml:7:42: type: unknown certificate type "acm" (expected one of: amazon-issued, private, private-ca, imported)
t.yaml:7:59: validation: unknown validation method "ftp" (expected one of: dns, email, http)
t.yaml:8:55: validation_record: chain-N needs N from 1 to 16, got "chain-0"
t.yaml:9:55: validation_record: chain-N needs N from 1 to 16, got "chain-17"
t.yaml:10:55: validation_record: unknown state "gone" (expected one of: present, absent, wrong, doubled-suffix, no-underscore, chain-N, zone)`},
	{"bad names in certificates", `name: ok
start: 2026-03-01T00:00:00Z
certificates:
  - id: web
    domain: example.com.
    sans: ["*.example.com", "exa mple.com", localhost, ~]
    exported: yes
`, `t.yaml:5:13: domain: "example.com.": write the name without the trailing dot
t.yaml:6:29: sans: "exa mple.com" is not a valid domain name (want labels of letters, digits and hyphens separated by dots, like example.com or *.example.com)
t.yaml:6:45: sans: "localhost" is not a valid domain name (want labels of letters, digits and hyphens separated by dots, like example.com or *.example.com)
t.yaml:6:56: sans: item 4 is empty
t.yaml:7:15: exported: want true or false, got "yes"`},
	{"key algorithms", `name: ok
start: 2026-03-01T00:00:00Z
certificates:
  - {id: a, domain: a.example.com, key_algorithm: RSA_4096}
  - {id: b, domain: b.example.com, key_algorithm: ED25519}
  - {id: c, domain: c.example.com, type: private-ca, key_algorithm: RSA_1024}
  - {id: d, domain: d.example.com, type: imported, key_algorithm: RSA_1024}
`, `t.yaml:4:51: key_algorithm: ACM does not issue amazon-issued certificates with RSA_4096 keys (it takes RSA_2048, EC_prime256v1, EC_secp384r1; any key only for imported certificates)
t.yaml:5:51: key_algorithm: unknown key algorithm "ED25519" (expected one of: RSA_1024, RSA_2048, RSA_3072, RSA_4096, EC_prime256v1, EC_secp384r1, EC_secp521r1)
t.yaml:6:69: key_algorithm: ACM does not issue private-ca certificates with RSA_1024 keys (it takes RSA_2048, RSA_3072, RSA_4096, EC_prime256v1, EC_secp384r1, EC_secp521r1; any key only for imported certificates)`},
	{"overrides", `name: ok
start: 2026-03-01T00:00:00Z
overrides:
  retry_interval: 0s
  retry_intreval: 1h
  issue_delay: soon
  whois_contacts: maybe
  action_required_days: [30, x]
  public_validity: 99999w
  eligibility: always
  max_cname_chain: {n: 5}
certificates: [{id: web, domain: example.com}]
`, `t.yaml:4:19: retry_interval: 0s is out of range (want 1m to 30d)
t.yaml:5:3: overrides: unknown profile knob "retry_intreval" (known: public_validity, public_window, transition_date, pre_transition_validity, pre_transition_window, from_100d, validity_100d, window_100d, from_47d, validity_47d, window_47d, private_validity, private_window, renewal_policy, renew_at, renew_jitter, ari_window_width, renew_before, retry_interval, pending_validation_after, action_required_days, private_action_required_days, instruction_email_after, instruction_email_days, approaching_expiration_days, private_approaching_expiration_days, eligibility, whois_contacts, https_probe, email_before, email_resend_days, approval_link_ttl, validation_reuse, max_cname_chain, issue_delay, status_lag, account, region)
t.yaml:6:16: issue_delay: want a duration like 45d, 1d12h or 30m, got "soon"
t.yaml:7:19: whois_contacts: want true or false, got "maybe"
t.yaml:8:25: action_required_days: want a list of whole days like 30,15,7, got "30, x"
t.yaml:9:20: public_validity: duration "99999w" is too long (more than 36500d)
t.yaml:10:16: eligibility: want in-use-or-exported or in-use, got "always"
t.yaml:11:20: max_cname_chain: want a single value, got a mapping`},
	{"resources", `name: ok
start: 2026-03-01T00:00:00Z
resources:
  - {id: alb, kind: nlb}
  - {id: cdn, kind: cloudfront, deploy_delay: -1h}
  - {id: api, kind: apigateway, deploy_delay: 3x}
  - {kind: other}
  - {id: "bad id", kind: elb, region: us-east-1}
certificates: [{id: web, domain: example.com}]
`, `t.yaml:4:21: kind: unknown resource kind "nlb" (expected one of: elb, cloudfront, apigateway, other)
t.yaml:5:47: deploy_delay: must not be negative, got "-1h"
t.yaml:6:47: deploy_delay: want a duration like 45d, 1d12h or 30m, got "3x"
t.yaml:7:5: missing required key "id" in resource
t.yaml:8:10: id: want letters, digits, '-' and '_' (like alb-prod), got "bad id"
t.yaml:8:31: unknown key "region" in resource (expected one of: id, kind, deploy_delay, hostnames, arn)`},
	{"timeline actions", `name: ok
start: 2026-03-01T00:00:00Z
resources: [{id: alb, kind: elb}]
certificates:
  - {id: web, domain: example.com}
  - {id: mail, domain: mail.example.com, validation: email}
  - {id: priv, domain: internal.example.com, type: private}
timeline:
  - {at: start+1d, do: delete-validation-record, cert: mail}
  - {at: start+1d, do: restore-validation-record, cert: priv}
  - {at: start+1d, do: delete-validation-record, cert: web, resource: alb}
  - {at: start+1d, do: dns-add}
  - {at: start+1d, do: dns-add, record: " "}
  - {at: start+1d, do: dns-delete, name: example.com., type: caa}
  - {at: start+1d, do: attach, cert: web}
  - {at: start+1d, do: explode, cert: web}
  - {do: export, cert: web}
  - {at: start+1d, do: export, cert: web, record: x, name: y}
`, `t.yaml:9:56: cert: delete-validation-record needs a dns- or http-validated certificate; "mail" uses email validation
t.yaml:10:57: cert: restore-validation-record needs a dns- or http-validated certificate; "priv" is a private certificate, which has no validation
t.yaml:11:61: key "resource" is not used by delete-validation-record (it takes: cert)
t.yaml:12:5: missing required key "record" for dns-add
t.yaml:13:41: record: want a zone-file line, got a blank value
t.yaml:14:62: type: want an upper-case RR type name like CAA or CNAME, got "caa"
t.yaml:15:5: missing required key "resource" for attach
t.yaml:16:24: do: unknown action "explode" (expected one of: delete-validation-record, restore-validation-record, dns-add, dns-delete, attach, detach, export, click-approval, resend-validation-email, mailbox-reject, mailbox-accept, dns-fault, dns-fault-clear, renew-certificate, reimport, pca-failure, pca-restore)
t.yaml:17:5: missing required key "at" in timeline entry
t.yaml:18:43: key "record" is not used by export (it takes: cert)
t.yaml:18:54: key "name" is not used by export (it takes: cert)`},
	{"expectations", `name: ok
start: 2026-03-01T00:00:00Z
resources: [{id: alb, kind: elb}]
certificates: [{id: web, domain: example.com, in_use_by: [alb]}]
expect:
  - {cert: web}
  - {cert: web, outcome: renewed, event: ACM Certificate Expired, count: 1}
  - {cert: web, outcome: maybe}
  - {outcome: renewed}
  - {cert: web, resource: alb, outcome: renewed}
  - {cert: web, status: ISSUED}
  - {cert: web, at: web.expiry-1d}
  - {cert: web, at: web.expiry-1d, status: issued, renewal_status: DONE}
  - {cert: web, event: ACM Certificate Expired}
  - {cert: web, event: Certificate Expired, count: 1, min: 0}
  - {cert: web, event: ACM Certificate Expired, min: 3, max: 1}
  - {cert: web, count: -1}
  - {cert: web, renewed_after: web.expiry-1d, renewed_before: web.expiry-2d}
  - {cert: web, resource: alb, outage: 1h, outage_at_least: 2h}
  - {resource: alb, outage: -1h}
`, `t.yaml:6:5: expectation checks nothing: give one of: outcome or final_outcome; renewed_after and/or renewed_before; at with status, renewal_status and/or reason; event or email with count, min or max; outage or outage_at_least
t.yaml:7:5: expectation mixes outcome and event: write one check per item
t.yaml:8:26: outcome: unknown outcome "maybe" (expected one of: renewed, expired, pending)
t.yaml:9:5: missing required key "cert" in expectation
t.yaml:10:17: key "resource" is not used by an outcome expectation (it takes cert)
t.yaml:11:5: missing required key "at" in expectation: status, renewal_status and reason are checked at a time
t.yaml:12:5: missing key "status", "renewal_status" or "reason" in expectation: at only says when to check
t.yaml:13:44: status: unknown status "issued" (expected one of: PENDING_VALIDATION, ISSUED, INACTIVE, EXPIRED, VALIDATION_TIMED_OUT, REVOKED, FAILED)
t.yaml:13:68: renewal_status: unknown renewal status "DONE" (expected one of: PENDING_AUTO_RENEWAL, PENDING_VALIDATION, SUCCESS, FAILED, none)
t.yaml:14:5: missing key "count", "min" or "max" in expectation: how often should "ACM Certificate Expired" happen?
t.yaml:15:24: event: unknown event "Certificate Expired" (expected one of: ACM Certificate Approaching Expiration, ACM Certificate Renewal Action Required, ACM Certificate Available, ACM Certificate Expired, AWS Health Event)
t.yaml:15:55: min cannot be combined with count: write count for an exact number, min and/or max for a range
t.yaml:16:62: max (1) is less than min (3)
t.yaml:17:5: missing key "event" or "email" in expectation: count, min and max count events or e-mails
t.yaml:17:24: count: want a whole number >= 0, got "-1"
t.yaml:18:63: renewed_before (2026-09-13T00:00:00Z) is not after renewed_after (2026-09-14T00:00:00Z)
t.yaml:19:6: key "cert" is not used by an outage expectation (it takes resource)
t.yaml:19:44: outage_at_least cannot be combined with outage: write one of them
t.yaml:20:29: outage: must not be negative, got "-1h"`},
	{"no cascade from a bad start", `name: ok
start: yesterday
until: web.expiry+7d
certificates:
  - {id: web, domain: example.com, not_after: web.issued+90d}
timeline:
  - {at: start+1d, do: export, cert: web}
expect:
  - {cert: web, at: web.expiry-1d, status: ISSUED}
`, `t.yaml:2:8: start: want an RFC 3339 time like 2026-03-01T00:00:00Z, got "yesterday"`},
	{"no cascade from a bad certificate", `name: ok
start: 2026-03-01T00:00:00Z
certificates:
  - {id: web, domain: example.com, issued: sometime}
timeline:
  - {at: web.expiry-1d, do: export, cert: web}
expect:
  - {cert: web, renewed_after: web.issued+1d}
`, `t.yaml:4:44: issued: want an RFC 3339 time like 2026-03-01T00:00:00Z or start±D, got "sometime"`},
	{"merge and complex keys", `name: ok
start: 2026-03-01T00:00:00Z
base: &base {domain: example.com}
certificates:
  - <<: *base
    id: web
? [a, b]
: 1
`, `t.yaml:3:1: unknown key "base" in scenario (expected one of: name, description, profile, start, until, seed, overrides, resources, certificates, dns, account_email, unlisted_mailboxes, mailboxes, whois, timeline, alarms, expect, days_before_expiry)
t.yaml:5:5: certificate: merge keys (<<) are not supported; write the keys out
t.yaml:5:5: missing required key "domain" in certificate
t.yaml:7:3: scenario: keys must be plain words, got a list`},
	{"bad time expressions", `name: ok
start: 2026-03-01T00:00:00Z
certificates: [{id: web, domain: example.com}]
timeline:
  - {at: start+-1d, do: export, cert: web}
  - {at: start 1d, do: export, cert: web}
  - {at: web.expires, do: export, cert: web}
  - {at: "", do: export, cert: web}
  - {at: start+100000d100000d, do: export, cert: web}
  - {at: [start], do: export, cert: web}
`, `t.yaml:5:10: at: bad offset "+-1d": want +D or -D with a duration like 45d, 1d12h or 30m in "start+-1d"
t.yaml:6:10: at: bad offset "1d": want +D or -D with a duration like 45d, 1d12h or 30m in "start 1d"
t.yaml:7:10: at: want an RFC 3339 time like 2026-03-01T00:00:00Z, start±D, <cert>.issued±D or <cert>.expiry±D, got "web.expires"
t.yaml:8:10: at: want an RFC 3339 time like 2026-03-01T00:00:00Z, start±D, <cert>.issued±D or <cert>.expiry±D, got ""
t.yaml:9:10: at: bad offset: duration "+100000d100000d" is too long (more than 36500d) in "start+100000d100000d"
t.yaml:10:10: at: want a single value, got a list`},
	{"e-mail scenario keys", `name: ok
start: 2026-03-01T00:00:00Z
account_email: owner
unlisted_mailboxes: bounce
mailboxes: {address: admin@example.com}
whois: [example.com]
certificates: [{id: web, domain: example.com, validation: email}]
`, `t.yaml:3:16: account_email: want an e-mail address like admin@example.com, got "owner"
t.yaml:4:21: unlisted_mailboxes: unknown answer "bounce" (expected one of: accept, reject)
t.yaml:5:12: mailboxes: want a list, got a mapping
t.yaml:6:8: whois: want a mapping of keys, got a list`},
	{"mailboxes", `name: ok
start: 2026-03-01T00:00:00Z
until: start+30d
mailboxes:
  - {clicks: never}
  - {address: admin@example.com, clicks: sometimes}
  - {address: Admin@Example.com, rejects: yes}
  - {address: "admin at example.com", clicks: after -1h}
  - {address: a@example.com, clicks: after 2x}
  - {address: b@example.com, clicks: at tomorrow}
  - {address: c@example.com, clicks: at start+31d}
  - {address: d@example.com, clicks: at start-1h}
  - {address: e@example.com, clicks: after}
  - {address: f@example.com, clicks: at web.expiry, colour: blue}
  - admin@example.com
  - {address: [g@example.com], clicks: at api.expiry}
certificates: [{id: web, domain: example.com, validation: email}]
`, `t.yaml:5:5: missing required key "address" in mailbox
t.yaml:6:42: clicks: want never, "after <duration>" (like after 2d) or "at <time>" (like at web.expiry-10d), got "sometimes"
t.yaml:7:15: duplicate mailbox "Admin@Example.com" (first at line 6)
t.yaml:7:43: rejects: want true or false, got "yes"
t.yaml:8:15: address: want an e-mail address like admin@example.com, got "admin at example.com"
t.yaml:8:47: clicks: after must not be negative, got "-1h"
t.yaml:9:38: clicks: want a duration like 45d, 1d12h or 30m, got "2x"
t.yaml:10:38: clicks: want an RFC 3339 time like 2026-03-01T00:00:00Z, start±D, <cert>.issued±D or <cert>.expiry±D, got "tomorrow"
t.yaml:11:38: clicks: start+31d (2026-04-01T00:00:00Z) is after until (2026-03-31T00:00:00Z)
t.yaml:12:38: clicks: start-1h (2026-02-28T23:00:00Z) is before start (2026-03-01T00:00:00Z)
t.yaml:13:38: clicks: want never, "after <duration>" (like after 2d) or "at <time>" (like at web.expiry-10d), got "after"
t.yaml:14:38: clicks: web.expiry (2026-09-15T00:00:00Z) is after until (2026-03-31T00:00:00Z)
t.yaml:14:53: unknown key "colour" in mailbox (expected one of: address, clicks, rejects)
t.yaml:15:5: mailbox: want a mapping of keys, got the value "admin@example.com"
t.yaml:16:15: address: want a single value, got a list
t.yaml:16:40: clicks: unknown certificate "api" in "api.expiry" (known: web)`},
	{"whois", `name: ok
start: 2026-03-01T00:00:00Z
whois:
  example.com: [registrant@example.com, Registrant@example.com, nobody]
  "*.example.org": [a@example.org]
  example.net:
  example.info: admin@example.info
  example.biz: [~, [x@example.biz]]
  localhost: []
  example.com: []
certificates: [{id: web, domain: example.com, validation: email}]
`, `t.yaml:4:41: example.com: contact "Registrant@example.com" is listed twice
t.yaml:4:65: example.com: want an e-mail address like admin@example.com, got "nobody"
t.yaml:5:3: whois: "*.example.org": a wildcard name is not allowed here (want a DNS name like example.com or www.example.com)
t.yaml:6:15: key "example.net" in whois has no value (write [] for a domain without WHOIS contacts)
t.yaml:7:17: example.info: want a list, got the value "admin@example.info"
t.yaml:8:17: example.biz: item 1 is empty
t.yaml:8:20: example.biz: item 2: want a single value, got a list
t.yaml:9:3: whois: "localhost" is not a valid domain name (want labels of letters, digits and hyphens separated by dots, like example.com or www.example.com)
t.yaml:10:3: duplicate key "example.com" in whois (first at line 4)`},
	{"hostnames", `name: ok
start: 2026-03-01T00:00:00Z
resources:
  - {id: alb, kind: elb, hostnames: [www.example.com, "*.example.com", www.example.com, example.com.]}
  - {id: cdn, kind: cloudfront, hostnames: [WWW.example.com, localhost]}
  - {id: api, kind: apigateway, hostnames: api.example.com}
certificates: [{id: web, domain: example.com}]
`, `t.yaml:4:55: hostnames: "*.example.com": a wildcard name is not allowed here (want a DNS name like example.com or www.example.com)
t.yaml:4:72: hostnames: "www.example.com" is listed twice
t.yaml:4:89: hostnames: "example.com.": write the name without the trailing dot
t.yaml:5:45: hostnames: "WWW.example.com" already points at resource "alb"; a name has one A record
t.yaml:5:62: hostnames: "localhost" is not a valid domain name (want labels of letters, digits and hyphens separated by dots, like example.com or www.example.com)
t.yaml:6:44: hostnames: want a list, got the value "api.example.com"`},
	{"validation_domain", `name: ok
start: 2026-03-01T00:00:00Z
certificates:
  - {id: a, domain: www.example.com, sans: [example.org], validation: email, validation_domain: example.com}
  - {id: b, domain: b.example.com, validation: email, validation_domain: {c.example.com: example.com, b.example.com: www.example.com}}
  - {id: c, domain: c.example.com, validation: email, validation_domain: "*.example.com"}
  - {id: d, domain: d.example.com, validation: email, validation_domain: [example.com]}
  - {id: e, domain: e.example.com, validation: dns, validation_domain: example.com}
  - {id: f, domain: f.example.com, type: private, validation_domain: example.com}
  - {id: g, domain: g.example.com, validation: email, validation_domain: {g.example.com: ~}}
  - {id: h, domain: h.example.com, validation: email, validation_domain: com}
  - {id: i, domain: i.example.com, validation_domain: example.com}
`, `t.yaml:4:97: validation_domain: "example.com" is neither the name "example.org" nor a superdomain of it
t.yaml:5:75: validation_domain: "c.example.com" is not a name of this certificate (its names: b.example.com)
t.yaml:5:118: validation_domain: "www.example.com" is neither the name "b.example.com" nor a superdomain of it
t.yaml:6:74: validation_domain: "*.example.com": a wildcard name is not allowed here (want a DNS name like example.com or www.example.com)
t.yaml:7:74: validation_domain: want a domain name or a mapping of names to domains, got a list
t.yaml:8:53: validation_domain applies only to email validation; this certificate uses dns validation
t.yaml:9:51: validation_domain must be omitted for a private certificate: it has no validation
t.yaml:10:90: key "g.example.com" in validation_domain has no value
t.yaml:11:74: validation_domain: "com" is not a valid domain name (want labels of letters, digits and hyphens separated by dots, like example.com or www.example.com)
t.yaml:12:36: validation_domain applies only to email validation; this certificate uses dns validation`},
	{"http validation", `name: ok
start: 2026-03-01T00:00:00Z
resources:
  - {id: alb, kind: elb}
  - {id: cdn, kind: cloudfront}
certificates:
  - {id: a, domain: a.example.com, sans: ["*.a.example.com"], validation: http, in_use_by: [cdn]}
  - {id: b, domain: b.example.com, validation: http}
  - {id: c, domain: c.example.com, validation: http, in_use_by: []}
  - {id: d, domain: d.example.com, validation: http, in_use_by: [cdn, alb]}
  - {id: e, domain: e.example.com, validation: http, in_use_by: [cdn], validation_record: chain-2}
  - {id: f, domain: f.example.com, validation: http, in_use_by: [cdn], validation_record: moved}
  - {id: g, domain: g.example.com, validation_record: redirect}
  - {id: h, domain: h.example.com, validation: ftp, validation_record: moved}
timeline:
  - {at: start+1d, do: attach, cert: a, resource: alb}
`, `t.yaml:7:43: sans: http validation cannot validate the wildcard name "*.a.example.com": use dns or email validation
t.yaml:8:48: http validation is for CloudFront distributions: in_use_by must name cloudfront resources
t.yaml:9:65: http validation is for CloudFront distributions: in_use_by must name cloudfront resources
t.yaml:10:71: in_use_by: "alb" is an elb resource; http validation is for CloudFront distributions: in_use_by must name cloudfront resources
t.yaml:11:91: validation_record: chain-N is a state of dns validation; http validation takes one of: present, redirect, absent, wrong
t.yaml:12:91: validation_record: unknown state "moved" for http validation (expected one of: present, redirect, absent, wrong)
t.yaml:13:55: validation_record: redirect is a state of http validation; dns validation takes one of: present, absent, wrong, doubled-suffix, no-underscore, chain-N, zone
t.yaml:14:48: validation: unknown validation method "ftp" (expected one of: dns, email, http)
t.yaml:14:72: validation_record: unknown state "moved" (expected one of: present, absent, wrong, doubled-suffix, no-underscore, chain-N, zone for dns validation; present, redirect, absent, wrong for http validation)
t.yaml:16:51: resource: "alb" is an elb resource; http validation is for CloudFront distributions: "a" can be attached to cloudfront resources only`},
	{"e-mail timeline actions", `name: ok
start: 2026-03-01T00:00:00Z
certificates:
  - {id: web, domain: example.com, sans: [www.example.com]}
  - {id: mail, domain: mail.example.com, sans: [Example.com], validation: email}
  - {id: priv, domain: internal.example.com, type: private}
timeline:
  - {at: start+1d, do: click-approval, domain: www.example.com}
  - {at: start+1d, do: click-approval, domain: internal.example.com}
  - {at: start+1d, do: click-approval, domain: shop.example.com}
  - {at: start+1d, do: click-approval}
  - {at: start+1d, do: click-approval, domain: mail.example.com, cert: mail}
  - {at: start+1d, do: resend-validation-email, cert: web}
  - {at: start+1d, do: resend-validation-email, cert: priv}
  - {at: start+1d, do: mailbox-reject, address: postmaster}
  - {at: start+1d, do: mailbox-accept, address: ~}
  - {at: start+1d, do: mailbox-accept, address: a@example.com, domain: example.com}
  - {at: start+1d, do: click-approval, domain: EXAMPLE.COM}
`, `t.yaml:8:48: domain: click-approval needs a name of an e-mail-validated certificate; "www.example.com" belongs to "web", which uses dns validation
t.yaml:9:48: domain: click-approval needs a name of an e-mail-validated certificate; "internal.example.com" belongs to "priv", a private certificate, which has no validation
t.yaml:10:48: domain: click-approval needs a name of an e-mail-validated certificate; no certificate has the name "shop.example.com" (e-mail-validated names: mail.example.com, Example.com)
t.yaml:11:5: missing required key "domain" for click-approval
t.yaml:12:66: key "cert" is not used by click-approval (it takes: domain)
t.yaml:13:55: cert: resend-validation-email needs an e-mail-validated certificate; "web" uses dns validation
t.yaml:14:55: cert: resend-validation-email needs an e-mail-validated certificate; "priv" is a private certificate, which has no validation
t.yaml:15:49: address: want an e-mail address like admin@example.com, got "postmaster"
t.yaml:16:49: key "address" in timeline entry has no value
t.yaml:17:64: key "domain" is not used by mailbox-accept (it takes: address)`},
	{"click-approval without e-mail validation", `name: ok
start: 2026-03-01T00:00:00Z
certificates: [{id: web, domain: example.com}]
timeline:
  - {at: start+1d, do: click-approval, domain: www.example.com}
`, `t.yaml:5:48: domain: click-approval needs a name of an e-mail-validated certificate; no certificate has the name "www.example.com", and none uses email validation`},
	{"new expectations", `name: ok
start: 2026-03-01T00:00:00Z
resources: [{id: alb, kind: elb}]
certificates: [{id: web, domain: example.com, in_use_by: [alb]}]
expect:
  - {cert: web, at: web.expiry-1d, reason: CAA}
  - {cert: web, at: web.expiry-1d, reason: ~}
  - {cert: web, reason: none}
  - {cert: web, event: ACM Certificate Expired, code: CAA_CHECK_FAILURE, count: 1}
  - {cert: web, event: AWS Health Event, code: CAA_FAILURE, count: 1}
  - {cert: web, code: CAA_CHECK_FAILURE, min: 1}
  - {email: spam, count: 1}
  - {to: admin@example.com, count: 1}
  - {email: approval}
  - {email: any, to: admin, max: 1}
  - {email: approval, cert: api, count: 1}
  - {email: approval, resource: alb, count: 1}
  - {email: approval, event: ACM Certificate Expired, count: 1}
  - {email: instruction, count: 1, min: 1}
  - {email: approval, min: 2, max: 1}
  - {email: approval, to: ~, cert: ~, count: 1}
  - {outcome: renewed, cert: web, to: a@example.com}
  - {cert: web, event: AWS Health Event, code: ~, count: 1}
`, `t.yaml:6:44: reason: unknown renewal status reason "CAA" (expected one of: NO_AVAILABLE_CONTACTS, ADDITIONAL_VERIFICATION_REQUIRED, DOMAIN_NOT_ALLOWED, INVALID_PUBLIC_DOMAIN, DOMAIN_VALIDATION_DENIED, CAA_ERROR, PCA_LIMIT_EXCEEDED, PCA_INVALID_ARN, PCA_INVALID_STATE, PCA_REQUEST_FAILED, PCA_NAME_CONSTRAINTS_VALIDATION, PCA_RESOURCE_NOT_FOUND, PCA_INVALID_ARGS, PCA_INVALID_DURATION, PCA_ACCESS_DENIED, SLR_NOT_FOUND, OTHER, PENDING_DOMAIN_VALIDATION, none)
t.yaml:7:44: key "reason" in expectation has no value
t.yaml:8:5: missing required key "at" in expectation: status, renewal_status and reason are checked at a time
t.yaml:9:49: code applies only to AWS Health Event; this expectation counts "ACM Certificate Expired"
t.yaml:10:48: code: unknown AWS Health event type code "CAA_FAILURE" (expected one of: AWS_ACM_RENEWAL_STATE_CHANGE, CAA_CHECK_FAILURE, AWS_ACM_RENEWAL_FAILURE)
t.yaml:11:5: missing required key "event" in expectation: code is the event type of an AWS Health Event
t.yaml:12:13: email: unknown e-mail kind "spam" (expected one of: approval, instruction, any)
t.yaml:13:5: missing required key "email" in expectation: to only names the recipient; give email: approval, instruction or any
t.yaml:14:5: missing key "count", "min" or "max" in expectation: how many approval e-mails should arrive?
t.yaml:15:22: to: want an e-mail address like admin@example.com, got "admin"
t.yaml:16:29: cert: unknown certificate "api" (known: web)
t.yaml:17:23: key "resource" is not used by an email expectation (it takes cert)
t.yaml:18:5: expectation mixes email and event: write one check per item
t.yaml:19:36: min cannot be combined with count: write count for an exact number, min and/or max for a range
t.yaml:20:36: max (1) is less than min (2)
t.yaml:21:27: key "to" in expectation has no value
t.yaml:21:36: key "cert" in expectation has no value
t.yaml:22:5: expectation mixes outcome and to: write one check per item
t.yaml:23:48: key "code" in expectation has no value`},
	{"no cascade into the new checks", `name: ok
start: 2026-03-01T00:00:00Z
resources: [{id: cdn, kind: cdn}]
certificates:
  - {id: a, domain: a.example.com., validation: email, validation_domain: example.com}
  - {id: b, domain: b.example.com, sans: ["bad name"], validation: email, validation_domain: {"bad name": example.com}}
  - {id: c, domain: "*.c.example.com.", validation: http, in_use_by: [cdn]}
  - {id: d, domain: d.example.com, validation: http, in_use_by: [cdn, api]}
`, `t.yaml:3:29: kind: unknown resource kind "cdn" (expected one of: elb, cloudfront, apigateway, other)
t.yaml:5:21: domain: "a.example.com.": write the name without the trailing dot
t.yaml:6:43: sans: "bad name" is not a valid domain name (want labels of letters, digits and hyphens separated by dots, like example.com or *.example.com)
t.yaml:7:21: domain: "*.c.example.com.": write the name without the trailing dot
t.yaml:8:71: in_use_by: unknown resource "api" (known: cdn)`},
}

func TestBroken(t *testing.T) {
	require.GreaterOrEqual(t, len(brokenCases), 20)
	for _, tc := range brokenCases {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := Parse("t.yaml", []byte(tc.doc))
			require.Error(t, err)
			assert.Nil(t, sc)
			errs, ok := err.(Errors)
			require.True(t, ok, "error is %T, want Errors", err)
			for _, e := range errs {
				assert.Equal(t, "t.yaml", e.File)
				assert.GreaterOrEqual(t, e.Line, 1)
				assert.GreaterOrEqual(t, e.Col, 1)
			}
			assert.Equal(t, tc.want, err.Error())
		})
	}
}
