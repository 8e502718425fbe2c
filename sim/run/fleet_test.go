package run

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/report"
	"github.com/renewsim/renewsim/result"
	"github.com/renewsim/renewsim/scenarios"
)

var fleetShapes = scenarios.ShapeMatrix()

func shapeNamed(name string, n int) (scenarios.FleetShape, bool) {
	for _, s := range fleetShapes {
		if s.Name == name {
			return s.Of(n), true
		}
	}
	return scenarios.FleetShape{}, false
}

// runFleet is `renewsim run` on a generated fleet in the default mode: load
// the file, run it, build the results and write the summary. It returns the
// number of entries in the record.
func runFleet(tb testing.TB, file string, data []byte) int {
	sc, err := scenarios.Parse(file, data)
	if err != nil {
		tb.Fatal(err)
	}
	res, err := Run(context.Background(), sc, Options{CacheDNS: true, CacheProbes: true})
	if err != nil {
		tb.Fatal(err)
	}
	sum := &result.Summary{Scenarios: []result.Scenario{result.Build(sc, res.Seed, res.Log)}}
	if err := report.WriteText(io.Discard, sum); err != nil {
		tb.Fatal(err)
	}
	return len(res.Log)
}

// BenchmarkFleetTypedKeys is BenchmarkFleet with every certificate issued
// as a live run issues it (RSA 2048 keys from the simulated Amazon
// hierarchy) instead of from the Ed25519 simulator CA: what runs nobody
// watches would pay for handshakes whose answers the key type does not
// change.
func BenchmarkFleetTypedKeys(b *testing.B) {
	typedEverywhere = true
	defer func() { typedEverywhere = false }()
	BenchmarkFleet(b)
}

// BenchmarkFleet is `renewsim run` (runFleet) on every shape of the
// matrix, 1,000 and 10,000 certificates over two years, in this process:
// the one to profile (-cpuprofile, -memprofile) for a single cell.
// peak-rss-MiB is the process's high-water mark, so it only tells for the
// first cell a process runs; BenchmarkFleetProcess measures each cell in a
// process of its own.
//
//	go test -run '^$' -bench 'Fleet/shape=ordinary/certs=10000$' -benchtime 1x -cpuprofile cpu.out ./sim/run/
func BenchmarkFleet(b *testing.B) {
	for _, s := range fleetShapes {
		for _, n := range []int{1000, 10000} {
			b.Run(fmt.Sprintf("shape=%s/certs=%d", s.Name, n), func(b *testing.B) {
				f := scenarios.NewSynthetic(s.Of(n), 1)
				data := f.YAML()
				var entries int
				cpu0 := cpuTime()
				for b.Loop() {
					entries = runFleet(b, f.Name()+".yaml", data)
				}
				// CPU time tells more than wall time on a busy 2-core machine.
				b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N)/1e6, "cpu-ms/op")
				b.ReportMetric(float64(entries), "entries/run")
				b.ReportMetric(float64(peakRSS())/(1<<20), "peak-rss-MiB")
			})
		}
	}
}

// fleetCellEnv makes TestFleetCell run one cell of the matrix,
// "SHAPE/CERTS", and print what it measured: BenchmarkFleetProcess's child.
const fleetCellEnv = "RENEWSIM_FLEET_CELL"

// cellReport is what a child process tells its parent, on a line of its
// own after cellPrefix.
type cellReport struct {
	Entries int   `json:"entries"`
	WallNS  int64 `json:"wall_ns"`
}

const cellPrefix = "fleet-cell: "

// BenchmarkFleetProcess is BenchmarkFleet with each run in a child process
// of its own (this test binary, running TestFleetCell), so that its peak
// RSS is its own: wall-s is the run's wall time as the child measured it,
// cpu-s the child's user+system time and peak-rss-MiB its maxrss, both from
// getrusage(RUSAGE_CHILDREN) as os/exec reports them.
//
//	go test -run '^$' -bench 'FleetProcess' -benchtime 1x ./sim/run/
func BenchmarkFleetProcess(b *testing.B) {
	for _, s := range fleetShapes {
		for _, n := range []int{1000, 10000} {
			b.Run(fmt.Sprintf("shape=%s/certs=%d", s.Name, n), func(b *testing.B) {
				var wall, cpu time.Duration
				var rss int64
				var rep cellReport
				for b.Loop() {
					var r time.Duration
					rep, r, rss = runCell(b, fmt.Sprintf("%s/%d", s.Name, n))
					wall += time.Duration(rep.WallNS)
					cpu += r
				}
				b.ReportMetric(wall.Seconds()/float64(b.N), "wall-s")
				b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s")
				b.ReportMetric(float64(rss)/(1<<20), "peak-rss-MiB")
				b.ReportMetric(float64(rep.Entries), "entries/run")
			})
		}
	}
}

// runCell runs one cell in a child process and returns its report, its
// CPU time and its peak RSS in bytes.
func runCell(b *testing.B, cell string) (cellReport, time.Duration, int64) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestFleetCell$", "-test.count=1")
	cmd.Env = append(os.Environ(), fleetCellEnv+"="+cell)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		b.Fatalf("cell %s: %v\n%s", cell, err, out.String())
	}
	var rep cellReport
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		if line, ok := strings.CutPrefix(sc.Text(), cellPrefix); ok {
			if err := json.Unmarshal([]byte(line), &rep); err != nil {
				b.Fatal(err)
			}
		}
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return rep, cpu, ru.Maxrss << 10 // Linux counts maxrss in KiB
}

// TestFleetCell is BenchmarkFleetProcess's child; without its variable it
// does nothing.
func TestFleetCell(t *testing.T) {
	cell, ok := os.LookupEnv(fleetCellEnv)
	if !ok {
		t.Skip("run by BenchmarkFleetProcess")
	}
	name, count, _ := strings.Cut(cell, "/")
	n, err := strconv.Atoi(count)
	require.NoError(t, err)
	shape, ok := shapeNamed(name, n)
	require.True(t, ok, "no shape %q", name)
	f := scenarios.NewSynthetic(shape, 1)
	data := f.YAML()
	t0 := time.Now()
	entries := runFleet(t, f.Name()+".yaml", data)
	line, _ := json.Marshal(cellReport{Entries: entries, WallNS: time.Since(t0).Nanoseconds()})
	fmt.Println(cellPrefix + string(line))
}

// The change-driven mode gives the same record as the every-attempt mode
// on every shape of the matrix, scaled down: several certificates on a
// load balancer, a zone each, every trap of the shape.
func TestChangeDrivenFleetGivesTheSameRecord(t *testing.T) {
	for _, s := range fleetShapes {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			f := scenarios.NewSynthetic(s.Of(120), 4)
			requireEveryTrap(t, f)
			sc, err := scenarios.Parse(f.Name()+".yaml", f.YAML())
			require.NoError(t, err)
			every, err := Run(context.Background(), sc, Options{})
			require.NoError(t, err)
			changed, err := Run(context.Background(), sc, Options{CacheDNS: true, CacheProbes: true})
			require.NoError(t, err)
			assert.Equal(t, eventsOf(t, sc, every), eventsOf(t, sc, changed))
			assert.Less(t, changed.Queries, every.Queries/10, "DNS is asked again only when the zone changed")
		})
	}
}

// A fleet's record and event log are byte for byte the same at GOMAXPROCS
// 1 and 2, in the default mode, for the shapes whose probes are derived
// and whose DNS answers are remembered most.
func TestFleetDeterministic(t *testing.T) {
	for _, name := range []string{"ordinary", "traps"} {
		shape, _ := shapeNamed(name, 120)
		f := scenarios.NewSynthetic(shape, 4)
		sc, err := scenarios.Parse(f.Name()+".yaml", f.YAML())
		require.NoError(t, err)
		events := func(procs int) string {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			res, err := Run(context.Background(), sc, Options{CacheDNS: true, CacheProbes: true})
			require.NoError(t, err)
			return eventsOf(t, sc, res)
		}
		assert.Equal(t, events(1), events(2), name)
	}
}

// requireEveryTrap fails unless f has a certificate with each trap its
// shape gives a share.
func requireEveryTrap(t *testing.T, f *scenarios.Synthetic) {
	t.Helper()
	seen := map[scenarios.Trap]bool{}
	for _, c := range f.Certs {
		seen[c.Trap] = true
	}
	for trap, share := range f.Shape.Traps() {
		assert.True(t, share == 0 || seen[trap], "%s: no certificate with the trap %s: choose another seed", f.Name(), trap)
	}
}

// peakRSS is the process's peak resident set size (VmHWM), in bytes, or 0
// where /proc does not tell. Run one size per process to read it for that
// size: it only grows.
func peakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// Issuing every certificate with its own key and issuer, as a live run
// does, changes nothing in the record of a run: the probes read serials,
// validity and verification, not keys. (It is why runs nobody watches may
// keep the cheaper Ed25519 simulator CA.)
func TestTypedKeysGiveTheSameRecord(t *testing.T) {
	sc, err := scenarios.Parse("synthetic-150.yaml", scenarios.SyntheticFleet(150, 4))
	require.NoError(t, err)
	ed, err := Run(context.Background(), sc, Options{})
	require.NoError(t, err)
	typedEverywhere = true
	defer func() { typedEverywhere = false }()
	typed, err := Run(context.Background(), sc, Options{})
	require.NoError(t, err)
	assert.Equal(t, eventsOf(t, sc, ed), eventsOf(t, sc, typed))
}
