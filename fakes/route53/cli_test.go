package route53_test

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/fakes/route53"
)

// awsCLIs finds the AWS CLIs installed: the aws on PATH and the usual
// places of a second one (CLI v1 from pip, v2 from a package), each once.
func awsCLIs() []string {
	var out []string
	seen := map[string]bool{}
	cands := []string{"/usr/bin/aws", "/usr/local/bin/aws"}
	if p, err := exec.LookPath("aws"); err == nil {
		cands = append([]string{p}, cands...)
	}
	for _, c := range cands {
		if _, err := os.Stat(c); err != nil {
			continue
		}
		v, err := exec.Command(c, "--version").CombinedOutput()
		if err != nil {
			continue
		}
		// aws-cli/1.x or aws-cli/2.x: one of each is enough.
		if version := strings.Fields(string(v))[0]; !seen[version] {
			seen[version] = true
			out = append(out, c)
		}
	}
	return out
}

// TestAWSCLI runs each AWS CLI installed (v1 and v2 parse with botocore's
// own model, not the Go SDK's) against the fake.
func TestAWSCLI(t *testing.T) {
	clis := awsCLIs()
	if len(clis) == 0 || testing.Short() {
		t.Skip("no aws CLI installed (or -short): apt-get install awscli, or pip install awscli")
	}
	for _, cli := range clis {
		v, _ := exec.Command(cli, "--version").CombinedOutput()
		t.Run(strings.Fields(string(v))[0], func(t *testing.T) {
			b := newMem()
			srv, c := start(t, b, route53.Config{})
			id := zoneIDs(t, c)["example.com."]
			run := func(args ...string) (string, string, int) {
				t.Helper()
				cmd := exec.Command(cli, append(append([]string{"route53"}, args...), "--endpoint-url", srv.URL(), "--output", "json")...)
				cmd.Env = cliEnv()
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

			out, stderr, code := run("list-hosted-zones")
			require.Equal(t, 0, code, stderr)
			var zones struct{ HostedZones []struct{ Id, Name string } }
			require.NoError(t, json.Unmarshal([]byte(out), &zones), out)
			assert.Len(t, zones.HostedZones, 3)

			// The CLI pages by itself (MaxItems 2 a page here).
			out, stderr, code = run("list-resource-record-sets", "--hosted-zone-id", id, "--page-size", "2")
			require.Equal(t, 0, code, stderr)
			var sets struct {
				ResourceRecordSets []struct {
					Name, Type      string
					TTL             int
					ResourceRecords []struct{ Value string }
				}
			}
			require.NoError(t, json.Unmarshal([]byte(out), &sets), out)
			assert.Len(t, sets.ResourceRecordSets, 8)

			out, stderr, code = run("get-hosted-zone", "--id", id)
			require.Equal(t, 0, code, stderr)
			assert.Contains(t, out, `"ns1.example.com"`)

			batch := `{"Changes":[{"Action":"DELETE","ResourceRecordSet":{"Name":"` + validation + `","Type":"CNAME","TTL":300,"ResourceRecords":[{"Value":"` + validationValue + `"}]}}]}`
			out, stderr, code = run("change-resource-record-sets", "--hosted-zone-id", id, "--change-batch", batch)
			require.Equal(t, 0, code, stderr)
			var ch struct{ ChangeInfo struct{ Id, Status string } }
			require.NoError(t, json.Unmarshal([]byte(out), &ch), out)
			assert.Equal(t, "PENDING", ch.ChangeInfo.Status)
			require.Len(t, b.applied, 1)

			out, stderr, code = run("get-change", "--id", ch.ChangeInfo.Id)
			require.Equal(t, 0, code, stderr)
			assert.Contains(t, out, `"INSYNC"`)
			_, stderr, code = run("wait", "resource-record-sets-changed", "--id", ch.ChangeInfo.Id)
			require.Equal(t, 0, code, stderr)

			// Deleting it again is refused with Route 53's message.
			_, stderr, code = run("change-resource-record-sets", "--hosted-zone-id", id, "--change-batch", batch)
			assert.NotEqual(t, 0, code)
			assert.Contains(t, stderr, "An error occurred (InvalidChangeBatch) when calling the ChangeResourceRecordSets operation")
			assert.Contains(t, stderr, ": [Tried to delete resource record set [name='"+validation+"', type='CNAME'] but it was not found]")

			_, stderr, code = run("list-resource-record-sets", "--hosted-zone-id", "ZNOSUCHZONE")
			assert.NotEqual(t, 0, code)
			assert.Contains(t, stderr, "(NoSuchHostedZone)")
		})
	}
}

// cliEnv runs a CLI with made-up credentials and none of the user's AWS
// settings.
func cliEnv() []string {
	env := []string{
		"AWS_ACCESS_KEY_ID=AKID", "AWS_SECRET_ACCESS_KEY=SECRET", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE=" + os.DevNull, "AWS_SHARED_CREDENTIALS_FILE=" + os.DevNull,
		"AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=", "AWS_MAX_ATTEMPTS=1",
	}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	return env
}
