package report

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/renewsim/renewsim/alarm"
	"github.com/renewsim/renewsim/sim"
)

// MarkAlarm starts the class of an alarm's firing markers: alarm k of the
// scenario has the class "alarm#k" (AlarmClass), drawn with a glyph of its
// own on the upper edge of the band.
const MarkAlarm = "alarm"

// AlarmClass is the marker class of the scenario's alarm k.
func AlarmClass(k int) string { return MarkAlarm + "#" + strconv.Itoa(k) }

// alarmIndex reads k from an alarm's marker class.
func alarmIndex(class string) (int, bool) {
	rest, ok := strings.CutPrefix(class, MarkAlarm+"#")
	if !ok {
		return 0, false
	}
	k, err := strconv.Atoi(rest)
	return k, err == nil && k >= 0
}

// alarmGlyphs tell the alarms of a scenario apart: shapes and colours no
// other marker uses together (Okabe–Ito colours, colour-blind safe).
var alarmGlyphs = []struct {
	color  uint32
	radius vg.Length
	shape  draw.GlyphDrawer
}{
	{0xcc79a7, 4.5, draw.PyramidGlyph{}},
	{0xe69f00, 4, draw.BoxGlyph{}},
	{0x000000, 4, draw.RingGlyph{}},
	{0x009e73, 4.5, draw.TriangleGlyph{}},
	{0xd55e00, 4, draw.SquareGlyph{}},
	{0x56b4e9, 4, draw.CircleGlyph{}},
	{0x8e0152, 4.5, draw.PlusGlyph{}},
	{0x4d9221, 4.5, draw.CrossGlyph{}},
}

func alarmGlyph(k int) glyphStyle {
	a := alarmGlyphs[k%len(alarmGlyphs)]
	return glyphStyle{glyph: draw.GlyphStyle{Color: rgb(a.color), Radius: a.radius, Shape: a.shape}, ink: colText, legend: "alarm"}
}

// alarmMarkers puts every firing of every alarm on the timeline: on its
// certificate's lane, or for a probe on the resource's lane.
func (t *Timeline) alarmMarkers(rs []alarm.Result) {
	if len(rs) == 0 {
		return
	}
	certLane, resLane := map[string]int{}, map[string]int{}
	for i := len(t.Lanes) - 1; i >= 0; i-- {
		switch l := &t.Lanes[i]; l.Kind {
		case LaneCertificate:
			certLane[l.ID] = i
		case LaneResource:
			resLane[l.ID] = i
		}
	}
	for k := range rs {
		r := &rs[k]
		t.AlarmNames = append(t.AlarmNames, r.Name)
		for _, c := range r.Certificates {
			for _, f := range c.Firings {
				if f.Time.After(t.End) {
					continue
				}
				lane, ok := certLane[c.Cert]
				if f.Resource != "" {
					lane, ok = resLane[f.Resource]
				}
				if !ok {
					continue
				}
				text := fmt.Sprintf("alarm %s fired about %s (%s)", r.Name, c.Cert, f.Outcome)
				t.Markers = append(t.Markers, Marker{Time: f.Time, Lane: lane, Class: AlarmClass(k), Kind: MarkAlarm,
					Label: "alarm " + r.Name, Text: text})
			}
		}
	}
	slices.SortStableFunc(t.Markers, func(a, b Marker) int { return a.Time.Compare(b.Time) })
}

// htmlAlarm is one row of a scenario's alarm table: one alarm and one
// certificate it watches.
type htmlAlarm struct {
	Name, Rule, Cert string
	Fired, False     int
	First, Lead      string
	Missed           string
	Bad              bool // it missed an expiry or outage
}

func htmlAlarms(rs []alarm.Result) []htmlAlarm {
	var out []htmlAlarm
	for i := range rs {
		r := &rs[i]
		for _, c := range r.Certificates {
			row := htmlAlarm{Name: r.Name, Rule: r.Rule, Cert: c.Cert, Fired: c.Fired, False: c.FalseAlarms, First: "never", Lead: "-", Missed: "-"}
			if c.FirstFired != nil {
				row.First = ts(*c.FirstFired)
			}
			if _, ok := c.Lead(); ok {
				row.Lead = worstFollowedLead(&c)
			} else if c.Fired > 0 {
				row.Lead = "nothing to warn of"
			}
			if c.Missed > 0 {
				row.Missed = fmt.Sprintf("%d of %d", c.Missed, c.Troubles)
				row.Bad = true
			} else if c.Troubles > 0 {
				row.Missed = fmt.Sprintf("0 of %d", c.Troubles)
			}
			out = append(out, row)
		}
	}
	return out
}

// worstFollowedLead is the shortest lead time of c and what it was before.
func worstFollowedLead(c *alarm.Cert) string {
	d, _ := c.Lead()
	return fmt.Sprintf("%s (%s)", sim.FormatDuration(d), c.LeadBefore())
}
