package dns

import "time"

// SetTimeouts shortens a server's TCP timeouts before Start, so that tests
// of stalled clients need not wait for the defaults.
func SetTimeouts(s *Server, read, idle, write time.Duration) {
	s.readTimeout, s.idleTimeout, s.writeTimeout = read, idle, write
}

// Timeouts reports a server's TCP timeouts.
func Timeouts(s *Server) (read, idle, write time.Duration) {
	return s.readTimeout, s.idleTimeout, s.writeTimeout
}
