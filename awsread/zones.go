package awsread

import (
	"context"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	acmtypes "github.com/aws/aws-sdk-go-v2/service/acm/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
)

// maxChainHops bounds how far a validation record's CNAME chain is
// followed into other hosted zones (ACM follows 5).
const maxChainHops = 8

// hostedZone is one hosted zone of one account.
type hostedZone struct {
	t       *target
	client  *route53.Client
	zone    r53types.HostedZone
	name    string // lower case, trailing dot, escapes as Route 53 writes them
	records []r53types.ResourceRecordSet
	read    bool
}

func (z *hostedZone) id() string {
	return strings.TrimPrefix(aws.ToString(z.zone.Id), "/hostedzone/")
}

func (z *hostedZone) contains(name string) bool {
	return name == z.name || strings.HasSuffix(name, "."+z.name)
}

// readZones lists the hosted zones of every account and reads the records
// of the public ones that decide a renewal: the deepest zone holding each
// name of an issued, DNS- or e-mail-validated certificate, each
// validation record, and the names their CNAME chains lead to. Private
// zones are listed (the check reports them), never read: ACM validates
// through public DNS. Zones the credentials may not read are warned about;
// the names in them are "cannot tell: no zone data".
func (r *reader) readZones(ctx context.Context, targets []*target, regions []*regionRead) []Doc {
	var public []*hostedZone
	var docs []Doc
	prefixed := len(targets) > 1 || targets[0].account != ""
	for _, t := range targets {
		cfg := t.cfg.Copy()
		if cfg.Region == "" {
			cfg.Region = CloudFrontRegion // Route 53 is global; its endpoint is signed for us-east-1
		}
		client := route53.NewFromConfig(cfg)
		pages := route53.NewListHostedZonesPaginator(client, &route53.ListHostedZonesInput{})
		private := []any{}
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			if err != nil {
				r.zoneWarning(t, "route53:ListHostedZones", "", err)
				break
			}
			for _, hz := range page.HostedZones {
				if hz.Config != nil && hz.Config.PrivateZone {
					private = append(private, hz)
					continue
				}
				public = append(public, &hostedZone{t: t, client: client, zone: hz, name: canonical(aws.ToString(hz.Name))})
			}
		}
		// Only the private zones, which the check reports: the public ones
		// are the files of their records. Written even when empty, so
		// that an export always has its zones directory.
		docs = append(docs, Doc{Rel: "zones/" + t.prefix(prefixed) + "list-hosted-zones.json", Data: cliJSON(object{{"HostedZones", private}})})
	}
	var names []string
	var records []string
	for _, rr := range regions {
		for _, d := range rr.details {
			if !validated(d) {
				continue
			}
			for _, n := range append([]string{aws.ToString(d.DomainName)}, d.SubjectAlternativeNames...) {
				names = appendNew(names, canonical(strings.TrimPrefix(n, "*.")))
			}
			for _, v := range d.DomainValidationOptions {
				if v.ResourceRecord != nil {
					records = appendNew(records, canonical(aws.ToString(v.ResourceRecord.Name)))
				}
			}
		}
	}
	slices.Sort(names)
	slices.Sort(records)
	want := map[*hostedZone]bool{}
	for _, n := range slices.Concat(names, records) {
		if z := deepest(public, n); z != nil {
			want[z] = true
		}
	}
	// Read what is wanted, then follow the validation records' CNAMEs
	// into zones not read yet, until no new zone is wanted.
	cur := slices.Clone(records)
	for hop := 0; hop <= maxChainHops && len(want) > 0; hop++ {
		var batch []*hostedZone
		for _, z := range public {
			if want[z] && !z.read {
				batch = append(batch, z)
			}
		}
		r.advance(func(p *Progress) { p.ZonesTotal += len(batch) })
		for _, z := range batch {
			r.readRecords(ctx, z)
			r.advance(func(p *Progress) { p.Zones++ })
		}
		var next []string
		for _, n := range cur {
			if t := cnameTarget(public, n); t != "" {
				next = appendNew(next, t)
				if z := deepest(public, t); z != nil && !z.read {
					want[z] = true
				}
			}
		}
		cur = next
		if len(batch) == 0 && len(cur) == 0 {
			break
		}
	}
	for _, z := range public {
		if z.read {
			sets := make([]any, len(z.records))
			for i, s := range z.records {
				sets[i] = s
			}
			docs = append(docs, Doc{Rel: "zones/" + z.t.prefix(prefixed) + z.id() + ".json", Data: cliJSON(object{{"ResourceRecordSets", sets}})})
		}
	}
	return docs
}

// prefix starts the names of an account's documents when several are read.
func (t *target) prefix(prefixed bool) string {
	if !prefixed {
		return ""
	}
	return t.account + "."
}

// validated tells whether ACM validates the certificate to renew it: an
// issued, Amazon-issued one.
func validated(d *acmtypes.CertificateDetail) bool {
	return d.Type == acmtypes.CertificateTypeAmazonIssued && d.Status == acmtypes.CertificateStatusIssued
}

// readRecords reads every record set of a zone, page by page.
func (r *reader) readRecords(ctx context.Context, z *hostedZone) {
	pages := route53.NewListResourceRecordSetsPaginator(z.client, &route53.ListResourceRecordSetsInput{HostedZoneId: z.zone.Id})
	var sets []r53types.ResourceRecordSet
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			r.zoneWarning(z.t, "route53:ListResourceRecordSets", z.name+" ("+z.id()+")", err)
			return
		}
		sets = append(sets, page.ResourceRecordSets...)
	}
	z.records, z.read = sets, true
}

// zoneWarning says what a failed Route 53 call leaves the check unable to
// tell: it goes on without those zones.
func (r *reader) zoneWarning(t *target, action, zone string, err error) {
	what := "the hosted zones of " + t.label
	if zone != "" {
		what = "zone " + zone + " of " + t.label
	}
	if Denied(err) {
		r.warn("%s: access denied to %s: certificates validated there are \"cannot tell: no zone data\"; add %s to the policy", what, action, action)
		return
	}
	r.warn("%s: %s failed: %v; certificates validated there are \"cannot tell: no zone data\"", what, action, err)
}

// deepest is the public zone that holds name, the deepest of them; nil
// when none does.
func deepest(zones []*hostedZone, name string) *hostedZone {
	var best *hostedZone
	for _, z := range zones {
		if z.contains(name) && (best == nil || len(z.name) > len(best.name)) {
			best = z
		}
	}
	return best
}

// cnameTarget is the target of the CNAME at name in the zones read, "".
func cnameTarget(zones []*hostedZone, name string) string {
	z := deepest(zones, name)
	if z == nil || !z.read {
		return ""
	}
	for _, s := range z.records {
		if s.Type == r53types.RRTypeCname && canonical(aws.ToString(s.Name)) == name && len(s.ResourceRecords) > 0 {
			return canonical(aws.ToString(s.ResourceRecords[0].Value))
		}
	}
	return ""
}

// canonical is a DNS name in lower case with its trailing dot.
func canonical(name string) string {
	name = strings.ToLower(name)
	if !strings.HasSuffix(name, ".") {
		name += "."
	}
	return name
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
