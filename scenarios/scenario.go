package scenarios

import (
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/renewsim/renewsim/sim"
)

// scenarioDraft is what reading the top mapping needs beside build.
type scenarioDraft struct {
	m        *mapping
	top      pos    // where the document starts
	wantName string // the name a library file must have, or ""
	// allExpiries is set when every certificate's first expiry is known,
	// which the default until needs.
	allExpiries bool
}

// The steps in which the top mapping is read: each uses what the steps
// before it stored.
const (
	scenarioAbout        = iota // name, description, profile
	scenarioProfile             // overrides and days_before_expiry change the profile
	scenarioSeed                // seed
	scenarioStart               // start: every time may refer to it
	scenarioResources           // resources: certificates use them
	scenarioCertificates        // certificates: need start and the profile
	scenarioUntil               // until: by default after every first expiry
	scenarioDNS                 // dns
	scenarioEmail               // the e-mail keys: a mailbox clicks at a time before until
	scenarioTimeline            // timeline: changes between start and until, counting zone lines after dns
	scenarioAlarms              // alarms: watch certificates and resources
	scenarioExpect              // expect: names all of them
)

// scenarioTable is how the top mapping is read.
var scenarioTable = newKeyTable("scenario", []keyRow[scenarioDraft]{
	{key: "name", required: true, step: scenarioAbout, read: (*loader).scenarioName},
	{key: "description", step: scenarioAbout, read: (*loader).scenarioDescription},
	{key: "profile", step: scenarioAbout, read: (*loader).scenarioProfile, absent: defaultProfile},
	{key: "start", required: true, step: scenarioStart, read: (*loader).scenarioStart},
	{key: "until", step: scenarioUntil, read: (*loader).writtenUntil, absent: (*loader).defaultUntil},
	{key: "seed", step: scenarioSeed, read: (*loader).scenarioSeed},
	{key: "overrides", step: scenarioProfile, read: (*loader).scenarioOverrides, absent: (*loader).scenarioOverrides},
	{key: "resources", step: scenarioResources, read: (*loader).scenarioResources},
	{key: "certificates", required: true, step: scenarioCertificates, read: (*loader).scenarioCertificates},
	{key: "dns", step: scenarioDNS, read: (*loader).scenarioDNS},
	{key: "account_email", step: scenarioEmail, read: (*loader).accountEmail, absent: defaultAccountEmailKey},
	{key: "unlisted_mailboxes", step: scenarioEmail, read: (*loader).unlistedMailboxes, absent: defaultUnlisted},
	{key: "mailboxes", step: scenarioEmail, read: (*loader).scenarioMailboxes},
	{key: "whois", step: scenarioEmail, read: (*loader).scenarioWhois},
	{key: "timeline", step: scenarioTimeline, read: (*loader).scenarioTimeline, absent: (*loader).scenarioTimeline},
	{key: "alarms", step: scenarioAlarms, read: (*loader).scenarioAlarms, absent: (*loader).scenarioAlarms},
	{key: "expect", step: scenarioExpect, read: (*loader).scenarioExpect},
	{key: "days_before_expiry", step: scenarioProfile, read: (*loader).accountConfig, absent: (*loader).accountConfigEmpty},
},
	itemRule[scenarioDraft]{step: scenarioUntil, check: (*loader).untilBounds},
)

func (l *loader) scenario(doc *yaml.Node, wantName string) *sim.Scenario {
	root, top := docRoot(doc)
	if isNull(root) {
		l.errf(top, emptyMsg)
		return nil
	}
	if root.Kind != yaml.MappingNode {
		l.errf(posOf(root, top), "a scenario is a mapping of keys (name, start, certificates, …), got %s", kindName(root))
		return nil
	}
	m := scenarioTable.mapping(l, root, posOf(root, top))
	b := &build{
		sc:        &sim.Scenario{File: l.file, ProfileName: sim.DefaultProfile, Seed: 1},
		env:       &times{certs: map[string]*certTimes{}},
		resources: map[string]int{},
		resKinds:  map[string]string{},
		hostnames: map[string]string{},
		certs:     map[string]*certMeta{},
		names:     map[string]*nameOwners{},
		arns:      map[string]string{},
	}
	scenarioTable.read(l, b, m, &scenarioDraft{m: m, top: top, wantName: wantName})
	return b.sc
}

func (l *loader) scenarioName(b *build, d *scenarioDraft, f *field) {
	name, ok := l.scalar(f)
	if !ok {
		return
	}
	b.sc.Name = name
	if !nameRE.MatchString(name) {
		l.errf(f.vpos, "name: want lower-case letters, digits and hyphens (like dns-missing-cname), got %q", name)
	} else if d.wantName != "" && name != d.wantName {
		l.errf(f.vpos, "name: %q differs from the file name %s.yaml; a library file must be named after its scenario", name, d.wantName)
	}
}

func (l *loader) scenarioDescription(b *build, _ *scenarioDraft, f *field) {
	if s, ok := l.scalar(f); ok {
		b.sc.Description = strings.TrimSpace(s)
	}
}

func (l *loader) scenarioProfile(b *build, d *scenarioDraft, f *field) {
	if s, ok := l.scalar(f); ok {
		if _, found := sim.LookupProfile(s); found {
			b.sc.ProfileName = s
		} else {
			l.errf(f.vpos, "profile: unknown profile %q (known: %s)", s, strings.Join(sim.ProfileNames(), ", "))
		}
	}
	defaultProfile(l, b, d, f)
}

// defaultProfile sets the profile named, sim.DefaultProfile unless a
// known one is written.
func defaultProfile(_ *loader, b *build, _ *scenarioDraft, _ *field) {
	b.sc.Profile, _ = sim.LookupProfile(b.sc.ProfileName)
}

// scenarioOverrides applies the overrides to the profile, and checks the
// profile that results even when there are none.
func (l *loader) scenarioOverrides(b *build, d *scenarioDraft, f *field) {
	if f != nil && f.null() {
		f = nil
	}
	at := d.top
	if pf := d.m.field("profile"); pf != nil {
		at = pf.vpos
	}
	l.overrides(f, &b.sc.Profile, at)
}

func (l *loader) scenarioSeed(b *build, _ *scenarioDraft, f *field) {
	s, ok := l.scalar(f)
	if !ok {
		return
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		l.errf(f.vpos, "seed: want an unsigned integer, got %q", s)
	}
	b.sc.Seed = n
}

func (l *loader) scenarioStart(b *build, _ *scenarioDraft, f *field) {
	b.startPos = f.vpos
	b.env.start, b.env.startOK = l.timeValue(f, formsRFC, b.env, "", nil)
	b.sc.Start = b.env.start
}

func (l *loader) scenarioResources(b *build, _ *scenarioDraft, f *field) { l.resources(b, f) }

func (l *loader) scenarioCertificates(b *build, d *scenarioDraft, f *field) {
	d.allExpiries = l.certificates(b, f)
}

func (l *loader) writtenUntil(b *build, _ *scenarioDraft, f *field) {
	env := b.env
	b.until, b.untilOK = l.timeValue(f, formsAll, env, "", nil)
	if b.untilOK && env.startOK && !b.until.After(env.start) {
		l.errf(f.vpos, "until (%s) is not after start (%s)", stamp(b.until), stamp(env.start))
		b.untilOK = false
	}
	b.sc.Until = b.until
}

// defaultUntil is a while after the latest first expiry.
func (l *loader) defaultUntil(b *build, d *scenarioDraft, _ *field) {
	env := b.env
	if d.allExpiries && env.startOK && len(b.sc.Certificates) > 0 {
		latest := b.sc.Certificates[0].NotAfter
		for _, c := range b.sc.Certificates[1:] {
			if c.NotAfter.After(latest) {
				latest = c.NotAfter
			}
		}
		b.until, b.untilOK = latest.Add(defaultUntilMargin), true
		if !b.until.After(env.start) {
			l.errf(b.startPos, "every certificate expires before start; the default until (latest expiry + %s = %s) is not after start: set until", sim.FormatDuration(defaultUntilMargin), stamp(b.until))
			b.untilOK = false
		}
	}
	b.sc.Until = b.until
}

// untilBounds checks until against what the run needs of it: the
// simulator CA must outlive a certificate renewed then, and every
// certificate must be issued by then.
func (l *loader) untilBounds(b *build, d *scenarioDraft) {
	if !b.untilOK {
		return
	}
	l.untilWithinCA(b, d.m.get("until"))
	for _, id := range b.env.order {
		meta := b.certs[id]
		if meta.times.issuedOK && meta.times.issued.After(b.until) {
			l.errf(meta.issuedPos, "certificate %q is issued (%s) after until (%s)", id, stamp(meta.times.issued), stamp(b.until))
		}
	}
}

// untilWithinCA: a certificate renewed at until must still expire while
// the simulator CA is valid. f is until as written, nil for the default.
func (l *loader) untilWithinCA(b *build, f *field) {
	life := b.sc.Profile.LongestLifetime()
	if !b.until.Add(life).After(sim.IssuerNotAfter) {
		return
	}
	what, at := "until", b.startPos
	if f != nil {
		what, at = "until "+quoteTime(f.val.Value, b.until), f.vpos
	} else {
		what = fmt.Sprintf("the default until (%s, the latest expiry + %s)", stamp(b.until), sim.FormatDuration(defaultUntilMargin))
	}
	l.errf(at, "%s plus the profile's longest lifetime (%s) is after %s, when the simulator CA expires: a certificate renewed then would outlive its issuer; end the scenario by %s",
		what, sim.FormatDuration(life), stamp(sim.IssuerNotAfter), stamp(sim.IssuerNotAfter.Add(-life)))
	b.untilOK = false
}

func (l *loader) scenarioDNS(b *build, _ *scenarioDraft, f *field) { l.dns(b, f) }

func (l *loader) accountEmail(b *build, _ *scenarioDraft, f *field) {
	b.sc.AccountEmail, _ = l.address(f)
}

func defaultAccountEmailKey(_ *loader, b *build, _ *scenarioDraft, _ *field) {
	b.sc.AccountEmail = defaultAccountEmail
}

func (l *loader) unlistedMailboxes(b *build, _ *scenarioDraft, f *field) {
	v, ok := l.oneOf(f, "answer", unlistedAnswers)
	if !ok {
		v = unlistedAccept
	}
	b.sc.UnlistedMailboxes = v
}

func defaultUnlisted(_ *loader, b *build, _ *scenarioDraft, _ *field) {
	b.sc.UnlistedMailboxes = unlistedAccept
}

func (l *loader) scenarioMailboxes(b *build, _ *scenarioDraft, f *field) { l.mailboxes(b, f) }

func (l *loader) scenarioWhois(b *build, _ *scenarioDraft, f *field) { l.whois(b, f) }

// scenarioTimeline reads the timeline, also when it is written without a
// value: that is how a timeline read in batches looks (see chunked.go).
func (l *loader) scenarioTimeline(b *build, _ *scenarioDraft, f *field) { l.timeline(b, f) }

// scenarioAlarms reads the alarms; there is always a (perhaps empty) list
// of them for the expectations.
func (l *loader) scenarioAlarms(b *build, _ *scenarioDraft, f *field) { l.alarms(b, f) }

func (l *loader) scenarioExpect(b *build, _ *scenarioDraft, f *field) { l.expectations(b, f) }
