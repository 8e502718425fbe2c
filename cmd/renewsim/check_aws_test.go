package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every usage error of -aws comes out before any call is made.
func TestCheckAWSUsage(t *testing.T) {
	dir := t.TempDir()
	ids := filepath.Join(dir, "accounts.txt")
	require.NoError(t, os.WriteFile(ids, []byte("# prod\n111122223333\n444455556666, 111122223333\n\n"), 0o644))
	bad := filepath.Join(dir, "bad.txt")
	require.NoError(t, os.WriteFile(bad, []byte("111122223333\nprod-account\n"), 0o644))
	used := filepath.Join(dir, "used")
	require.NoError(t, os.MkdirAll(filepath.Join(used, "acm"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(used, "acm", "old.json"), []byte("{}"), 0o644))
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-regions", "eu-west-1"}, "check: -regions reads a live account: give it with -aws"},
		{[]string{"-export", dir}, "check: -export reads a live account: give it with -aws"},
		{[]string{"-aws", "-acm", fleetDir + "/acm"}, "check: -aws reads the account itself; leave out -acm, -zones, -zone and -account-config (check the exports of -export with those)"},
		{[]string{"-aws", "-regions", "us-east-1,Europe"}, `-regions: "Europe" is not an AWS region like us-east-1 (or give all)`},
		{[]string{"-aws", "-assume-role", "renewsim-check"}, "check: -assume-role and -accounts go together: the role is assumed in each account"},
		{[]string{"-aws", "-accounts", "111122223333"}, "check: -assume-role and -accounts go together: the role is assumed in each account"},
		{[]string{"-aws", "-assume-role", "r", "-accounts", "111122223333,12345"}, `-accounts: want 12-digit account ids like 111122223333,444455556666, got "12345"`},
		{[]string{"-aws", "-assume-role", "r", "-accounts", bad}, bad + `:2: want a 12-digit account id, got "prod-account"`},
		{[]string{"-aws", "-assume-role", "r", "-accounts", filepath.Join(dir, "none.txt")}, "-accounts: want account ids like 111122223333,444455556666 or a file of them: open " + filepath.Join(dir, "none.txt") + ": no such file or directory"},
		{[]string{"-aws", "-export", used}, "-export " + used + ": " + filepath.Join(used, "acm") + " already holds files; give a new or empty directory (the check of an export reads every file in it)"},
	} {
		code, _, errs := renewsim(t, append([]string{"check"}, tc.args...)...)
		assert.Equal(t, 2, code, tc.args)
		assert.Contains(t, errs, "renewsim: "+tc.want+"\n", tc.args)
	}
	ok, err := accountIDs(ids)
	require.NoError(t, err)
	assert.Equal(t, []string{"111122223333", "444455556666"}, ok)
}
