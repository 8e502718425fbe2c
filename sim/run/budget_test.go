package run

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/renewsim/renewsim/engine"
	"github.com/renewsim/renewsim/scenarios"
	"github.com/renewsim/renewsim/sim"
)

// The default budget is an upper estimate: no library scenario needs more
// than a budgetFactor-th of it.
func TestBudgetCoversTheLibrary(t *testing.T) {
	defer goleak.VerifyNone(t)
	scs, err := scenarios.Library()
	require.NoError(t, err)
	err = RunMany(context.Background(), scs, ManyOptions{Options: Options{CacheDNS: true, CacheProbes: true}}, func(i int, res *Result) error {
		sc := scs[i]
		assert.LessOrEqual(t, res.Events*budgetFactor, Budget(sc), "%s: %d events", sc.Name, res.Events)
		return nil
	})
	require.NoError(t, err)
}

// A run that uses up its budget stops at once with an error that names the
// event that kept firing; nothing of the run is returned.
func TestBudgetStopsTheRun(t *testing.T) {
	defer goleak.VerifyNone(t)
	sc, err := scenarios.LoadLibrary("dns-missing-cname")
	require.NoError(t, err)
	res, err := Run(context.Background(), sc, Options{Budget: 500})
	assert.True(t, res == nil, "no result from a stopped run")
	require.Error(t, err)
	assert.True(t, errors.Is(err, engine.ErrBudget))
	assert.Equal(t, `library/dns-missing-cname.yaml: simulation stopped: engine: event budget of 500 events used up at 2026-08-21T11:00:00Z with events still due before 2026-09-22T00:00:00Z: "attempt" ran 491 of the last 500 events`, err.Error())

	// The default budget lets the same run finish.
	res, err = Run(context.Background(), sc, Options{})
	require.NoError(t, err)
	assert.Less(t, res.Events, Budget(sc))
}

func TestBudgetGrowsWithTheScenario(t *testing.T) {
	sc, err := scenarios.LoadLibrary("dns-missing-cname")
	require.NoError(t, err)
	base := Budget(sc)
	more := *sc
	more.Certificates = append(append([]sim.Certificate{}, sc.Certificates...), sc.Certificates...)
	assert.Greater(t, Budget(&more), base, "more certificates")
	longer := *sc
	longer.Until = sc.Until.Add(365 * sim.Day)
	assert.Greater(t, Budget(&longer), base, "a longer horizon")
	faster := *sc
	faster.Profile.RetryInterval = time.Minute
	assert.Greater(t, Budget(&faster), base, "more frequent attempts")
	busier := *sc
	busier.Timeline = make([]sim.Change, 10_000)
	assert.Greater(t, Budget(&busier), base, "a longer timeline")
}
