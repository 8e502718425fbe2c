// Package loopback holds what the HTTP fakes share: an http.Server on a
// loopback listener that starts once and closes the way
// httptest.Server.Close does.
//
// Every connection is bounded in time, so a client that stalls holds a
// goroutine for a while at most: a request must arrive whole, headers and
// body, within DefaultReadTimeout (HTTPServer.ReadTimeout), be answered
// within WriteTimeout, and a kept-alive connection may idle for
// IdleTimeout. Close waits for requests in flight for DefaultCloseGrace
// (HTTPServer.CloseGrace) at most, then cuts their connections and waits
// for their goroutines, so that a client still sending its request or not
// reading its answer cannot hold Close up.
package loopback
