package awsread

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
)

// CloudFrontRegion is where CloudFront's certificates live, whatever
// region the distribution serves.
const CloudFrontRegion = "us-east-1"

// Options say which accounts and regions to read, and how.
type Options struct {
	// Profile is the AWS profile of the shared config files; "" takes the
	// default chain (AWS_PROFILE, environment credentials, SSO, ...).
	Profile string
	// Regions to read; empty: the configuration's region. CloudFront's
	// certificates are read from us-east-1 whatever is asked.
	Regions []string
	// AllRegions reads every region enabled in each account
	// (account:ListRegions) instead of Regions.
	AllRegions bool
	// AssumeRole, with Accounts, is the role (a name, possibly with a
	// path) assumed in each account through STS.
	AssumeRole string
	// Accounts are the 12-digit ids to read with AssumeRole.
	Accounts []string
	// Workers bounds the DescribeCertificate calls in flight per region
	// (default 8): ACM allows about 10 per second, and the adaptive retry
	// mode slows down further when throttled.
	Workers int
	// MaxAttempts bounds each call's attempts (default 10): throttling is
	// retried with backoff rather than ending the read.
	MaxAttempts int
	// Progress, when set, is told how far the read is, one call at a time.
	Progress func(Progress)
	// Config, when set, makes the configuration of each account instead
	// of the default chain and STS: account is "" without Accounts. Tests
	// use it to point each account at a server of its own.
	Config func(ctx context.Context, account string) (aws.Config, error)
}

// Progress is how far a read is.
type Progress struct {
	Certificates, CertificatesTotal int // described, listed
	Zones, ZonesTotal               int // read, to read
}

// Doc is one document of what was read, in the shape the AWS CLI writes
// it with --output json. Rel is its path under an export directory:
// acm/..., zones/... or account-config.json.
type Doc struct {
	Rel  string
	Data []byte
}

// Result is what a read found.
type Result struct {
	ACM     []Doc // list-certificates and describe-certificate outputs, sorted by Rel
	Zones   []Doc // list-hosted-zones and list-resource-record-sets outputs, sorted by Rel
	Account *Doc  // get-account-configuration output; nil when none could be read
	// Warnings say what could not be read and what the check can still
	// tell without it.
	Warnings []string
	// Calls counts the calls made, by IAM action (acm:DescribeCertificate).
	Calls map[string]int
	// Accounts and Regions are what was read.
	Accounts []string
	Regions  []string
}

// target is one account to read, with its configuration.
type target struct {
	account string // "" when only the certificates' ARNs will tell
	label   string // how messages name it
	cfg     aws.Config
	regions []string
	// implied is us-east-1 when it was not asked for: only CloudFront's
	// certificates are kept from it.
	implied bool
}

// reader is one read in progress.
type reader struct {
	opt      Options
	mu       sync.Mutex
	progress Progress
	warnings []string
	calls    map[string]int
}

// Read reads the accounts and regions of opt: the ACM certificates (every
// key type and origin), the account configuration, and the public Route
// 53 zones that hold their names. It only reads: no call it makes changes
// anything, and no credential is ever written into what it returns.
func Read(ctx context.Context, opt Options) (*Result, error) {
	if opt.Workers <= 0 {
		opt.Workers = 8
	}
	if opt.MaxAttempts <= 0 {
		opt.MaxAttempts = 10
	}
	if opt.AssumeRole != "" && len(opt.Accounts) == 0 {
		return nil, fmt.Errorf("assume role %s: no accounts given", opt.AssumeRole)
	}
	r := &reader{opt: opt, calls: map[string]int{}}
	targets, err := r.targets(ctx)
	if err != nil {
		return nil, err
	}
	res := &Result{Calls: r.calls}
	var certs []*regionRead
	for _, t := range targets {
		for _, region := range t.regions {
			rr, err := r.readACM(ctx, t, region, region == CloudFrontRegion && t.implied)
			if err != nil {
				return nil, err
			}
			certs = append(certs, rr)
		}
	}
	for _, rr := range certs {
		if rr.t.account == "" && rr.account != "" {
			// The certificates' ARNs told whose the default credentials are:
			// later messages name the account.
			rr.t.label = "account " + rr.account
		}
	}
	res.ACM, res.Account = r.acmDocs(targets, certs)
	res.Zones = r.readZones(ctx, targets, certs)
	for _, t := range targets {
		res.Accounts = append(res.Accounts, t.account)
		for _, region := range t.regions {
			if !slices.Contains(res.Regions, region) {
				res.Regions = append(res.Regions, region)
			}
		}
	}
	slices.SortFunc(res.ACM, func(a, b Doc) int { return cmp.Compare(a.Rel, b.Rel) })
	slices.SortFunc(res.Zones, func(a, b Doc) int { return cmp.Compare(a.Rel, b.Rel) })
	res.Warnings = r.warnings
	return res, nil
}

// targets are the accounts to read, each with its configuration and its
// regions.
func (r *reader) targets(ctx context.Context) ([]*target, error) {
	accounts := r.opt.Accounts
	if len(accounts) == 0 {
		accounts = []string{""}
	}
	var base aws.Config
	if r.opt.Config == nil {
		var err error
		if base, err = r.loadBase(ctx); err != nil {
			return nil, err
		}
	}
	var out []*target
	for _, acct := range accounts {
		t := &target{account: acct, label: "account " + acct}
		switch {
		case r.opt.Config != nil:
			cfg, err := r.opt.Config(ctx, acct)
			if err != nil {
				return nil, fmt.Errorf("%s: configuration: %w", t.label, err)
			}
			t.cfg = r.instrument(cfg)
		case r.opt.AssumeRole != "":
			t.cfg = r.assume(base, acct)
		default:
			t.cfg = base
		}
		if acct == "" {
			t.label = "the account of the default credentials"
			if r.opt.Profile != "" {
				t.label = "the account of profile " + r.opt.Profile
			}
		}
		regions, err := r.regions(ctx, t)
		if err != nil {
			return nil, err
		}
		t.regions = regions
		if !slices.Contains(regions, CloudFrontRegion) {
			t.regions = append(t.regions, CloudFrontRegion)
			t.implied = true
		}
		out = append(out, t)
	}
	return out, nil
}

// loadBase loads the shared configuration the standard way: profile,
// environment, SSO, the endpoint settings (AWS_ENDPOINT_URL,
// AWS_ENDPOINT_URL_<SERVICE>, endpoint_url), with the adaptive retry mode,
// which also slows the client down when the service throttles.
func (r *reader) loadBase(ctx context.Context) (aws.Config, error) {
	opts := []func(*config.LoadOptions) error{config.WithAppID("renewsim-check")}
	if r.opt.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(r.opt.Profile))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load the AWS configuration: %w", err)
	}
	return r.instrument(cfg), nil
}

// instrument gives every client of cfg renewsim's retryer, and counts the
// calls they make by IAM action.
func (r *reader) instrument(cfg aws.Config) aws.Config {
	cfg = cfg.Copy()
	attempts := max(r.opt.MaxAttempts, cfg.RetryMaxAttempts)
	// The adaptive mode slows a client down when its service throttles,
	// and each client (one per account and region) gets its own, as ACM's
	// quotas are per region. Its retry quota is switched off: reading ten
	// thousand certificates under throttling would exhaust it and fail
	// calls that a slower pace would have answered.
	cfg.Retryer = func() aws.Retryer {
		return retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
			o.StandardOptions = append(o.StandardOptions, func(so *retry.StandardOptions) {
				so.MaxAttempts = attempts
				so.RateLimiter = ratelimit.None
			})
		})
	}
	cfg.APIOptions = append(slices.Clone(cfg.APIOptions), func(s *middleware.Stack) error {
		return s.Initialize.Add(middleware.InitializeMiddlewareFunc("renewsimCallCount",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				r.count(iamAction(awsmiddleware.GetServiceID(ctx), awsmiddleware.GetOperationName(ctx)))
				return next.HandleInitialize(ctx, in)
			}), middleware.After)
	})
	return cfg
}

func (r *reader) count(action string) {
	r.mu.Lock()
	r.calls[action]++
	r.mu.Unlock()
}

// iamAction is the IAM action of an SDK service id and operation.
func iamAction(service, op string) string {
	prefix := strings.ToLower(strings.ReplaceAll(service, " ", ""))
	return prefix + ":" + op
}

// assume is base with the credentials of role in account, through STS;
// refreshed before they expire.
func (r *reader) assume(base aws.Config, account string) aws.Config {
	arn := fmt.Sprintf("arn:%s:iam::%s:role/%s", partition(base.Region), account, strings.TrimPrefix(r.opt.AssumeRole, "/"))
	prov := stscreds.NewAssumeRoleProvider(sts.NewFromConfig(base), arn, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = "renewsim-check"
	})
	cfg := base.Copy()
	cfg.Credentials = aws.NewCredentialsCache(prov)
	return cfg
}

// partition is the ARN partition of a region.
func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// warn adds a warning.
func (r *reader) warn(format string, args ...any) {
	r.mu.Lock()
	r.warnings = append(r.warnings, fmt.Sprintf(format, args...))
	r.mu.Unlock()
}

// advance changes the progress and tells the caller.
func (r *reader) advance(f func(p *Progress)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f(&r.progress)
	if r.opt.Progress != nil {
		r.opt.Progress(r.progress)
	}
}

// CallError is a call that failed, with the account, region and IAM action
// it was.
type CallError struct {
	Where  string // "account 111122223333, us-east-1", …
	Action string // acm:ListCertificates, …
	Err    error
}

func (e *CallError) Error() string {
	msg := fmt.Sprintf("%s: %s: %v", e.Where, e.Action, e.Err)
	if Denied(e.Err) {
		msg += fmt.Sprintf(" (the credentials lack %s: see docs/iam/renewsim-check-policy.json)", e.Action)
	}
	return msg
}

func (e *CallError) Unwrap() error { return e.Err }

// ErrNoRegion is returned when no region is given and the configuration
// has none.
var ErrNoRegion = errors.New("no region: give -regions, or set AWS_REGION or the profile's region")
