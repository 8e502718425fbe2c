package dns_test

import (
	"testing"

	mdns "github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	fakedns "github.com/renewsim/renewsim/fakes/dns"
)

func TestAddErrors(t *testing.T) {
	tests := []struct {
		name    string
		lines   []string
		wantErr []string // substrings the error must contain
	}{
		{
			name:    "bad address on second line",
			lines:   []string{"ok.example.com. A 192.0.2.1", "bad.example.com. A not-an-ip"},
			wantErr: []string{"line 2", `"bad.example.com. A not-an-ip"`, "not-an-ip", "bad A"},
		},
		{
			name:    "unknown type",
			lines:   []string{"bad.example.com. BOGUS 1"},
			wantErr: []string{"line 1", "BOGUS"},
		},
		{
			name:    "relative owner",
			lines:   []string{"www A 192.0.2.1"},
			wantErr: []string{"line 1", "relative name", `"www A 192.0.2.1"`},
		},
		{
			name:    "relative CNAME target",
			lines:   []string{"ok.example.com. A 192.0.2.1", "www.example.com. CNAME web.example.com"},
			wantErr: []string{"line 2", "relative name", "web.example.com"},
		},
		{
			name:    "at sign without origin",
			lines:   []string{"@ A 192.0.2.1"},
			wantErr: []string{"line 1", "relative name"},
		},
		{
			name:    "class other than IN",
			lines:   []string{"version.bind. CH TXT \"x\""},
			wantErr: []string{"line 1", "class CH"},
		},
		{
			name:    "generated records",
			lines:   []string{"ok.example.com. A 192.0.2.1", "$GENERATE 0-65535 h$.example.com. A 192.0.2.1"},
			wantErr: []string{"line 2", "$GENERATE is not supported"},
		},
		{
			name:    "generate in lower case after a carriage return",
			lines:   []string{"a.example.com. A 192.0.2.1\r\n\r$generate 1-2 h$.example.com. A 192.0.2.1"},
			wantErr: []string{"line 1", "$GENERATE is not supported"},
		},
		{
			name:    "included file",
			lines:   []string{"$INCLUDE /etc/hosts"},
			wantErr: []string{"line 1", "$INCLUDE is not supported"},
		},
		{
			name:    "unbalanced parenthesis",
			lines:   []string{"example.com. SOA ns. host. ( 1 2 3 4 5"},
			wantErr: []string{"line 1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fakedns.New(fakedns.Config{})
			err := s.Add(tt.lines...)
			require.Error(t, err)
			for _, want := range tt.wantErr {
				assert.Contains(t, err.Error(), want)
			}
			assert.NotContains(t, err.Error(), "renewsim.invalid", "sentinel origin must not leak")
			assert.Empty(t, s.Records(), "a failed Add must add nothing")
			assert.Zero(t, s.Version(), "a failed Add must not change the version")
		})
	}
}

func TestAddTTLsAndDirectives(t *testing.T) {
	s := fakedns.New(fakedns.Config{})
	require.NoError(t, s.Add(
		"a.example.com. A 192.0.2.1",
		"b.example.com. 60 A 192.0.2.2",
		"$TTL 30\nc.example.com. A 192.0.2.3",
		"$ORIGIN example.org.\nwww CNAME @",
		"multi.example.com. TXT ( \"one\"\n \"two\" )",
		"; only a comment",
		"",
	))
	assert.Equal(t, rrStrings(t,
		"a.example.com. 300 IN A 192.0.2.1",
		"b.example.com. 60 IN A 192.0.2.2",
		"c.example.com. 30 IN A 192.0.2.3",
		`multi.example.com. 300 IN TXT "one" "two"`,
		"www.example.org. 300 IN CNAME example.org.",
	), sectionStrings(s.Records()))
}

func TestRecordsOrderAndCopies(t *testing.T) {
	s := fakedns.New(fakedns.Config{})
	require.NoError(t, s.Add(
		"b.example.com. TXT \"b\"",
		"_x.example.com. CNAME _y.acm-validations.aws.",
		"example.com. CAA 0 issue \"amazon.com\"",
		"example.com. A 192.0.2.2",
		"example.com. A 192.0.2.1",
		"a.example.org. A 192.0.2.9",
		"A.b.example.com. A 192.0.2.3",
	))
	want := rrStrings(t,
		"example.com. 300 IN A 192.0.2.1",
		"example.com. 300 IN A 192.0.2.2",
		`example.com. 300 IN CAA 0 issue "amazon.com"`,
		"_x.example.com. 300 IN CNAME _y.acm-validations.aws.",
		`b.example.com. 300 IN TXT "b"`,
		"A.b.example.com. 300 IN A 192.0.2.3",
		"a.example.org. 300 IN A 192.0.2.9",
	)
	got := s.Records()
	assert.Equal(t, want, sectionStrings(got))

	got[0].(*mdns.A).A[3] = 99
	got[0].Header().Ttl = 1
	assert.Equal(t, want, sectionStrings(s.Records()), "Records must return copies")
}

func TestAddRRNormalisesAndCopies(t *testing.T) {
	s := fakedns.New(fakedns.Config{})
	rr := &mdns.A{Hdr: mdns.RR_Header{Name: "Example.COM", Rrtype: mdns.TypeA, Ttl: 60}, A: []byte{192, 0, 2, 1}}
	s.AddRR(rr, nil)
	rr.A[3] = 99

	got := s.Records()
	require.Len(t, got, 1)
	assert.Equal(t, "Example.COM.\t60\tIN\tA\t192.0.2.1", got[0].String())
}

func TestVersion(t *testing.T) {
	s := fakedns.New(fakedns.Config{})
	v := s.Version()
	step := func(what string, wantChange bool, f func()) {
		t.Helper()
		f()
		if wantChange {
			assert.Greater(t, s.Version(), v, what)
		} else {
			assert.Equal(t, v, s.Version(), what)
		}
		v = s.Version()
	}
	step("add", true, func() { require.NoError(t, s.Add("example.com. A 192.0.2.1")) })
	step("add exact duplicate", false, func() { require.NoError(t, s.Add("EXAMPLE.com. 300 A 192.0.2.1")) })
	step("add duplicate with new TTL", true, func() { require.NoError(t, s.Add("EXAMPLE.COM. 60 A 192.0.2.1")) })
	assert.Equal(t, rrStrings(t, "example.com. 60 IN A 192.0.2.1"), sectionStrings(s.Records()),
		"a duplicate updates the TTL but keeps the stored spelling")
	step("remove nothing", false, func() { assert.Zero(t, s.Remove("example.com.", mdns.TypeAAAA)) })
	step("set rcode", true, func() { s.SetRcode("example.com.", mdns.RcodeServerFailure) })
	step("set same rcode", false, func() { s.SetRcode("Example.com.", mdns.RcodeServerFailure) })
	step("clear rcode", true, func() { s.ClearRcode("example.com.") })
	step("clear absent rcode", false, func() { s.ClearRcode("example.com.") })
	step("remove", true, func() { assert.Equal(t, 1, s.Remove("example.com.", mdns.TypeA)) })
	assert.Len(t, s.Records(), 0)
}

func TestRemove(t *testing.T) {
	zone := []string{
		"example.com. A 192.0.2.1",
		"example.com. A 192.0.2.2",
		"example.com. TXT \"t\"",
		"other.example.com. A 192.0.2.3",
	}
	tests := []struct {
		name    string
		owner   string
		rrtype  uint16
		want    int
		remains int
	}{
		{"one type", "example.com.", mdns.TypeA, 2, 2},
		{"all types with 0", "example.com.", 0, 3, 1},
		{"all types with ANY", "example.com.", mdns.TypeANY, 3, 1},
		{"case-insensitive and non-FQDN", "EXAMPLE.Com", mdns.TypeTXT, 1, 3},
		{"absent type", "example.com.", mdns.TypeAAAA, 0, 4},
		{"absent name", "nope.example.com.", 0, 0, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fakedns.New(fakedns.Config{})
			require.NoError(t, s.Add(zone...))
			assert.Equal(t, tt.want, s.Remove(tt.owner, tt.rrtype))
			assert.Len(t, s.Records(), tt.remains)
		})
	}
}

func TestRemoveRR(t *testing.T) {
	s := fakedns.New(fakedns.Config{})
	require.NoError(t, s.Add("example.com. A 192.0.2.1", "example.com. A 192.0.2.2"))

	rr, err := mdns.NewRR("EXAMPLE.COM. 999 IN A 192.0.2.1")
	require.NoError(t, err)
	assert.True(t, s.RemoveRR(rr), "TTL and case are ignored")
	assert.False(t, s.RemoveRR(rr), "already gone")
	assert.False(t, s.RemoveRR(nil))
	assert.Equal(t, rrStrings(t, "example.com. 300 IN A 192.0.2.2"), sectionStrings(s.Records()))
}

func TestReset(t *testing.T) {
	s := fakedns.New(fakedns.Config{})
	require.NoError(t, s.Add("a.example.com. 300 IN A 192.0.2.1", "b.example.com. 300 IN TXT \"x\""))
	s.SetRcode("c.example.com.", mdns.RcodeServerFailure)
	v := s.Version()
	s.Reset()
	assert.Empty(t, s.Records())
	assert.Greater(t, s.Version(), v)
	require.NoError(t, s.Add("a.example.com. 300 IN A 192.0.2.2"))
	assert.Len(t, s.Records(), 1)
}
