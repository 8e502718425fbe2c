// Package loopback holds what the HTTP fakes share: an http.Server on a
// loopback listener, plain or TLS (HTTP/1.1 only), that starts once and
// closes the way httptest.Server.Close does, with the connection cap of
// package conns.
//
// Every connection is bounded in time, so a client that stalls holds a
// goroutine for a while at most: a request must arrive whole, headers and
// body, within DefaultReadTimeout (HTTPServer.ReadTimeout; a new connection
// must bring its first request, and a TLS client its handshake, within it
// too), be answered within WriteTimeout, and a kept-alive connection may
// idle for DefaultIdleTimeout (HTTPServer.IdleTimeout). Close waits for
// requests in flight for DefaultCloseGrace (HTTPServer.CloseGrace) at most,
// then cuts their connections and waits for their goroutines, so that a
// client still sending its request or not reading its answer cannot hold
// Close up.
//
// At most HTTPServer.MaxConns connections are open at once (the default of
// package conns), drawn from the process's shared descriptor budget. A
// client beyond them gets, after its request's head is read (Go's client
// would otherwise take an early answer for a broken connection) and over
// TLS after its handshake, "503 Service Unavailable" with Retry-After: 1,
// Connection: close and the server's BusyBody, and the connection ends.
//
// What callers must do: set the fields, Start once with a loopback address
// and a handler, and Close.
package loopback
