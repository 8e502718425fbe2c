package scenarios

import (
	"fmt"
	"strings"

	"github.com/renewsim/renewsim/sim"
)

// AlarmsYAML writes alarms as a top-level alarms: section in the format the
// loader reads, so that a scenario written by a program (renewsim check
// -scenario-out) carries the alarms it was judged with. Reading the
// section back gives the same alarms, apart from where they were declared.
func AlarmsYAML(alarms []sim.Alarm) string {
	if len(alarms) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("alarms:\n")
	for _, a := range alarms {
		fmt.Fprintf(&b, "  - name: %s\n", quoteYAML(a.Name))
		switch a.Kind {
		case sim.AlarmEventBridge:
			fmt.Fprintf(&b, "    eventbridge: {detail_type: %s", quoteYAML(a.DetailType))
			if a.DaysToExpiryAtMost != nil {
				fmt.Fprintf(&b, ", days_to_expiry_at_most: %d", *a.DaysToExpiryAtMost)
			}
			if a.Reason != "" {
				fmt.Fprintf(&b, ", reason: %s", quoteYAML(a.Reason))
			}
			if a.Code != "" {
				fmt.Fprintf(&b, ", code: %s", quoteYAML(a.Code))
			}
			b.WriteString("}\n")
		case sim.AlarmMetric:
			fmt.Fprintf(&b, "    metric: {threshold: %d", a.Days)
			if a.TreatMissingData != "" {
				fmt.Fprintf(&b, ", treat_missing_data: %s", quoteYAML(a.TreatMissingData))
			}
			b.WriteString("}\n")
		case sim.AlarmSecurityHub:
			b.WriteString("    securityhub: acm.1\n")
		case sim.AlarmConfig:
			fmt.Fprintf(&b, "    config: {days_to_expiration: %d, frequency: %s}\n", a.Days, sim.FormatDuration(a.Every))
		case sim.AlarmProbe:
			within := sim.FormatDuration(a.Within)
			if a.Within == 0 {
				within = a.Share.Percent()
			}
			fmt.Fprintf(&b, "    probe: {expires_within: %s", quoteYAML(within))
			if a.Resource != "" {
				fmt.Fprintf(&b, ", resource: %s", quoteYAML(a.Resource))
			}
			b.WriteString("}\n")
		default:
			panic(fmt.Sprintf("scenarios: alarm %q has unknown kind %q", a.Name, a.Kind))
		}
		if len(a.Certs) > 0 {
			certs := make([]string, len(a.Certs))
			for i, c := range a.Certs {
				certs[i] = quoteYAML(c)
			}
			fmt.Fprintf(&b, "    certs: [%s]\n", strings.Join(certs, ", "))
		}
	}
	return b.String()
}

// quoteYAML writes s single-quoted, which YAML reads back as s whatever it
// holds.
func quoteYAML(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
