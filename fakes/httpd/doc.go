// Package httpd serves an http.Handler of the caller's on loopback with the
// lifecycle, limits and refusals every HTTP fake of renewsim has: renewsim
// serve uses it for its control API, so that the one listener that is not a
// fake is no easier to flood than the fakes beside it.
//
// What callers must do: New(Config{Handler: h, Addr: a}), Start, read Addr
// or URL, and Close when done. Close stops accepting connections, closes
// idle ones, gives requests in flight a few seconds and then cuts them, and
// returns once every goroutine of the server has ended; it is idempotent.
//
// What a hostile client gets: at most Config.MaxConns connections (512 by
// default) are served at once, and one beyond them is answered 503 with
// Config.BusyBody; a request must arrive whole within Config.ReadTimeout
// (30 s) and a kept-alive connection may idle for Config.IdleTimeout
// (2 min). The connections draw on the descriptor budget every fake shares
// (package fakes/internal/conns).
package httpd
