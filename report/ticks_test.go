package report

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func majorLabels(start, end time.Time) []string {
	tt := timeTicks(float64(start.Unix()), float64(end.Unix()))
	var out []string
	for _, tk := range tt.Ticks(float64(start.Unix()), float64(end.Unix())) {
		if tk.Label != "" {
			out = append(out, tk.Label)
		}
	}
	return out
}

func TestCalendarTicks(t *testing.T) {
	d := func(s string) time.Time {
		v, err := time.Parse("2006-01-02 15:04", s)
		if err != nil {
			panic(err)
		}
		return v
	}
	assert.Equal(t, []string{"2026-03-01", "2026-04-01", "2026-05-01", "2026-06-01", "2026-07-01", "2026-08-01", "2026-09-01"},
		majorLabels(d("2026-03-01 00:00"), d("2026-09-22 00:00")), "month starts over half a year")
	assert.Equal(t, []string{"2025-03-01", "2025-05-01", "2025-07-01", "2025-09-01", "2025-11-01", "2026-01-01", "2026-03-01"},
		majorLabels(d("2025-03-01 00:00"), d("2026-04-07 00:00")), "every other month over a year")
	assert.Equal(t, []string{"2026-09-08", "2026-09-09", "2026-09-10", "2026-09-11", "2026-09-12", "2026-09-13", "2026-09-14", "2026-09-15"},
		majorLabels(d("2026-09-07 12:00"), d("2026-09-15 06:00")), "midnights over a week")
	assert.Equal(t, []string{"09-15 00:00", "09-15 06:00", "09-15 12:00", "09-15 18:00", "09-16 00:00", "09-16 06:00", "09-16 12:00"},
		majorLabels(d("2026-09-14 22:00"), d("2026-09-16 13:00")), "hours over a day and a half")

	ticks := timeTicks(float64(d("2026-03-01 00:00").Unix()), float64(d("2026-09-22 00:00").Unix())).
		Ticks(float64(d("2026-03-01 00:00").Unix()), float64(d("2026-09-22 00:00").Unix()))
	minor := 0
	for _, tk := range ticks {
		if tk.Label == "" {
			minor++
			assert.Equal(t, time.Monday, time.Unix(int64(tk.Value), 0).UTC().Weekday(), "minor ticks on Mondays")
		}
	}
	assert.Greater(t, minor, 20)
}
