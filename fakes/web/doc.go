// Package web is a plain-HTTP server on a loopback address that answers
// fixed responses per path: the simulator uses it as the port-80 side of a
// resource, which serves (or redirects) the HTTP validation token of ACM's
// HTTP validation method.
//
// Callers Start it on a loopback IP, Set the paths it answers, and Close it
// when done. It knows nothing of the simulator.
package web
