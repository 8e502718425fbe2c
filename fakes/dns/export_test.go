package dns

import "time"

// Timeouts reports a server's TCP timeouts, after New filled in the
// defaults.
func Timeouts(s *Server) (read, idle, write time.Duration) {
	return s.cfg.ReadTimeout, s.cfg.IdleTimeout, s.cfg.WriteTimeout
}
