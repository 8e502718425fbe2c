package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/renewsim/renewsim/fleet"
	"github.com/renewsim/renewsim/scenarios"
)

// BenchmarkCheckVsRun runs `renewsim run` on each generated fleet of the
// shape matrix (scenarios.ShapeMatrix) and `renewsim check` on the same
// fleet written as the AWS CLI exports of its account
// (fleet.SyntheticExports), each as a child process of its own (this test
// binary running main), one after the other in every iteration, so that
// their ratio is measured under the same load. Wall time is the child's
// from start to exit, CPU (user+system) and peak RSS its getrusage, as
// os/exec reports them.
//
//	go test -run '^$' -bench 'CheckVsRun/shape=ordinary/certs=10000$' -benchtime 1x ./cmd/renewsim/
func BenchmarkCheckVsRun(b *testing.B) {
	for _, s := range scenarios.ShapeMatrix() {
		for _, n := range []int{1000, 10000} {
			b.Run(fmt.Sprintf("shape=%s/certs=%d", s.Name, n), func(b *testing.B) {
				dir := b.TempDir()
				f := scenarios.NewSynthetic(s.Of(n), 1)
				scenario := filepath.Join(dir, "fleet.yaml")
				writeFleetFile(b, scenario, f.YAML())
				acm, zones := fleet.SyntheticExports(f)
				writeFleetFile(b, filepath.Join(dir, "acm.jsonl"), acm)
				for name, z := range zones {
					writeFleetFile(b, filepath.Join(dir, "zones", name), z)
				}
				run := []string{"run", scenario}
				// The scenario's profile, not check's default (the dated CA/B
				// schedule, which renews more often): the same fleet, the same model.
				check := []string{"check", "-profile", "acm-2026", "-acm", filepath.Join(dir, "acm.jsonl"), "-zones", filepath.Join(dir, "zones"),
					"-now", f.Start.Format(time.RFC3339), "-until", f.Until.Format(time.RFC3339)}
				var r, c childUsage
				for b.Loop() {
					r.add(runChild(b, run))
					c.add(runChild(b, check))
				}
				per := func(d time.Duration) float64 { return d.Seconds() / float64(b.N) }
				b.ReportMetric(per(r.wall), "run-wall-s")
				b.ReportMetric(per(r.cpu), "run-cpu-s")
				b.ReportMetric(float64(r.rss)/(1<<20), "run-peak-rss-MiB")
				b.ReportMetric(per(c.wall), "check-wall-s")
				b.ReportMetric(per(c.cpu), "check-cpu-s")
				b.ReportMetric(float64(c.rss)/(1<<20), "check-peak-rss-MiB")
				b.ReportMetric(float64(c.wall)/float64(r.wall), "check/run-wall")
				b.ReportMetric(float64(c.cpu)/float64(r.cpu), "check/run-cpu")
			})
		}
	}
}

type childUsage struct {
	wall, cpu time.Duration
	rss       int64 // the highest of the children's, in bytes
}

func (u *childUsage) add(v childUsage) {
	u.wall += v.wall
	u.cpu += v.cpu
	u.rss = max(u.rss, v.rss)
}

// runChild runs main with args in a child process (TestMain's
// childArgsEnv) and measures it. Exit status 1 (expectations failed, or
// certificates that will not renew) is what the fleets are for.
func runChild(b *testing.B, args []string) childUsage {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childArgsEnv+"="+strings.Join(args, "\x1f"))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	t0 := time.Now()
	err := cmd.Run()
	wall := time.Since(t0)
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
		b.Fatalf("renewsim %s: %v\n%s", args[0], err, stderr.String())
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return childUsage{wall: wall, cpu: time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), rss: ru.Maxrss << 10}
}

func writeFleetFile(b *testing.B, path string, data []byte) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
}
