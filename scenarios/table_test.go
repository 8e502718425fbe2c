package scenarios

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The key lists are part of the messages ("unknown key … (expected one
// of: …)"): a table's order is the order they list, and it must not move.
func TestKeysInMessageOrder(t *testing.T) {
	for _, tc := range []struct {
		what string
		got  []string
		want []string
	}{
		{"scenario", scenarioKeys, []string{"name", "description", "profile", "start", "until", "seed", "overrides", "resources", "certificates", "dns",
			"account_email", "unlisted_mailboxes", "mailboxes", "whois", "timeline", "alarms", "expect", "days_before_expiry"}},
		{"resource", resourceKeys, []string{"id", "kind", "deploy_delay", "hostnames", "arn"}},
		{"certificate", certificateKeys, []string{"id", "domain", "sans", "validation", "type", "issued", "not_after", "in_use_by", "exported",
			"validation_record", "validation_domain", "arn", "validation_cnames", "key_algorithm", "account", "region"}},
		{"dns", dnsKeys, []string{"records"}},
		{"mailbox", mailboxKeys, []string{"address", "clicks", "rejects"}},
		{"timeline entry", changeKeys, []string{"at", "do", "cert", "resource", "record", "name", "type", "domain", "address",
			"zone", "fault", "probability", "duration", "not_after", "reason"}},
		{"action", actions, []string{"delete-validation-record", "restore-validation-record", "dns-add", "dns-delete", "attach", "detach", "export",
			"click-approval", "resend-validation-email", "mailbox-reject", "mailbox-accept",
			"dns-fault", "dns-fault-clear", "renew-certificate", "reimport", "pca-failure", "pca-restore"}},
		{"alarm", alarmKeys, []string{"name", "eventbridge", "metric", "config", "securityhub", "probe", "certs"}},
		{"eventbridge", alarmKinds[0].keys.keys, []string{"detail_type", "days_to_expiry_at_most", "reason", "code"}},
		{"metric", alarmKinds[1].keys.keys, []string{"threshold", "treat_missing_data"}},
		{"config", alarmKinds[2].keys.keys, []string{"days_to_expiration", "frequency"}},
		{"probe", alarmKinds[4].keys.keys, []string{"expires_within", "resource"}},
		{"alarm expectation", alarmExpectKeys, []string{"alarm", "fires", "fires_at_least", "fires_at_most", "false_alarms", "false_alarms_at_least", "false_alarms_at_most", "lead_time_at_least"}},
	} {
		assert.Equal(t, tc.want, tc.got, tc.what)
	}
}

// Every key of an expectation kind is listed once in expectKeys, and
// every key listed is one a kind takes.
func TestExpectKeysAreTheKindsKeys(t *testing.T) {
	taken := []string{"cert", "resource", "cycle"}
	taken = append(taken, countKeys...)
	for _, k := range expectKinds {
		taken = append(taken, k.keys...)
		taken = append(taken, k.group...)
	}
	slices.Sort(taken)
	listed := slices.Clone(expectKeys)
	slices.Sort(listed)
	assert.Equal(t, slices.Compact(taken), listed)
	assert.Len(t, slices.Compact(slices.Clone(listed)), len(expectKeys), "a key listed twice")
}

// A table's keys are distinct and each row does something.
func TestKeyTablesAreWellFormed(t *testing.T) {
	check := func(what string, keys []string, rowsOK bool) {
		require.True(t, rowsOK, "%s: a row with neither read nor absent", what)
		assert.Len(t, slices.Compact(slices.Sorted(slices.Values(keys))), len(keys), "%s: a key listed twice", what)
	}
	check("scenario", scenarioTable.keys, rowsDoSomething(scenarioTable))
	check("resource", resourceTable.keys, rowsDoSomething(resourceTable))
	check("certificate", certificateTable.keys, rowsDoSomething(certificateTable))
	check("mailbox", mailboxTable.keys, rowsDoSomething(mailboxTable))
	check("dns", dnsTable.keys, rowsDoSomething(dnsTable))
	check("timeline entry", changeTable.keys, rowsDoSomething(changeTable))
	check("alarm", alarmTable.keys, rowsDoSomething(alarmTable))
	for _, k := range alarmKinds {
		if k.keys != nil {
			check(k.kind, k.keys.keys, rowsDoSomething(k.keys))
		}
		assert.True(t, (k.keys == nil) != (k.value == nil), "alarm kind %s: give keys or value", k.kind)
	}
	for _, a := range timelineActions {
		for _, k := range a.takes {
			assert.Contains(t, changeTable.keys, k, "action %s takes a key the entry does not have", a.do)
		}
	}
}

func rowsDoSomething[T any](tb *keyTable[T]) bool {
	for _, r := range tb.rows {
		if r.read == nil && r.absent == nil {
			return false
		}
	}
	return true
}
