package run

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/renewsim/renewsim/scenarios"
	"github.com/renewsim/renewsim/sim"
)

// startLive starts a live run of a library scenario on free ports; when
// the test ends it closes it and checks that no goroutine is left.
func startLive(t *testing.T, name string) *Live {
	t.Helper()
	t.Cleanup(func() { goleak.VerifyNone(t) }) // runs last
	sc, err := scenarios.LoadLibrary(name)
	require.NoError(t, err)
	l, err := StartLive(context.Background(), sc, Options{}, Addrs{})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, l.Close()) })
	return l
}

// The sink hangs up on a client silent for its ReadTimeout, as a paused
// live run's mail client is; the next step redials instead of failing the
// run on a dead session.
func TestLiveMailSurvivesTheSinkHangingUp(t *testing.T) {
	l := startLive(t, "email-unclicked")
	l.w.sink.HangUp()

	// The approval e-mails go out 45 days before expiry.
	expiry := l.Scenario().Certificates[0].NotAfter
	require.NoError(t, l.AdvanceTo(expiry.Add(-44*sim.Day)))
	assert.NotEmpty(t, l.Messages())

	// Again, between two reminders.
	l.w.sink.HangUp()
	require.NoError(t, l.AdvanceTo(expiry.Add(-29*sim.Day)))
	assert.Greater(t, len(l.Messages()), 8)
}
