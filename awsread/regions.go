package awsread

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/account"
	accounttypes "github.com/aws/aws-sdk-go-v2/service/account/types"
	"github.com/aws/smithy-go"
)

// regions are the regions to read in t: those asked for, every enabled
// one, or the configuration's.
func (r *reader) regions(ctx context.Context, t *target) ([]string, error) {
	switch {
	case r.opt.AllRegions:
		return r.enabledRegions(ctx, t)
	case len(r.opt.Regions) > 0:
		return slices.Clone(r.opt.Regions), nil
	case t.cfg.Region != "":
		return []string{t.cfg.Region}, nil
	}
	return nil, ErrNoRegion
}

// enabledRegions lists the regions enabled in t's account. account:
// ListRegions is chosen over ec2:DescribeRegions: its SDK module is a few
// hundred kilobytes where EC2's is the largest of all, and the permission
// names exactly this question rather than a slice of EC2.
func (r *reader) enabledRegions(ctx context.Context, t *target) ([]string, error) {
	cfg := t.cfg.Copy()
	if cfg.Region == "" {
		cfg.Region = CloudFrontRegion // the Account API is global, served from us-east-1
	}
	client := account.NewFromConfig(cfg)
	pages := account.NewListRegionsPaginator(client, &account.ListRegionsInput{
		RegionOptStatusContains: []accounttypes.RegionOptStatus{accounttypes.RegionOptStatusEnabled, accounttypes.RegionOptStatusEnabledByDefault},
	})
	var out []string
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, &CallError{Where: t.label, Action: "account:ListRegions", Err: fmt.Errorf("%w (or give the regions with -regions)", err)}
		}
		for _, rg := range page.Regions {
			if rg.RegionName != nil {
				out = append(out, *rg.RegionName)
			}
		}
	}
	slices.Sort(out)
	return out, nil
}

// deniedCodes are the error codes AWS answers a call the credentials may
// not make with.
var deniedCodes = []string{"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess", "NotAuthorized"}

// Denied tells whether err is AWS refusing the call for want of a
// permission.
func Denied(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && slices.Contains(deniedCodes, ae.ErrorCode())
}
