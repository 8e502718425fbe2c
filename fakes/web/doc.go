// Package web is a plain-HTTP server on a loopback address that answers
// fixed responses per path: the simulator uses it as the port-80 side of a
// resource, which serves (or redirects) the HTTP validation token of ACM's
// HTTP validation method.
//
// What callers must do: New it with a Config (a loopback Addr; the zero
// value takes a free port of 127.0.0.1), Start it, Set the paths it
// answers, and Close it when done; Close waits for every goroutine it
// started. It knows nothing of the simulator.
//
// What a hostile client gets: at most Config.MaxConns connections (512 by
// default) are served at once, and one beyond them is answered 503 and
// closed; a request must arrive whole within Config.ReadTimeout (30 s), a
// kept-alive connection may idle for Config.IdleTimeout (2 min). The
// connections draw on the descriptor budget all the fakes share (package
// fakes/internal/conns), so a flood here cannot starve another fake.
package web
