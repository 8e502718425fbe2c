package tls

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"embed"
	"encoding/binary"
	"encoding/pem"
	"fmt"
	"io"
	"sync"
)

//go:generate go run ./internal/genkeys -out keys

// KeyType is the algorithm and size of a certificate's key, named as ACM
// names them (DescribeCertificate's KeyAlgorithm).
type KeyType string

// Key types. KeyEd25519 keys are derived from a seed; every other type is
// drawn from a pool of committed keys (keys/*.pem), since Go generates RSA
// and ECDSA keys from the system's randomness whatever reader it is given.
const (
	KeyEd25519 KeyType = "ED25519"
	KeyRSA1024 KeyType = "RSA_1024"
	KeyRSA2048 KeyType = "RSA_2048"
	KeyRSA3072 KeyType = "RSA_3072"
	KeyRSA4096 KeyType = "RSA_4096"
	KeyECP256  KeyType = "EC_prime256v1"
	KeyECP384  KeyType = "EC_secp384r1"
	KeyECP521  KeyType = "EC_secp521r1"
)

// LeafKeyTypes are the key types a leaf may have.
var LeafKeyTypes = []KeyType{KeyEd25519, KeyRSA1024, KeyRSA2048, KeyRSA3072, KeyRSA4096, KeyECP256, KeyECP384, KeyECP521}

// CAKeyTypes are the key types a CA of NewRootCA or NewSubCA may have.
var CAKeyTypes = []KeyType{KeyRSA2048, KeyECP256, KeyECP384}

// CAKeys is how many keys each CA pool holds (CASpec.Key).
const CAKeys = 8

// keyFiles are the pools: public test data, written once by
// internal/genkeys and committed, so that every run draws the same keys.
//
//go:embed keys/*.pem
var keyFiles embed.FS

// pool is one pool's keys, parsed on first use.
type pool struct {
	once sync.Once
	keys []crypto.Signer
	err  error
}

var (
	poolsMu sync.Mutex
	pools   = map[string]*pool{}
)

// loadPool parses keys/<file>.
func loadPool(file string) ([]crypto.Signer, error) {
	poolsMu.Lock()
	p, ok := pools[file]
	if !ok {
		p = &pool{}
		pools[file] = p
	}
	poolsMu.Unlock()
	p.once.Do(func() {
		data, err := keyFiles.ReadFile("keys/" + file)
		if err != nil {
			p.err = fmt.Errorf("renewsim/tls: no key pool %s", file)
			return
		}
		for {
			var block *pem.Block
			if block, data = pem.Decode(data); block == nil {
				break
			}
			k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
			if err != nil {
				p.err = fmt.Errorf("renewsim/tls: key pool %s: %w", file, err)
				return
			}
			p.keys = append(p.keys, k.(crypto.Signer))
		}
		if len(p.keys) == 0 {
			p.err = fmt.Errorf("renewsim/tls: key pool %s is empty", file)
		}
	})
	return p.keys, p.err
}

// pick draws the leaf key of type t that seed (under label) selects.
func pick(t KeyType, label string, seed []byte) (crypto.Signer, error) {
	if t == KeyEd25519 {
		return deriveKey(label, seed), nil
	}
	keys, err := loadPool(string(t) + ".pem")
	if err != nil {
		return nil, fmt.Errorf("renewsim/tls: key type %q: %w", t, err)
	}
	sum := derive(label, seed)
	return keys[binary.BigEndian.Uint64(sum[:8])%uint64(len(keys))], nil
}

// deterministic signs as its key does, without randomness: ECDSA by RFC
// 6979 (ecdsa.PrivateKey.Sign with a nil reader, Go 1.26), RSA with PKCS
// #1 v1.5 and Ed25519, both deterministic by definition. Certificates it
// signs are therefore the same bytes on every run.
type deterministic struct{ crypto.Signer }

func (d deterministic) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	switch k := d.Signer.(type) {
	case *ecdsa.PrivateKey:
		return k.Sign(nil, digest, opts)
	case *rsa.PrivateKey:
		if _, pss := opts.(*rsa.PSSOptions); pss {
			return nil, fmt.Errorf("renewsim/tls: RSA-PSS signatures are randomized; sign with PKCS #1 v1.5")
		}
		return rsa.SignPKCS1v15(nil, k, opts.HashFunc(), digest)
	case ed25519.PrivateKey:
		return k.Sign(nil, digest, opts)
	}
	return nil, fmt.Errorf("renewsim/tls: cannot sign deterministically with a %T", d.Signer)
}

// keyUsage is what a leaf's key may do: RSA keys also encipher (RSA key
// transport), as ACM's RSA certificates say; EC and Ed25519 keys sign.
func keyUsage(k crypto.Signer) x509.KeyUsage {
	if _, ok := k.Public().(*rsa.PublicKey); ok {
		return x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment
	}
	return x509.KeyUsageDigitalSignature
}
