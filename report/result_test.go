package report_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/renewsim/renewsim/internal/fixture"
	"github.com/renewsim/renewsim/report"
	"github.com/renewsim/renewsim/result"
)

// The timeline of a result has the declared lanes in the scenario's order,
// then the ones only the record mentions.
func TestTimelineLanesOfAResult(t *testing.T) {
	sc := result.Build(fixture.BusyScenario(), 7, fixture.Busy())
	tl := report.TimelineOf(&sc)
	var ids []string
	for _, l := range tl.Lanes {
		ids = append(ids, l.Kind+" "+l.ID)
	}
	assert.Equal(t, []string{"world world", "certificate api", "certificate ghost", "certificate web",
		"resource apigw", "resource idle", "resource cdn", "resource alb-prod"}, ids,
		"the declared lanes in their order, then the ones only the record mentions")
}
