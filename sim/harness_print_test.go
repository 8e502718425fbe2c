package sim_test

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/renewsim/renewsim/sim"
)

// How the harness writes the record: one line per entry, compactly (time,
// kind, certificate or resource, the fields that matter). Runs of identical
// validation attempts at a fixed interval, and the daily Approaching
// Expiration events, are folded into one line that gives the first and last
// time, the interval, the count and the range of attempt numbers or days;
// any other entry ends a fold, so nothing happens inside a folded span but
// more of the same. The e-mails of one message to several recipients are
// one line. Phase changes (Model.Phase) are lines of their own, after the
// entries of the step that made them.

// hline is one printed line before folding.
type hline struct {
	when time.Time
	text string // with {n} where the attempt number or day count goes
	key  string // fold key; "" for a line that ends every fold
	num  int
}

func shortSerial(s string) string {
	if len(s) > 8 {
		return s[:8]
	}
	return s
}

func shortARN(arn string) string {
	if i := strings.LastIndexByte(arn, '/'); i >= 0 && len(arn) > i+9 {
		return "…" + arn[i+1:i+9]
	}
	return arn
}

func yesNo(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

func checkText(c sim.NameCheck) string {
	if c.Status == sim.ValidationSuccess {
		return c.Domain + " ok"
	}
	s := c.Domain + " " + string(c.Cause)
	switch c.Method {
	case "DNS":
		if c.Rcode != "" {
			s += " " + c.Rcode
		}
		if n := len(c.Answer); n > 0 {
			s += fmt.Sprintf(" %d-hop", n)
		}
	case "HTTP":
		if len(c.Answer) > 0 {
			s += " " + c.Answer[0]
		}
	}
	if c.Status != sim.ValidationPending {
		s += " " + string(c.Status)
	}
	return s
}

func caaText(a sim.CAAAnswer) string {
	s := a.Name + " "
	if a.OK {
		s += "ok"
	} else {
		s += string(a.Cause)
	}
	switch {
	case a.Err != "":
		s += " (" + a.Err + ")"
	case len(a.Records) > 0:
		s += " at " + a.FoundAt + " [" + strings.Join(a.Records, ", ") + "]"
	default:
		s += " (no CAA)"
	}
	return s
}

func eventText(e sim.Entry) string {
	ev := e.Detail.Event
	if ev == nil {
		return "eventbridge " + e.Cert + ": " + e.Detail.Text
	}
	inUse := func(in, ex bool) string {
		return yesNo(in, "in use", "not in use") + ", " + yesNo(ex, "exported", "not exported")
	}
	switch d := ev.Detail.(type) {
	case sim.ApproachingDetail:
		return fmt.Sprintf("event %s: Approaching Expiration, {n} days", e.Cert)
	case sim.ActionRequiredDetail:
		return fmt.Sprintf("event %s: Renewal Action Required, %d days, %s, %s", e.Cert, d.DaysToExpiry, d.RenewalStatusReason, inUse(d.InUse, d.Exported))
	case sim.AvailableDetail:
		return fmt.Sprintf("event %s: Available %s, %d days, %s", e.Cert, d.Action, d.DaysToExpiry, inUse(d.InUse, d.Exported))
	case sim.ExpiredDetail:
		return fmt.Sprintf("event %s: Expired, %s", e.Cert, inUse(d.InUse, d.Exported))
	case sim.HealthDetail:
		return fmt.Sprintf("health %s: %s", e.Cert, d.EventTypeCode)
	}
	return fmt.Sprintf("event %s: %s", e.Cert, ev.DetailType)
}

// entryLine writes one entry.
func entryLine(e sim.Entry) hline {
	d := e.Detail
	l := hline{when: e.Time}
	switch e.Kind {
	case sim.KindStart:
		l.text = "start: " + d.Text
	case sim.KindEnd:
		l.text = "end"
	case sim.KindCert:
		l.text = fmt.Sprintf("certificate %s: arn %s serial %s, valid %s .. %s", e.Cert, shortARN(d.ARN), shortSerial(d.Serial), stamp(*d.NotBefore), stamp(*d.NotAfter))
	case sim.KindStatus:
		parts := []string{string(d.StatusOf().Status)}
		if d.StatusOf().RenewalStatus != "" {
			parts = append(parts, string(d.StatusOf().RenewalStatus))
		}
		if d.StatusOf().Reason != "" {
			parts = append(parts, d.StatusOf().Reason)
		}
		parts = append(parts, string(d.StatusOf().Eligibility))
		l.text = fmt.Sprintf("status %s: %s", e.Cert, strings.Join(parts, ", "))
		if d.StatusOf().Cause != "" {
			l.text += " (" + string(d.StatusOf().Cause) + ")"
		}
	case sim.KindWindow:
		l.text = fmt.Sprintf("window-opened %s cycle %d: %s before expiry, %s", e.Cert, d.Cycle, sim.FormatDuration(d.NotAfter.Sub(e.Time)), d.StatusOf().Eligibility)
		if d.StatusOf().Cause != "" {
			l.text += " (" + string(d.StatusOf().Cause) + ")"
		}
	case sim.KindAttempt:
		var checks []string
		for _, c := range d.Checks {
			checks = append(checks, checkText(c))
		}
		method := ""
		if len(d.Checks) > 0 {
			method = " " + d.Checks[0].Method
		}
		if len(checks) == 0 {
			checks = []string{d.Text}
		}
		l.text = fmt.Sprintf("attempt %s #{n}%s: %s %s", e.Cert, method, yesNo(*d.OK, "OK", "FAIL"), strings.Join(checks, "; "))
		l.key, l.num = "attempt "+e.Cert+l.text, e.Attempt
	case sim.KindCAA:
		var names []string
		for _, a := range d.CAA {
			names = append(names, caaText(a))
		}
		l.text = fmt.Sprintf("caa %s #%d: %s %s", e.Cert, e.Attempt, yesNo(*d.OK, "OK", "FAIL"), strings.Join(names, "; "))
	case sim.KindIssued:
		l.text = fmt.Sprintf("renewal-issued %s cycle %d: arn %s serial %s, valid %s .. %s", e.Cert, d.Cycle, shortARN(d.ARN), shortSerial(d.Serial), stamp(*d.NotBefore), stamp(*d.NotAfter))
	case sim.KindDeployed:
		l.text = fmt.Sprintf("deployed %s: %s serial %s, valid until %s", e.Resource(), e.Cert, shortSerial(d.Serial), stamp(*d.NotAfter))
	case sim.KindUndeployed:
		l.text = fmt.Sprintf("undeployed %s: %s", e.Resource(), e.Cert)
	case sim.KindExpired:
		l.text = fmt.Sprintf("expired %s cycle %d: serial %s", e.Cert, d.Cycle, shortSerial(d.Serial))
	case sim.KindTimeline:
		f := []string{"timeline " + d.TimelineOf().Do}
		for _, v := range []string{e.Cert, e.Resource(), d.MailOf().Domain, d.MailOf().To, d.TimelineOf().Name, d.TimelineOf().Type, d.TimelineOf().Zone, d.TimelineOf().Fault} {
			if v != "" {
				f = append(f, v)
			}
		}
		if d.TimelineOf().Record != "" {
			f = append(f, "'"+d.TimelineOf().Record+"'")
		}
		if d.OK != nil && !*d.OK {
			f = append(f, "REFUSED:", d.Text[strings.Index(d.Text, "refused: ")+len("refused: "):])
		}
		l.text = strings.Join(f, " ")
	case sim.KindEventBus:
		l.text = eventText(e)
		if d.Event == nil {
			break
		}
		if ad, ok := d.Event.Detail.(sim.ApproachingDetail); ok {
			l.key, l.num = "approaching "+e.Cert, ad.DaysToExpiry
		}
	case sim.KindNotice:
		l.text = fmt.Sprintf("notice %s %s: %s", e.Cert, d.NoticeOf().Channel, d.Text)
	case sim.KindEmail:
		l.text = fmt.Sprintf("email %s %s for %s: %s", e.Cert, d.MailOf().Email, d.MailOf().Domain, deliveries([]sim.Detail{*d}))
	case sim.KindClick:
		cert := e.Cert
		if cert == "" {
			cert = "-"
		}
		l.text = fmt.Sprintf("click %s %s", cert, d.MailOf().Domain)
		if d.MailOf().To != "" {
			l.text += " from " + d.MailOf().To
		}
		switch {
		case *d.MailOf().Approved:
			l.text += ": approved"
		case *d.Expired:
			l.text += ": expired"
		default:
			_, why, _ := strings.Cut(d.Text, ": ")
			l.text += ": not approved (" + why + ")"
		}
	case sim.KindProbe:
		switch {
		case d.Serial == "":
			l.text = fmt.Sprintf("probe %s: no certificate (%s)", e.Resource(), d.Err)
		case *d.Verified:
			l.text = fmt.Sprintf("probe %s: %s valid", e.Resource(), shortSerial(d.Serial))
		case *d.Expired:
			l.text = fmt.Sprintf("probe %s: %s EXPIRED", e.Resource(), shortSerial(d.Serial))
		default:
			l.text = fmt.Sprintf("probe %s: %s invalid (%s)", e.Resource(), shortSerial(d.Serial), d.Err)
		}
	default:
		l.text = fmt.Sprintf("%s %s%s: %s", e.Kind, e.Cert, e.Resource(), d.Text)
	}
	return l
}

// deliveries writes what the mail server answered for the recipients of
// one message: the accepted ones grouped by domain, then the refused ones.
func deliveries(ds []sim.Detail) string {
	var domains []string
	locals := map[string][]string{}
	var refused []string
	for _, d := range ds {
		if !*d.OK {
			refused = append(refused, fmt.Sprintf("%s (%d)", d.MailOf().To, d.MailOf().SMTPCode))
			continue
		}
		local, domain, _ := strings.Cut(d.MailOf().To, "@")
		if !slices.Contains(domains, domain) {
			domains = append(domains, domain)
		}
		locals[domain] = append(locals[domain], local)
	}
	var parts []string
	for _, dom := range domains {
		parts = append(parts, "delivered to "+strings.Join(locals[dom], ",")+" @"+dom)
	}
	if len(refused) > 0 {
		parts = append(parts, "refused "+strings.Join(refused, ", "))
	}
	return strings.Join(parts, "; ")
}

// renderRecord writes entries (the record from index base on) and the
// phase marks not written yet, each after the entries of its step.
func renderRecord(entries []sim.Entry, base int, marks []phaseMark, certIDs []string) string {
	var lines []hline
	mi := 0
	flushMarks := func(upto int) {
		for ; mi < len(marks) && marks[mi].at <= upto; mi++ {
			m := marks[mi]
			lines = append(lines, hline{when: m.when, text: fmt.Sprintf("phase %s: %s -> %s", certIDs[m.cert], m.from, m.to)})
		}
	}
	var mail []sim.Detail // the deliveries of the message being written
	for i, e := range entries {
		flushMarks(base + i)
		if e.Kind == sim.KindEmail && len(mail) > 0 {
			prev := entries[i-1]
			if prev.Kind == sim.KindEmail && prev.Time.Equal(e.Time) && prev.Cert == e.Cert &&
				prev.Detail.MailOf().Email == e.Detail.MailOf().Email && prev.Detail.MailOf().Domain == e.Detail.MailOf().Domain {
				mail = append(mail, *e.Detail)
				lines[len(lines)-1].text = fmt.Sprintf("email %s %s for %s: %s", e.Cert, e.Detail.MailOf().Email, e.Detail.MailOf().Domain, deliveries(mail))
				continue
			}
		}
		mail = nil
		if e.Kind == sim.KindEmail {
			mail = []sim.Detail{*e.Detail}
		}
		lines = append(lines, entryLine(e))
	}
	flushMarks(int(^uint(0) >> 1))
	var b strings.Builder
	for _, l := range fold(lines) {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

type foldGroup struct {
	first, last hline
	n           int
	every       time.Duration
	dnum        int
}

func (g *foldGroup) fits(l hline) bool {
	every, dnum := l.when.Sub(g.last.when), l.num-g.last.num
	if g.n == 1 {
		return every > 0 && (dnum == 1 || dnum == -1)
	}
	return every == g.every && dnum == g.dnum
}

func (g *foldGroup) add(l hline) {
	if g.n == 1 {
		g.every, g.dnum = l.when.Sub(g.last.when), l.num-g.last.num
	}
	g.last = l
	g.n++
}

func (g *foldGroup) String() string {
	if g.n == 1 {
		return stamp(g.first.when) + "  " + strings.ReplaceAll(g.first.text, "{n}", fmt.Sprint(g.first.num))
	}
	return fmt.Sprintf("%s  %s\n%s  ... %d times, every %s, the last at %s",
		stamp(g.first.when), strings.ReplaceAll(g.first.text, "{n}", fmt.Sprintf("%d..%d", g.first.num, g.last.num)),
		strings.Repeat(" ", len(stamp(g.first.when))), g.n, sim.FormatDuration(g.every), stamp(g.last.when))
}

func fold(lines []hline) []string {
	var out []fmt.Stringer
	open := map[string]*foldGroup{}
	for _, l := range lines {
		if l.key == "" {
			clear(open)
			out = append(out, &foldGroup{first: l, last: l, n: 1})
			continue
		}
		if g := open[l.key]; g != nil && g.fits(l) {
			g.add(l)
			continue
		}
		g := &foldGroup{first: l, last: l, n: 1}
		open[l.key] = g
		out = append(out, g)
	}
	s := make([]string, len(out))
	for i, g := range out {
		s[i] = g.String()
	}
	return s
}

// effectLine writes one effect the driver carried out.
func effectLine(sc *sim.Scenario, p performed) string {
	cert := func(i int) string {
		if i >= 0 && i < len(sc.Certificates) {
			return sc.Certificates[i].ID
		}
		return fmt.Sprintf("cert#%d", i)
	}
	res := func(i int) string {
		if i >= 0 && i < len(sc.Resources) {
			return sc.Resources[i].ID
		}
		return fmt.Sprintf("resource#%d", i)
	}
	var s string
	switch e := p.e.(type) {
	case sim.Wake:
		who := cert(e.Timer.Cert)
		switch e.Timer.Kind {
		case sim.TimerProbe:
			who = res(e.Timer.N)
		case sim.TimerDeploy:
			who += " " + res(e.Timer.N)
		}
		s = fmt.Sprintf("wake %s %s gen %d n %d at %s", e.Timer.Kind, who, e.Timer.Gen, e.Timer.N, stamp(e.At))
	case sim.WakeDays:
		n := len(e.Days)
		days := fmt.Sprintf("%d..%d", e.Days[0], e.Days[n-1])
		if e.Days[0]-e.Days[n-1] != n-1 {
			days = strings.Trim(strings.Join(strings.Fields(fmt.Sprint(e.Days)), ","), "[]")
		}
		s = fmt.Sprintf("wake-days %s %s gen %d n %s at %s .. %s", e.Timer.Kind, cert(e.Timer.Cert), e.Timer.Gen, days, stamp(e.At(0)), stamp(e.At(n-1)))
		if n == 1 {
			s = fmt.Sprintf("wake-days %s %s gen %d n %d at %s", e.Timer.Kind, cert(e.Timer.Cert), e.Timer.Gen, e.Days[0], stamp(e.At(0)))
		}
	case sim.CancelWakes:
		s = fmt.Sprintf("cancel-wakes %s gen %d", cert(e.Cert), e.Gen)
	case sim.CheckCNAME:
		s = fmt.Sprintf("check-cname %s #%d %s max %d hops", cert(e.Cert), e.Attempt, e.Record, e.MaxHops)
	case sim.DNSChange:
		var f []string
		for _, a := range e.Add {
			f = append(f, "+"+a)
		}
		for _, r := range e.Remove {
			f = append(f, strings.TrimSpace("-"+r.Name+" "+r.Type))
		}
		s = "dns-change " + strings.Join(f, " | ")
	case sim.Deploy:
		if e.Serial == "" {
			s = fmt.Sprintf("deploy %s: nothing", res(e.Resource))
		} else {
			s = fmt.Sprintf("deploy %s: %s serial %s, valid %s .. %s", res(e.Resource), cert(e.Cert), shortSerial(e.Serial), stamp(e.NotBefore), stamp(e.NotAfter))
		}
	case sim.SendEmail:
		s = fmt.Sprintf("send-email %s %s for %s to %s", cert(e.Cert), e.Kind, e.Domain, strings.Join(e.To, ","))
		if e.Kind == sim.EmailApproval {
			s += ", link expires " + stamp(e.ExpiresAt)
		}
	case sim.CheckHTTP:
		s = fmt.Sprintf("check-http %s #%d http://%s%s", cert(e.Cert), e.Attempt, e.Domain, e.Path)
	case sim.ProbeHTTPS:
		s = fmt.Sprintf("probe-https %s #%d %s %v", cert(e.Cert), e.Attempt, e.Domain, e.Alternatives)
	case sim.CheckCAA:
		s = fmt.Sprintf("check-caa %s #%d %s", cert(e.Cert), e.Attempt, strings.Join(e.Names, ", "))
	case sim.WebChange:
		what := "body"
		switch {
		case e.Delete:
			what = "delete"
		case e.Location != "":
			what = "redirect"
		}
		s = fmt.Sprintf("web-change %s %s %s", res(e.Resource), e.Path, what)
	case sim.ProbeTLS:
		s = fmt.Sprintf("probe-tls %s %s", res(e.Resource), e.ServerName)
	case sim.ClickApproval:
		s = fmt.Sprintf("click-approval %s %s", e.Domain, e.Address)
	case sim.MailboxChange:
		s = fmt.Sprintf("mailbox %s %s", e.Address, yesNo(e.Reject, "reject", "accept"))
	case sim.DNSFault:
		where := e.Owner + yesNo(e.Zone, " (zone)", "")
		if e.Clear {
			s = "dns-fault clear " + where
		} else {
			s = fmt.Sprintf("dns-fault %s %s p=%g", where, e.Kind, e.Probability)
		}
	default:
		s = fmt.Sprintf("%T", p.e)
	}
	return stamp(p.at) + "  " + strings.TrimSpace(s)
}

// effectsText writes effects one a line.
func effectsText(sc *sim.Scenario, ps []performed) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(effectLine(sc, p) + "\n")
	}
	return b.String()
}

// effectKind names an effect as the `effects kind=` filter does: its type
// in lower case, words joined by '-' (wake, also for a WakeDays series, check-cname, dns-change,
// deploy, send-email, check-http, probe-https, check-caa, web-change,
// probe-tls, click-approval, mailbox-change).
func effectKind(e sim.Effect) string {
	if _, ok := e.(sim.WakeDays); ok {
		return "wake" // a series of wakes
	}
	t := []rune(strings.TrimPrefix(fmt.Sprintf("%T", e), "sim."))
	upper := func(i int) bool { return i >= 0 && i < len(t) && t[i] >= 'A' && t[i] <= 'Z' }
	var b strings.Builder
	for i, r := range t {
		// A word starts at an upper-case letter after a lower-case one, or
		// at the last capital of an acronym followed by lower case (DNSChange).
		if i > 0 && upper(i) && (!upper(i-1) || (i+1 < len(t) && !upper(i+1))) {
			b.WriteByte('-')
		}
		b.WriteRune(r)
	}
	return strings.ToLower(b.String())
}

func viewText(v sim.CertView) string {
	var names []string
	for _, n := range v.NameStatus {
		names = append(names, n.Domain+" "+string(n.Status))
	}
	renewal := string(v.RenewalStatus)
	if renewal == "" {
		renewal = "no renewal"
	}
	if v.Reason != "" {
		renewal += " (" + v.Reason + ")"
	}
	inUse := slices.Clone(v.InUseBy)
	if len(inUse) == 0 {
		inUse = []string{"nothing"}
	}
	return fmt.Sprintf("%s: %s, %s, %s, serial %s, valid %s .. %s, in use by %s, %s\n  names: %s\n",
		v.ID, v.Status, renewal, v.Eligibility, shortSerial(v.Serial), stamp(v.NotBefore), stamp(v.NotAfter),
		strings.Join(inUse, ", "), yesNo(v.Exported, "exported", "not exported"), strings.Join(names, "; "))
}
