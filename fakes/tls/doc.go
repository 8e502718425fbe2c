// Package tls lets simulated AWS resources (load balancers, CloudFront
// distributions, API gateways, ...) serve the X.509 certificate currently
// deployed on them over real TLS on the loopback interface, and lets the
// simulator observe what a verifying client would see at a given virtual
// time.
//
// The package has three parts:
//
//   - [CA] is a deterministic, self-signed simulator root. [NewCA] derives
//     its Ed25519 key and its serial number from a caller-supplied seed, so
//     the same inputs always give a byte-identical root certificate.
//   - [CA.Issue] signs a leaf certificate described by a [LeafSpec]. The leaf
//     key is derived from [LeafSpec.KeySeed] and Ed25519 signatures are
//     deterministic, so the same spec always yields the same DER bytes.
//   - [Endpoint] is one simulated resource: an HTTPS server on a loopback
//     address ([Config].Addr) whose served certificate can be switched
//     atomically with [Endpoint.Deploy] and removed with [Endpoint.Undeploy]. [Probe] performs a real TLS
//     handshake against an endpoint and judges the served certificate at a
//     virtual time, exactly as crypto/tls would with Config.Time set.
//
// What callers must do:
//
//   - Supply every input that influences a certificate: CA name, seed and
//     validity; leaf serial, names, validity and key seed. Nothing is read
//     from the wall clock or from a random source. Validity times are stored
//     in UTC and truncated to whole seconds, as X.509 encodes them.
//   - Choose the serial numbers (ACM-like serials are the simulator's
//     business); [LeafSpec.Serial] must be positive. Use distinct key seeds
//     for certificates that must have distinct keys.
//   - Treat [CA], [Leaf] and the certificates they expose as read-only; they
//     are shared with running endpoints.
//   - Create an endpoint with [New], register extra handlers with
//     [Endpoint.Handle] before [Endpoint.Start], and call [Endpoint.Close]
//     when done: it closes the listener and idle connections, gives requests
//     in flight a few seconds, then cuts every connection and waits for the
//     serving goroutines. Handlers registered with Handle should return
//     once their request is aborted. Connections hijacked by such handlers
//     are the handler's responsibility.
//   - Only loopback IP literals are accepted by [Probe]; its
//     [ProbeResult.Err] never contains addresses or ports, so results can be
//     written to a deterministic log.
//
// The endpoint speaks HTTP/1.1 only (HTTP/2 is deliberately disabled so that
// every connection is handled by one tracked goroutine) and answers
// "GET /" with 200 and the body "renewsim resource <name>".
//
// What a hostile client gets: at most [Config].MaxConns connections (512 by
// default) are served at once; one beyond them gets its handshake (when a
// certificate is deployed), a 503 and the end of the connection. The
// handshake and each request must arrive within [Config].ReadTimeout (30 s),
// and a kept-alive connection may idle for [Config].IdleTimeout (2 min). The
// connections draw on the descriptor budget every fake shares (package
// fakes/internal/conns), so a fleet's hundreds of endpoints, each with its
// own cap, cannot together starve the process.
package tls
