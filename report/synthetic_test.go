package report_test

import (
	"time"

	"github.com/renewsim/renewsim/sim"
)

// busyLog is a hand-built record with everything a timeline must cope with:
// two certificates and three resources, a change that concerns no
// certificate, a detach, e-mails and clicks, a probe that fails for another
// reason than expiry, an entry kind this version does not know, and notices
// close together. Its EventBridge details are maps, as after a JSON round
// trip.
func busyLog() []sim.Entry {
	day := func(d int, hm ...int) time.Time {
		t := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d)
		if len(hm) > 0 {
			t = t.Add(time.Duration(hm[0]) * time.Hour)
		}
		if len(hm) > 1 {
			t = t.Add(time.Duration(hm[1]) * time.Minute)
		}
		return t
	}
	ptr := func(t time.Time) *time.Time { return &t }
	yes, no := true, false
	apiNA := day(120)
	webNA := day(198)
	var log []sim.Entry
	add := func(t time.Time, kind sim.Kind, cert, res string, d sim.Detail) {
		log = append(log, sim.Entry{Time: t, Kind: kind, Cert: cert, Resource: res, Detail: &d})
	}
	ar := func(t time.Time, cert string, days int) {
		add(t, sim.KindEventBus, cert, "", sim.Detail{Text: sim.EventActionRequired, Event: &sim.Event{
			DetailType: sim.EventActionRequired, Detail: map[string]any{"DaysToExpiry": float64(days)}}})
	}
	add(day(0), sim.KindStart, "", "", sim.Detail{Text: "scenario busy, profile acm-2026, seed 7"})
	add(day(0), sim.KindCert, "web", "", sim.Detail{Names: []string{"www.example.com"}, NotAfter: ptr(webNA)})
	add(day(0), sim.KindStatus, "web", "", sim.Detail{Status: sim.StatusIssued, Eligibility: sim.Eligible})
	add(day(0), sim.KindCert, "api", "", sim.Detail{Names: []string{"api.example.com"}, NotAfter: ptr(apiNA)})
	add(day(0), sim.KindStatus, "api", "", sim.Detail{Status: sim.StatusIssued, Eligibility: sim.Eligible})
	add(day(0), sim.KindDeployed, "web", "alb-prod", sim.Detail{Serial: "01", NotAfter: ptr(webNA)})
	add(day(0), sim.KindDeployed, "web", "cdn", sim.Detail{Serial: "01", NotAfter: ptr(webNA)})
	add(day(0), sim.KindDeployed, "api", "apigw", sim.Detail{Serial: "02", NotAfter: ptr(apiNA)})
	add(day(0), sim.KindProbe, "", "apigw", sim.Detail{Serial: "02", NotAfter: ptr(apiNA), Verified: &yes, Expired: &no})
	add(day(10), sim.KindTimeline, "", "", sim.Detail{Do: sim.DoDNSAdd, Text: "DNS record added: example.com. CAA 0 issue \"letsencrypt.org\""})
	add(day(20), sim.KindProbe, "", "apigw", sim.Detail{Serial: "02", Verified: &no, Expired: &no, Err: "hostname mismatch"})
	add(day(25), sim.KindProbe, "", "apigw", sim.Detail{Serial: "02", Verified: &yes, Expired: &no})
	add(day(40), sim.KindTimeline, "api", "apigw", sim.Detail{Do: sim.DoDetach, Text: "api detached from apigw"})
	add(day(40), sim.KindUndeployed, "api", "apigw", sim.Detail{Serial: "02"})
	add(day(42), sim.KindTimeline, "api", "apigw", sim.Detail{Do: sim.DoAttach, Text: "api attached to apigw"})
	add(day(42), sim.KindDeployed, "api", "apigw", sim.Detail{Serial: "02", NotAfter: ptr(apiNA)})
	add(day(75), sim.KindWindow, "api", "", sim.Detail{Eligibility: sim.Eligible, NotAfter: ptr(apiNA)})
	add(day(75), sim.KindStatus, "api", "", sim.Detail{Status: sim.StatusIssued, RenewalStatus: sim.RenewalPendingAuto})
	for h := 0; h < 48; h++ {
		add(day(75, h), sim.KindAttempt, "api", "", sim.Detail{OK: &no})
		add(day(75, h), sim.KindCAA, "api", "", sim.Detail{OK: &no})
	}
	add(day(77), sim.KindStatus, "api", "", sim.Detail{Status: sim.StatusIssued, RenewalStatus: sim.RenewalPendingValidation})
	add(day(77), sim.KindEmail, "api", "", sim.Detail{Email: "approval", To: "admin@example.com", OK: &yes})
	add(day(77), sim.KindEmail, "api", "", sim.Detail{Email: "approval", To: "hostmaster@example.com", OK: &no})
	ar(day(90), "api", 30)
	add(day(100), sim.KindClick, "api", "", sim.Detail{Approved: &yes})
	add(day(100, 0, 10), sim.KindIssued, "api", "", sim.Detail{Cycle: 1, Serial: "03", NotAfter: ptr(day(298))})
	add(day(100, 0, 10), sim.KindStatus, "api", "", sim.Detail{Status: sim.StatusIssued, RenewalStatus: sim.RenewalSuccess})
	add(day(100, 4, 10), sim.KindDeployed, "api", "apigw", sim.Detail{Serial: "03", NotAfter: ptr(day(298))})
	add(day(120), "frobnicate", "", "", sim.Detail{Text: "something new"})
	add(day(153), sim.KindWindow, "web", "", sim.Detail{Eligibility: sim.Eligible, NotAfter: ptr(webNA)})
	add(day(153), sim.KindStatus, "web", "", sim.Detail{Status: sim.StatusIssued, RenewalStatus: sim.RenewalPendingAuto})
	add(day(168), sim.KindStatus, "web", "", sim.Detail{Status: sim.StatusIssued, RenewalStatus: sim.RenewalPendingValidation})
	for _, d := range []int{30, 15, 7, 3, 1} {
		ar(webNA.AddDate(0, 0, -d), "web", d)
		add(webNA.AddDate(0, 0, -d), sim.KindEventBus, "web", "", sim.Detail{Event: &sim.Event{DetailType: sim.EventApproaching}})
		add(webNA.AddDate(0, 0, -d), sim.KindNotice, "web", "", sim.Detail{Channel: "email", Days: d})
	}
	add(webNA, sim.KindExpired, "web", "", sim.Detail{Cycle: 1, NotAfter: ptr(webNA)})
	add(webNA, sim.KindStatus, "web", "", sim.Detail{Status: sim.StatusExpired, RenewalStatus: sim.RenewalFailed})
	add(webNA, sim.KindEventBus, "web", "", sim.Detail{Event: &sim.Event{DetailType: sim.EventExpired}})
	add(webNA.Add(time.Second), sim.KindProbe, "", "apigw", sim.Detail{Serial: "03", Verified: &yes, Expired: &no})
	add(day(200), sim.KindTimeline, "web", "cdn", sim.Detail{Do: sim.DoDetach, Text: "web detached from cdn"})
	add(day(200), sim.KindUndeployed, "web", "cdn", sim.Detail{Serial: "01"})
	add(day(205), sim.KindEnd, "", "", sim.Detail{Text: "simulation ended"})
	return log
}
