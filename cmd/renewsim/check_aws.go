package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"golang.org/x/term"

	"github.com/renewsim/renewsim/awsread"
	"github.com/renewsim/renewsim/fleet"
	"github.com/renewsim/renewsim/sim"
)

// liveFlags are check's flags for reading a live account (-aws).
type liveFlags struct {
	aws                                               bool
	profile, regions, assumeRole, accounts, exportDir string
}

func (l *liveFlags) add(fs *flag.FlagSet) {
	fs.BoolVar(&l.aws, "aws", false, "read the fleet from the live account instead of exports: ACM (every key type and origin) and the public Route 53 zones that hold its names, read-only, with the AWS SDK's default credentials and endpoint settings (see docs/check.md)")
	fs.StringVar(&l.profile, "aws-profile", "", "with -aws: the AWS `PROFILE` of the shared config files (default: AWS_PROFILE, or the default chain)")
	fs.StringVar(&l.regions, "regions", "", "with -aws: the `REGIONS` to read, comma-separated, or all (the account's enabled regions); default: the AWS configuration's region. CloudFront's certificates are read from us-east-1 in any case")
	fs.StringVar(&l.assumeRole, "assume-role", "", "with -aws and -accounts: the IAM `ROLE` name to assume in each account through STS")
	fs.StringVar(&l.accounts, "accounts", "", "with -aws and -assume-role: the account `IDS` to check as one fleet, comma-separated, or a file of them (one per line, # comments)")
	fs.StringVar(&l.exportDir, "export", "", "with -aws: write what was read to `DIR` in the AWS CLI's shapes (DIR/acm, DIR/zones, DIR/account-config.json): check -acm DIR/acm -zones DIR/zones -account-config DIR/account-config.json gives the same output")
}

// options checks the flags of -aws: every usage error before any call.
func (l *liveFlags) options(f checkFlags) (*awsread.Options, error) {
	if !l.aws {
		for _, n := range []struct{ name, val string }{{"aws-profile", l.profile}, {"regions", l.regions}, {"assume-role", l.assumeRole}, {"accounts", l.accounts}, {"export", l.exportDir}} {
			if n.val != "" {
				return nil, usagef("check: -%s reads a live account: give it with -aws", n.name)
			}
		}
		return nil, nil
	}
	if len(f.acm) > 0 || len(f.zoneDirs) > 0 || len(f.zonePairs) > 0 || f.account != "" || len(f.terraform)+len(f.cloudformation) > 0 {
		return nil, usagef("check: -aws reads the account itself; leave out -acm, -zones, -zone, -account-config, -terraform and -cloudformation (check the exports of -export with the first four)")
	}
	opt := &awsread.Options{Profile: l.profile, AssumeRole: l.assumeRole}
	switch r := strings.TrimSpace(l.regions); {
	case r == "all":
		opt.AllRegions = true
	case r != "":
		for _, region := range strings.Split(r, ",") {
			region = strings.TrimSpace(region)
			if !sim.ValidRegion(region) {
				return nil, usagef("-regions: %q is not an AWS region like us-east-1 (or give all)", region)
			}
			if !contains(opt.Regions, region) {
				opt.Regions = append(opt.Regions, region)
			}
		}
	}
	if (l.assumeRole == "") != (l.accounts == "") {
		return nil, usagef("check: -assume-role and -accounts go together: the role is assumed in each account")
	}
	if l.accounts != "" {
		ids, err := accountIDs(l.accounts)
		if err != nil {
			return nil, err
		}
		opt.Accounts = ids
	}
	if l.exportDir != "" {
		if err := exportDirFree(l.exportDir); err != nil {
			return nil, err
		}
	}
	return opt, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// accountIDs reads -accounts: ids separated by commas, or a file of them.
func accountIDs(v string) ([]string, error) {
	var fields []string
	source := "-accounts"
	if strings.Trim(v, "0123456789, ") != "" {
		data, err := os.ReadFile(v)
		if err != nil {
			return nil, usagef("-accounts: want account ids like 111122223333,444455556666 or a file of them: %v", err)
		}
		source = v
		sc := bufio.NewScanner(strings.NewReader(string(data)))
		for n := 1; sc.Scan(); n++ {
			line, _, _ := strings.Cut(sc.Text(), "#")
			for _, f := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
				if !sim.ValidAccount(f) {
					return nil, usagef("%s:%d: want a 12-digit account id, got %q", v, n, f)
				}
				fields = append(fields, f)
			}
		}
	} else {
		for _, f := range strings.Split(v, ",") {
			f = strings.TrimSpace(f)
			if !sim.ValidAccount(f) {
				return nil, usagef("-accounts: want 12-digit account ids like 111122223333,444455556666, got %q", f)
			}
			fields = append(fields, f)
		}
	}
	var out []string
	for _, f := range fields {
		if !contains(out, f) {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return nil, usagef("%s: no account id in it", source)
	}
	return out, nil
}

// exportDirFree refuses an export directory whose acm or zones directory
// holds files already: the check of the export would read them too.
func exportDirFree(dir string) error {
	for _, sub := range []string{"acm", "zones"} {
		entries, err := os.ReadDir(filepath.Join(dir, sub))
		if err == nil && len(entries) > 0 {
			return usagef("-export %s: %s already holds files; give a new or empty directory (the check of an export reads every file in it)", dir, filepath.Join(dir, sub))
		}
	}
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return usagef("-export %s: not a directory", dir)
	}
	return nil
}

// awsConfigHook, set by tests only, makes each account's configuration
// instead of the default chain and STS: several accounts are then several
// serves.
var awsConfigHook func(ctx context.Context, account string) (aws.Config, error)

// readAWS reads the live account into the request's inputs and, with
// -export, writes it where the documents are named from: the check of
// the export reads the same bytes under the same names.
func (req *checkRequest) readAWS(ctx context.Context, stderr io.Writer) error {
	if req.live == nil {
		return nil
	}
	opt := *req.live
	opt.Config = awsConfigHook
	bar := newProgressBar(stderr)
	opt.Progress = bar.show
	res, err := awsread.Read(ctx, opt)
	bar.done()
	if err != nil {
		return &usageError{fmt.Errorf("check -aws: %w", err)}
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(stderr, "renewsim: warning:", w)
	}
	root := "aws:"
	if req.exportDir != "" {
		root = req.exportDir
	}
	name := func(rel string) string {
		if req.exportDir == "" {
			return root + rel
		}
		return filepath.Join(root, filepath.FromSlash(rel))
	}
	for _, d := range res.ACM {
		req.input.ACMDocs = append(req.input.ACMDocs, fleet.Doc{Name: name(d.Rel), Data: d.Data})
	}
	for _, d := range res.Zones {
		req.input.ZoneDocs = append(req.input.ZoneDocs, fleet.Doc{Name: name(d.Rel), Data: d.Data})
	}
	if res.Account != nil {
		req.input.AccountDoc = &fleet.Doc{Name: name(res.Account.Rel), Data: res.Account.Data}
	}
	if req.exportDir == "" {
		return nil
	}
	var docs []awsread.Doc
	docs = append(append(docs, res.ACM...), res.Zones...)
	if res.Account != nil {
		docs = append(docs, *res.Account)
	}
	for _, sub := range []string{"acm", "zones"} {
		if err := os.MkdirAll(filepath.Join(req.exportDir, sub), 0o755); err != nil {
			return fmt.Errorf("-export: %w", err)
		}
	}
	var errs []error
	for _, d := range docs {
		if err := os.WriteFile(name(d.Rel), d.Data, 0o644); err != nil {
			errs = append(errs, fmt.Errorf("-export: %w", err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	cmd := fmt.Sprintf("renewsim check -acm %s -zones %s", filepath.Join(root, "acm"), filepath.Join(root, "zones"))
	if res.Account != nil {
		cmd += " -account-config " + name(res.Account.Rel)
	}
	fmt.Fprintf(stderr, "renewsim: exported %d files to %s; check them again with: %s -now %s\n", len(docs), root, cmd, req.options.Now.Format("2006-01-02T15:04:05Z07:00"))
	return nil
}

// progressBar draws "reading N/M certificates, N/M zones" on a terminal,
// rewriting one line; it is silent when stderr is not a terminal.
type progressBar struct {
	mu    sync.Mutex
	w     io.Writer
	on    bool
	shown bool
	last  awsread.Progress
}

func newProgressBar(w io.Writer) *progressBar {
	f, ok := w.(*os.File)
	return &progressBar{w: w, on: ok && term.IsTerminal(int(f.Fd()))}
}

func (b *progressBar) show(p awsread.Progress) {
	if !b.on {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if p == b.last {
		return
	}
	b.last, b.shown = p, true
	fmt.Fprintf(b.w, "\rreading %d/%d certificates, %d/%d zones ", p.Certificates, p.CertificatesTotal, p.Zones, p.ZonesTotal)
}

// done ends the line the bar drew on, so that what follows starts clean.
func (b *progressBar) done() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.shown {
		fmt.Fprint(b.w, "\r\033[K")
	}
}
