package acmapi_test

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAWSCLI runs the AWS CLI, when one is installed, against the fake: the
// other consumer of the endpoint besides the SDKs (botocore's own model and
// parser).
func TestAWSCLI(t *testing.T) {
	aws, err := exec.LookPath("aws")
	if err != nil || testing.Short() {
		t.Skip("no aws CLI on PATH (or -short)")
	}
	b := newBackend(t)
	srv, _ := start(t, b)
	env := []string{
		"AWS_ACCESS_KEY_ID=AKID", "AWS_SECRET_ACCESS_KEY=SECRET",
		"AWS_CONFIG_FILE=" + os.DevNull, "AWS_SHARED_CREDENTIALS_FILE=" + os.DevNull,
		"AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=", "AWS_MAX_ATTEMPTS=1",
	}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	run := func(args ...string) (string, string, int) {
		t.Helper()
		cmd := exec.Command(aws, append(append([]string{"acm"}, args...),
			"--endpoint-url", srv.URL(), "--region", "us-east-1", "--output", "json")...)
		cmd.Env = env
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return stdout.String(), stderr.String(), ee.ExitCode()
		}
		require.NoError(t, err)
		return stdout.String(), stderr.String(), 0
	}

	out, stderr, code := run("describe-certificate", "--certificate-arn", arnWeb)
	require.Equal(t, 0, code, stderr)
	var d struct {
		Certificate struct {
			Status         string
			NotAfter       float64
			RenewalSummary struct{ RenewalStatus string }
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &d), out)
	assert.Equal(t, "ISSUED", d.Certificate.Status)
	assert.Equal(t, float64(webNotAfter.Unix()), d.Certificate.NotAfter)
	assert.Equal(t, "PENDING_VALIDATION", d.Certificate.RenewalSummary.RenewalStatus)

	out, stderr, code = run("list-certificates", "--certificate-statuses", "ISSUED", "--includes", "keyTypes=EC_prime256v1")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, arnImported)
	assert.NotContains(t, out, arnWeb)

	_, stderr, code = run("describe-certificate", "--certificate-arn", arnUnknown)
	assert.NotEqual(t, 0, code)
	assert.Contains(t, stderr, "(ResourceNotFoundException) when calling the DescribeCertificate operation")

	_, stderr, code = run("resend-validation-email", "--certificate-arn", arnPending,
		"--domain", "new.example.org", "--validation-domain", "example.org")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, [][3]string{{arnPending, "new.example.org", "example.org"}}, b.resendCalls())
}
