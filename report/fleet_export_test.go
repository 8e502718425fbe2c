package report

// SetFleetLimits lowers the bounds of the fleet page for a test: lanes on
// the fleet timeline, timelines drawn and stories told in the drill-down.
// It returns a function that puts them back.
func SetFleetLimits(lanes, drawn, stories int) (restore func()) {
	l, d, s := fleetLanes, fleetDrawn, fleetStories
	fleetLanes, fleetDrawn, fleetStories = lanes, drawn, stories
	return func() { fleetLanes, fleetDrawn, fleetStories = l, d, s }
}
