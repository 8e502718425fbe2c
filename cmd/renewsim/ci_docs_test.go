package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/renewsim/renewsim/internal/junitschema"
)

// ciExample is a CI configuration docs/ci.md ships, and how to find its
// shell scripts.
type ciExample struct {
	file    string
	scripts func(t *testing.T, doc map[string]any) []string
}

var ciExamples = []ciExample{
	{"docs/github-actions-check.yml", func(t *testing.T, doc map[string]any) []string {
		var out []string
		jobs, ok := doc["jobs"].(map[string]any)
		require.True(t, ok, "jobs")
		for _, name := range sortedKeysOf(jobs) {
			job := jobs[name].(map[string]any)
			steps, ok := job["steps"].([]any)
			require.True(t, ok, "jobs.%s.steps", name)
			for _, s := range steps {
				step := s.(map[string]any)
				if uses, _ := step["uses"].(string); strings.HasPrefix(uses, "hashicorp/setup-terraform@") {
					with, _ := step["with"].(map[string]any)
					assert.Equal(t, false, with["terraform_wrapper"], "the wrapper would corrupt terraform show -json")
				}
				if run, ok := step["run"].(string); ok {
					out = append(out, run)
				}
			}
		}
		return out
	}},
	{"docs/gitlab-ci-check.yml", func(t *testing.T, doc map[string]any) []string {
		var out []string
		for _, name := range []string{"terraform-plan", "renewsim-check"} {
			job, ok := doc[name].(map[string]any)
			require.True(t, ok, name)
			script, ok := job["script"].([]any)
			require.True(t, ok, "%s.script", name)
			for _, s := range script {
				out = append(out, s.(string))
			}
		}
		check := doc["renewsim-check"].(map[string]any)
		artifacts := check["artifacts"].(map[string]any)
		assert.Equal(t, "always", artifacts["when"], "the report matters most when the check fails")
		assert.Equal(t, map[string]any{"junit": "renewsim.xml"}, artifacts["reports"], "the merge request's test report")
		return out
	}},
}

func sortedKeysOf(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// renewsimLines are the renewsim command lines of scripts, without what
// the shell does with their status.
func renewsimLines(scripts []string) []string {
	var out []string
	for _, s := range scripts {
		for _, l := range strings.Split(s, "\n") {
			l = strings.TrimSpace(l)
			if !strings.HasPrefix(l, "renewsim ") {
				continue
			}
			l, _, _ = strings.Cut(l, " ||")
			out = append(out, l)
		}
	}
	return out
}

// The GitHub Actions workflow and the GitLab CI job docs/ci.md ships are
// valid YAML; they plan with -out, show the plan as JSON, then check it,
// in that order, and post the Markdown; and their renewsim command line,
// run on each example plan as plan.json, checks it: exit 0 or 1 as the
// plan deserves, the Markdown small enough for a comment, the JUnit valid,
// the fleet page written.
func TestCIExamples(t *testing.T) {
	plans := map[string]int{"plan-harmless": 0, "plan-delete-shared-record": 1, "plan-caa-letsencrypt": 1}
	root, err := filepath.Abs(repoRoot)
	require.NoError(t, err)
	for _, ex := range ciExamples {
		t.Run(filepath.Base(ex.file), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(root, ex.file))
			require.NoError(t, err)
			var doc map[string]any
			require.NoError(t, yaml.Unmarshal(data, &doc), "%s is valid YAML", ex.file)
			scripts := ex.scripts(t, doc)
			all := strings.Join(scripts, "\n")
			plan := strings.Index(all, "terraform plan ")
			show := strings.Index(all, "terraform show -json tfplan")
			check := strings.Index(all, "renewsim check -terraform plan.json")
			require.True(t, plan >= 0 && show > plan && check > show, "%s: terraform plan, terraform show -json, renewsim check, in that order:\n%s", ex.file, all)
			assert.Contains(t, all[plan:show], "-out=tfplan")
			assert.Contains(t, all[show:check], "> \"$", "the JSON goes to the file renewsim reads")
			assert.Contains(t, all[check:], "renewsim.md", "the Markdown is posted")
			lines := renewsimLines(scripts)
			require.Len(t, lines, 1, "one renewsim command")
			args, err := shellWords(lines[0])
			require.NoError(t, err)
			require.Equal(t, "renewsim", args[0])
			for name, exit := range plans {
				t.Run(name, func(t *testing.T) {
					dir := t.TempDir()
					src, err := os.ReadFile(filepath.Join(root, "examples/terraform", name+".json"))
					require.NoError(t, err)
					require.NoError(t, os.WriteFile(filepath.Join(dir, "plan.json"), src, 0o644))
					t.Run("in the job's directory", func(t *testing.T) {
						t.Chdir(dir)
						// The example plans are of 2026-04-01; CI runs at the
						// wall clock's now.
						var out, errb bytes.Buffer
						err := run(t.Context(), append(args[1:], "-now", at0401), &out, &errb)
						assert.Equal(t, exit, exitCode(err, &errb), errb.String())
					})
					md, err := os.ReadFile(filepath.Join(dir, "renewsim.md"))
					require.NoError(t, err)
					assert.Less(t, len(md), 65536, "a pull-request comment")
					assert.FileExists(t, filepath.Join(dir, "renewsim-report", "index.html"))
					junitschema.Validate(t, filepath.Join(dir, "renewsim.xml"))
				})
			}
		})
	}
}
