// Package tls lets simulated AWS resources (load balancers, CloudFront
// distributions, API gateways, ...) serve the X.509 certificate currently
// deployed on them over real TLS on the loopback interface, and lets the
// simulator observe what a verifying client would see at a given virtual
// time.
//
// The package has three parts:
//
//   - [CA] is a deterministic simulator certificate authority. [NewCA]
//     derives an Ed25519 root's key and serial number from a
//     caller-supplied seed, so the same inputs always give a byte-identical
//     root certificate. [NewRootCA] and [CA.NewSubCA] make RSA or ECDSA
//     roots and intermediates (a hierarchy shaped like a public CA's) with
//     the key of the CA key pools that [CASpec.Key] names, so that the CAs
//     of a hierarchy never share a key.
//   - [CA.Issue] signs a leaf certificate described by a [LeafSpec]: an
//     Ed25519 key derived from [LeafSpec.KeySeed], or an RSA or ECDSA key
//     of [LeafSpec.KeyType] that the seed picks from a pool. The same spec
//     always yields the same DER bytes.
//   - [Endpoint] is one simulated resource (below).
//
// # Keys, and why they are pooled
//
// Since Go 1.26, rsa.GenerateKey and ecdsa.GenerateKey read the system's
// randomness whatever reader they are given, so RSA and ECDSA keys cannot
// be derived from a seed. The package embeds pools of keys instead
// (keys/*.pem: RSA 1024 to 4096 and the three NIST curves for leaves, RSA
// 2048, P-256 and P-384 for CAs), generated once by internal/genkeys (go
// generate) and committed. They are public test data, not secrets: they
// sign made-up certificates on loopback and protect nothing. A seed picks
// a key by hashing, so the same seed always gets the same key, and
// certificates of one fleet may share a key, which changes no answer.
//
// Signatures are deterministic too: Ed25519 and RSA PKCS #1 v1.5 by
// definition, ECDSA by RFC 6979 (ecdsa.PrivateKey.Sign with a nil reader;
// keys_test.go checks the RFC's test vectors). A leaf is signed with the
// issuer's algorithm (SHA256WithRSA under an RSA CA, ECDSAWithSHA256 under
// a P-256 one, ECDSAWithSHA384 under a P-384 one), its key usage is
// digital signature (plus key encipherment for an RSA key), and its
// extended key usage is server authentication unless the spec says more.
//
// An endpoint serves a leaf with its issuing CA and the intermediates
// above it, not the root (except where the root issued the leaf itself);
// Leaf.ChainPEM is the issuing CA up to the root, as ACM's GetCertificate
// returns it. TLS handshakes sign with the leaf's key, so an RSA leaf costs
// a server far more per handshake than an Ed25519 or ECDSA one.
//
// The parts, again:
//
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
