// Command genkeys writes the simulator's key pools, fakes/tls/keys/*.pem:
// run it with `go generate ./fakes/tls` only to change the pools. Go
// generates RSA and ECDSA keys from the system's randomness whatever
// reader it is given (since Go 1.26), so keys cannot be derived from a
// seed; the simulator picks from these committed pools instead, by seed,
// and every run with the same seed gets the same keys.
//
// The keys are public test data: they sign made-up certificates on
// loopback and must never protect anything.
package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

// pools are the files written and how many keys each holds. Leaf pools
// are large enough that a fleet's certificates rarely share a key; the CA
// pool holds the keys of the simulator's certificate authorities.
var pools = []struct {
	file string
	n    int
	gen  func() (crypto.Signer, error)
}{
	{"RSA_1024.pem", 8, rsaKey(1024)},
	{"RSA_2048.pem", 32, rsaKey(2048)},
	{"RSA_3072.pem", 8, rsaKey(3072)},
	{"RSA_4096.pem", 8, rsaKey(4096)},
	{"EC_prime256v1.pem", 32, ecKey(elliptic.P256())},
	{"EC_secp384r1.pem", 16, ecKey(elliptic.P384())},
	{"EC_secp521r1.pem", 8, ecKey(elliptic.P521())},
	{"CA_RSA_2048.pem", 8, rsaKey(2048)},
	{"CA_EC_prime256v1.pem", 8, ecKey(elliptic.P256())},
	{"CA_EC_secp384r1.pem", 8, ecKey(elliptic.P384())},
}

func rsaKey(bits int) func() (crypto.Signer, error) {
	return func() (crypto.Signer, error) { return rsa.GenerateKey(rand.Reader, bits) }
}

func ecKey(c elliptic.Curve) func() (crypto.Signer, error) {
	return func() (crypto.Signer, error) { return ecdsa.GenerateKey(c, rand.Reader) }
}

const header = `renewsim simulator keys: PUBLIC TEST DATA, NOT SECRET.
They sign the made-up certificates of renewsim's fake TLS endpoints and ACM
API on loopback. Never use them to protect anything. Written by
fakes/tls/internal/genkeys (go generate ./fakes/tls).

`

func main() {
	out := flag.String("out", "keys", "directory to write the pools to")
	only := flag.String("only", "", "write only this file")
	flag.Parse()
	for _, p := range pools {
		if *only != "" && p.file != *only {
			continue
		}
		buf := []byte(header)
		for i := range p.n {
			k, err := p.gen()
			if err != nil {
				fail(err)
			}
			der, err := x509.MarshalPKCS8PrivateKey(k)
			if err != nil {
				fail(err)
			}
			buf = append(buf, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Headers: map[string]string{"Index": fmt.Sprint(i)}, Bytes: der})...)
		}
		if err := os.WriteFile(filepath.Join(*out, p.file), buf, 0o644); err != nil {
			fail(err)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "genkeys:", err)
	os.Exit(1)
}
