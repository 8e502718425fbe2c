package sim

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The event log's detail has every field of Detail, under Detail's JSON
// names and in Detail's order, with the attempt number after the cycle:
// the wire form is derived from Detail, and the two fields it restates say
// the same as Detail's.
func TestDetailWireMatchesDetail(t *testing.T) {
	var want []string
	for _, f := range reflect.VisibleFields(reflect.TypeOf(Detail{})) {
		if f.Anonymous { // a group (*MailDetail…): its fields follow, in place
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" { // Resource: the entry's, written beside the certificate
			continue
		}
		want = append(want, name)
		if f.Name == "Cycle" {
			want = append(want, "attempt")
		}
	}
	b, err := json.Marshal(Entry{Time: time.Unix(0, 0).UTC(), Kind: KindAttempt, Attempt: 3, Detail: fullDetail()})
	require.NoError(t, err)
	var wire struct {
		Detail json.RawMessage `json:"detail"`
	}
	require.NoError(t, json.Unmarshal(b, &wire))
	assert.Equal(t, want, objectKeys(t, wire.Detail))

	for _, name := range []string{"Text", "Cycle"} {
		outer, ok := reflect.TypeOf(detailWire{}).FieldByName(name)
		require.True(t, ok)
		inner, ok := reflect.TypeOf(Detail{}).FieldByName(name)
		require.True(t, ok)
		assert.Equal(t, inner.Tag, outer.Tag, name)
		assert.Equal(t, inner.Type, outer.Type, name)
	}
}

// objectKeys lists the keys of a JSON object in the order written.
func objectKeys(t *testing.T, raw []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	require.NoError(t, err)
	require.Equal(t, json.Delim('{'), tok)
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		require.NoError(t, err)
		keys = append(keys, k.(string))
		var skip json.RawMessage
		require.NoError(t, dec.Decode(&skip))
	}
	return keys
}

// fullDetail has every field of Detail set, each to a value of its own,
// the fields of its groups (*StatusDetail, *MailDetail…) too.
func fullDetail() *Detail {
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	d := Detail{}
	n := 0
	var fill func(v reflect.Value)
	fill = func(v reflect.Value) {
		for i := range v.NumField() {
			n++
			f := v.Field(i)
			switch f.Kind() {
			case reflect.String:
				f.SetString(v.Type().Field(i).Name)
			case reflect.Int:
				f.SetInt(int64(n))
			case reflect.Float64:
				f.SetFloat(0.5)
			case reflect.Pointer:
				if strings.HasSuffix(f.Type().Elem().Name(), "Detail") {
					f.Set(reflect.New(f.Type().Elem()))
					fill(f.Elem())
				}
			}
		}
	}
	fill(reflect.ValueOf(&d).Elem())
	d.Names, d.NotBefore, d.NotAfter, d.OK = []string{"a", "b"}, &at, &at, boolPtr(true)
	d.Checks = []NameCheck{{Domain: "example.com", Status: ValidationSuccess}}
	d.CAA = []CAAAnswer{{Name: "example.com", OK: true}}
	d.MailDetail.Approved, d.Expired, d.Verified = boolPtr(false), boolPtr(true), boolPtr(true)
	d.Event = &Event{DetailType: EventApproaching, Detail: map[string]any{"DaysToExpiry": 45.0}}
	return &d
}

// Every field survives a round trip through JSON, the attempt number too.
func TestEntryJSONRoundTrip(t *testing.T) {
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	e := Entry{Time: at, Kind: KindAttempt, Cert: "web", Attempt: 7, Detail: fullDetail()}
	b, err := json.Marshal(e)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"cert":"web","resource":"Resource","detail":{"text":"Text","cycle":3,"attempt":7,"status":"Status"`)
	var back Entry
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, e, back)

	// An entry without a detail writes its attempt alone, and reads back
	// with an empty one: readers may rely on Detail being there.
	b, err = json.Marshal(Entry{Time: at, Kind: KindEnd, Attempt: 2})
	require.NoError(t, err)
	assert.Equal(t, `{"time":"2026-03-01T00:00:00Z","kind":"end","detail":{"attempt":2}}`, string(b))
	require.NoError(t, json.Unmarshal([]byte(`{"time":"2026-03-01T00:00:00Z","kind":"end","detail":null}`), &back))
	assert.Equal(t, Entry{Time: at, Kind: KindEnd, Detail: &Detail{}}, back)
}

// A line of an event log written before the wire form was derived from
// Detail (renewsim at b8f3e83) reads back as it did, and writes the same
// bytes again.
func TestEntryJSONReadsOldLogs(t *testing.T) {
	const line = `{"time":"2026-08-01T01:00:00Z","kind":"validation-attempt","cert":"web","detail":{"text":"attempt 2 failed: _a.example.com. does not exist","cycle":1,"attempt":2,"status":"PENDING_VALIDATION","checks":[{"domain":"example.com","method":"DNS","record":"_a.example.com.","expected":"_b.acm-validations.aws.","rcode":"NXDOMAIN","status":"PENDING_VALIDATION","cause":"cname-missing","problem":"p \u003c q","fix":"f"}],"ok":false}}`
	var e Entry
	require.NoError(t, json.Unmarshal([]byte(line), &e))
	assert.Equal(t, 2, e.Attempt)
	assert.Equal(t, 1, e.Detail.Cycle)
	assert.Equal(t, "attempt 2 failed: _a.example.com. does not exist", e.Detail.Text)
	assert.Equal(t, CauseCNAMEMissing, e.Detail.Checks[0].Cause)
	assert.Equal(t, "p < q", e.Detail.Checks[0].Problem)
	require.NotNil(t, e.Detail.OK)
	assert.False(t, *e.Detail.OK)
	b, err := json.Marshal(e)
	require.NoError(t, err)
	assert.Equal(t, line, string(b))
}

// An entry of each kind that uses a group of Detail's rarer fields writes
// them in Detail's order, reads back with the same groups (none where it
// had none), and writes the same bytes again.
func TestEntryJSONGroupsRoundTrip(t *testing.T) {
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	na := at.Add(198 * Day)
	for _, tc := range []struct {
		name string
		e    Entry
		want string
	}{
		{"status", Entry{Time: at, Kind: KindStatus, Cert: "web", Detail: &Detail{Text: "t", Cycle: 1,
			StatusDetail: &StatusDetail{Status: StatusIssued, RenewalStatus: RenewalFailed, Reason: "CAA_ERROR", Eligibility: Ineligible, Cause: CauseNotInUse}}},
			`"detail":{"text":"t","cycle":1,"status":"ISSUED","renewal_status":"FAILED","reason":"CAA_ERROR","eligibility":"INELIGIBLE","cause":"not-in-use"}`},
		{"window", Entry{Time: at, Kind: KindWindow, Cert: "web", Detail: &Detail{Cycle: 1, StatusDetail: &StatusDetail{Eligibility: Eligible}, NotAfter: &na}},
			`"detail":{"cycle":1,"eligibility":"ELIGIBLE","not_after":"2026-09-15T00:00:00Z"}`},
		{"dns fault", Entry{Time: at, Kind: KindTimeline, Detail: &Detail{Text: "t",
			TimelineDetail: &TimelineDetail{Do: DoDNSFault, Zone: "example.com.", Fault: FaultServfail, Probability: 0.25}}},
			`"detail":{"text":"t","do":"dns-fault","zone":"example.com.","fault":"servfail","probability":0.25}`},
		{"record deleted", Entry{Time: at, Kind: KindTimeline, Detail: &Detail{TimelineDetail: &TimelineDetail{Do: DoDNSDelete, Record: "r", Name: "n", Type: "CNAME"}}},
			`"detail":{"do":"dns-delete","record":"r","name":"n","type":"CNAME"}`},
		{"pca failure", Entry{Time: at, Kind: KindTimeline, Cert: "pca", Detail: &Detail{StatusDetail: &StatusDetail{Reason: "PCA_INVALID_STATE"}, TimelineDetail: &TimelineDetail{Do: DoPCAFailure}}},
			`"detail":{"reason":"PCA_INVALID_STATE","do":"pca-failure"}`},
		{"mailbox", Entry{Time: at, Kind: KindTimeline, Detail: &Detail{TimelineDetail: &TimelineDetail{Do: DoMailboxReject}, MailDetail: &MailDetail{To: "admin@example.com"}}},
			`"detail":{"do":"mailbox-reject","to":"admin@example.com"}`},
		{"reimport", Entry{Time: at, Kind: KindIssued, Cert: "imp", Detail: &Detail{Cycle: 1, TimelineDetail: &TimelineDetail{Do: DoReimport}, Serial: "01"}},
			`"detail":{"cycle":1,"serial":"01","do":"reimport"}`},
		{"notice", Entry{Time: at, Kind: KindNotice, Cert: "web", Detail: &Detail{Text: "t", NoticeDetail: &NoticeDetail{Channel: "email", Days: 30}}},
			`"detail":{"text":"t","channel":"email","days":30}`},
		{"email", Entry{Time: at, Kind: KindEmail, Cert: "web", Detail: &Detail{OK: boolPtr(false),
			MailDetail: &MailDetail{Email: EmailApproval, To: "admin@example.com", Domain: "example.com", Subject: "s", SMTPCode: 550}}},
			`"detail":{"ok":false,"email":"approval","to":"admin@example.com","domain":"example.com","subject":"s","smtp_code":550}`},
		{"click", Entry{Time: at, Kind: KindClick, Cert: "web", Detail: &Detail{MailDetail: &MailDetail{Domain: "example.com", Approved: boolPtr(true)}, Expired: boolPtr(false)}},
			`"detail":{"domain":"example.com","approved":true,"expired":false}`},
		{"probe", Entry{Time: at, Kind: KindProbe, Detail: &Detail{Resource: "alb", Serial: "01", Expired: boolPtr(true), Verified: boolPtr(false), Err: "x"}},
			`"detail":{"serial":"01","expired":true,"verified":false,"error":"x"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.e)
			require.NoError(t, err)
			assert.Contains(t, string(b), tc.want)
			var back Entry
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, tc.e, back)
			again, err := json.Marshal(back)
			require.NoError(t, err)
			assert.Equal(t, string(b), string(again))
		})
	}
}

// The accessors give a group's zero value where there is no group, or no
// Detail at all: readers need not check.
func TestDetailGroupsAreNilSafe(t *testing.T) {
	for _, d := range []*Detail{nil, {}} {
		assert.Equal(t, StatusDetail{}, d.StatusOf())
		assert.Equal(t, TimelineDetail{}, d.TimelineOf())
		assert.Equal(t, NoticeDetail{}, d.NoticeOf())
		assert.Equal(t, MailDetail{}, d.MailOf())
	}
	d := &Detail{MailDetail: &MailDetail{To: "a@example.com"}}
	assert.Equal(t, "a@example.com", d.MailOf().To)
	assert.Empty(t, d.TimelineOf().Do)
}
