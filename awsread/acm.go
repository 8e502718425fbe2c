package awsread

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	acmtypes "github.com/aws/aws-sdk-go-v2/service/acm/types"
)

// listInput asks ListCertificates for every certificate: by default it
// returns only RSA_1024 and RSA_2048 keys (Includes.keyTypes widens that to
// every key algorithm) and leaves out certificates whose key pair came
// through ACME (CertificateKeyPairOrigins names all three origins).
// Exportable and other certificates alike are returned when
// Includes.exportOption is not given, so it is not.
func listInput() *acm.ListCertificatesInput {
	return &acm.ListCertificatesInput{
		Includes:                  &acmtypes.Filters{KeyTypes: acmtypes.KeyAlgorithm("").Values()},
		CertificateKeyPairOrigins: acmtypes.CertificateKeyPairOrigin("").Values(),
		MaxItems:                  aws.Int32(1000),
	}
}

// regionRead is what one region of one account holds.
type regionRead struct {
	t       *target
	region  string
	account string // the target's, or the one the ARNs name
	list    []acmtypes.CertificateSummary
	details map[string]*acmtypes.CertificateDetail
	// days is the account configuration's DaysBeforeExpiry, nil when it
	// could not be read.
	days *int32
}

func (rr *regionRead) where() string {
	if rr.account != "" {
		return fmt.Sprintf("account %s, %s", rr.account, rr.region)
	}
	return fmt.Sprintf("%s, %s", rr.t.label, rr.region)
}

// readACM lists the certificates of one region, describes each, and reads
// the account configuration. cloudFrontOnly keeps only the certificates
// CloudFront uses (us-east-1 read without being asked for).
func (r *reader) readACM(ctx context.Context, t *target, region string, cloudFrontOnly bool) (*regionRead, error) {
	cfg := t.cfg.Copy()
	cfg.Region = region
	client := acm.NewFromConfig(cfg)
	rr := &regionRead{t: t, region: region, account: t.account, details: map[string]*acmtypes.CertificateDetail{}}
	pages := acm.NewListCertificatesPaginator(client, listInput())
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, &CallError{Where: rr.where(), Action: "acm:ListCertificates", Err: err}
		}
		rr.list = append(rr.list, page.CertificateSummaryList...)
		r.advance(func(p *Progress) { p.CertificatesTotal += len(page.CertificateSummaryList) })
	}
	if rr.account == "" {
		for _, s := range rr.list {
			if a := arnAccount(aws.ToString(s.CertificateArn)); a != "" {
				rr.account = a
				break
			}
		}
	}
	if err := r.describeAll(ctx, client, rr, cloudFrontOnly); err != nil {
		return nil, err
	}
	if cloudFrontOnly {
		kept := rr.list[:0]
		for _, s := range rr.list {
			if d := rr.details[aws.ToString(s.CertificateArn)]; d != nil && cloudFronts(d) {
				kept = append(kept, s)
			} else {
				delete(rr.details, aws.ToString(s.CertificateArn))
			}
		}
		rr.list = kept
	}
	out, err := client.GetAccountConfiguration(ctx, &acm.GetAccountConfigurationInput{})
	switch {
	case err == nil && out.ExpiryEvents != nil && out.ExpiryEvents.DaysBeforeExpiry != nil:
		rr.days = out.ExpiryEvents.DaysBeforeExpiry
	case Denied(err):
		r.warn("%s: acm:GetAccountConfiguration: access denied: the check goes on with ACM's default DaysBeforeExpiry and leaves out its note on Approaching Expiration events; add acm:GetAccountConfiguration to the policy", rr.where())
	case err != nil:
		return nil, &CallError{Where: rr.where(), Action: "acm:GetAccountConfiguration", Err: err}
	}
	return rr, nil
}

// cloudFronts tells whether CloudFront uses or manages the certificate.
func cloudFronts(d *acmtypes.CertificateDetail) bool {
	if d.ManagedBy == acmtypes.CertificateManagedByCloudfront {
		return true
	}
	return slices.ContainsFunc(d.InUseBy, func(a string) bool { return strings.Contains(a, ":cloudfront::") })
}

// describeAll describes every listed certificate with a bounded pool of
// workers. A certificate deleted since it was listed is dropped; one the
// credentials may not describe stays listed, and the check says it cannot
// tell.
func (r *reader) describeAll(ctx context.Context, client *acm.Client, rr *regionRead, cloudFrontOnly bool) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	arns := make(chan string)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var gone []string
	denied := 0
	for range r.opt.Workers {
		wg.Go(func() {
			for arn := range arns {
				out, err := client.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: aws.String(arn)})
				var nf *acmtypes.ResourceNotFoundException
				mu.Lock()
				switch {
				case err == nil && out.Certificate != nil:
					rr.details[arn] = out.Certificate
				case errors.As(err, &nf):
					gone = append(gone, arn)
				case Denied(err):
					denied++
				case err != nil:
					cancel(&CallError{Where: rr.where(), Action: "acm:DescribeCertificate", Err: fmt.Errorf("%s: %w", arn, err)})
				}
				mu.Unlock()
				r.advance(func(p *Progress) { p.Certificates++ })
			}
		})
	}
feed:
	for _, s := range rr.list {
		select {
		case arns <- aws.ToString(s.CertificateArn):
		case <-ctx.Done():
			break feed // a call failed for good: describe no more
		}
	}
	close(arns)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return err
	}
	if denied > 0 {
		what := "they are listed as \"cannot tell\""
		if cloudFrontOnly {
			what = "whether CloudFront uses them cannot be told, so they are left out"
		}
		r.warn("%s: acm:DescribeCertificate: access denied for %d of %d certificates: %s; add acm:DescribeCertificate to the policy", rr.where(), denied, len(rr.list), what)
	}
	if len(gone) > 0 {
		rr.list = slices.DeleteFunc(rr.list, func(s acmtypes.CertificateSummary) bool { return slices.Contains(gone, aws.ToString(s.CertificateArn)) })
	}
	return nil
}

// arnAccount is the account of an ARN, "" when it names none.
func arnAccount(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[4]
}

// arnID is the last part of an ACM certificate ARN.
func arnID(arn string) string { return arn[strings.LastIndexByte(arn, '/')+1:] }

// acmDocs writes what the regions held as the AWS CLI writes it, and the
// account configuration: one value for the fleet, the most common (the
// first read on a tie) when accounts or regions differ.
func (r *reader) acmDocs(targets []*target, regions []*regionRead) ([]Doc, *Doc) {
	prefixed := len(targets) > 1 || targets[0].account != ""
	var docs []Doc
	count := map[int32]int{}
	var order []int32
	var seen []string
	for _, rr := range regions {
		prefix := ""
		if prefixed {
			prefix = rr.account + "."
		}
		summaries := make([]any, 0, len(rr.list))
		for _, s := range rr.list {
			summaries = append(summaries, s)
		}
		docs = append(docs, Doc{Rel: "acm/" + prefix + rr.region + ".list-certificates.json",
			Data: cliJSON(object{{"CertificateSummaryList", summaries}})})
		for _, s := range rr.list {
			arn := aws.ToString(s.CertificateArn)
			if d := rr.details[arn]; d != nil {
				docs = append(docs, Doc{Rel: "acm/" + prefix + rr.region + ".describe-" + arnID(arn) + ".json",
					Data: cliJSON(object{{"Certificate", d}})})
			}
		}
		if rr.days != nil {
			if count[*rr.days] == 0 {
				order = append(order, *rr.days)
			}
			count[*rr.days]++
			seen = append(seen, fmt.Sprintf("%d in %s", *rr.days, rr.where()))
		}
	}
	if len(order) == 0 {
		return docs, nil
	}
	best := order[0]
	for _, d := range order[1:] {
		if count[d] > count[best] {
			best = d
		}
	}
	if len(order) > 1 {
		r.warn("DaysBeforeExpiry differs (%s): the check uses %d for the whole fleet", strings.Join(seen, ", "), best)
	}
	return docs, &Doc{Rel: "account-config.json", Data: cliJSON(object{{"ExpiryEvents", object{{"DaysBeforeExpiry", best}}}})}
}
