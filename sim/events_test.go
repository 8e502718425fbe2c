package sim

import "testing"

// EventDays reads DaysToExpiry from every detail that has one, typed, by
// pointer or read back from JSON, and a nil pointer has none.
func TestEventDays(t *testing.T) {
	for _, tc := range []struct {
		d    any
		want int
		ok   bool
	}{
		{ApproachingDetail{DaysToExpiry: 45}, 45, true},
		{&AvailableDetail{DaysToExpiry: 30}, 30, true},
		{ActionRequiredDetail{DaysToExpiry: 7}, 7, true},
		{(*ActionRequiredDetail)(nil), 0, false},
		{(*ApproachingDetail)(nil), 0, false},
		{map[string]any{"DaysToExpiry": float64(3)}, 3, true},
		{map[string]any{}, 0, false},
		{"x", 0, false},
	} {
		got, ok := EventDays(tc.d)
		if got != tc.want || ok != tc.ok {
			t.Errorf("EventDays(%#v) = %d, %v; want %d, %v", tc.d, got, ok, tc.want, tc.ok)
		}
	}
}
