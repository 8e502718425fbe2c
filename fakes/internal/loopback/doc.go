// Package loopback holds what the HTTP fakes share: an http.Server on a
// loopback listener that starts once and closes the way
// httptest.Server.Close does.
package loopback
