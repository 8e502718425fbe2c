package tls

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every pool parses, and holds keys of its type only.
func TestKeyPools(t *testing.T) {
	for _, tc := range []struct {
		file  string
		n     int
		check func(crypto.PublicKey) bool
	}{
		{"RSA_1024.pem", 8, rsaBits(1024)},
		{"RSA_2048.pem", 32, rsaBits(2048)},
		{"RSA_3072.pem", 8, rsaBits(3072)},
		{"RSA_4096.pem", 8, rsaBits(4096)},
		{"EC_prime256v1.pem", 32, curve(elliptic.P256())},
		{"EC_secp384r1.pem", 16, curve(elliptic.P384())},
		{"EC_secp521r1.pem", 8, curve(elliptic.P521())},
		{"CA_RSA_2048.pem", 8, rsaBits(2048)},
		{"CA_EC_prime256v1.pem", 8, curve(elliptic.P256())},
		{"CA_EC_secp384r1.pem", 8, curve(elliptic.P384())},
	} {
		keys, err := loadPool(tc.file)
		require.NoError(t, err, tc.file)
		assert.Len(t, keys, tc.n, tc.file)
		seen := map[string]bool{}
		for _, k := range keys {
			assert.True(t, tc.check(k.Public()), "%s: %T", tc.file, k.Public())
			der, err := x509.MarshalPKIXPublicKey(k.Public())
			require.NoError(t, err)
			assert.False(t, seen[string(der)], "%s: a key twice", tc.file)
			seen[string(der)] = true
		}
	}
	_, err := loadPool("RSA_512.pem")
	assert.ErrorContains(t, err, "no key pool RSA_512.pem")
}

func rsaBits(n int) func(crypto.PublicKey) bool {
	return func(k crypto.PublicKey) bool { r, ok := k.(*rsa.PublicKey); return ok && r.N.BitLen() == n }
}

func curve(c elliptic.Curve) func(crypto.PublicKey) bool {
	return func(k crypto.PublicKey) bool { e, ok := k.(*ecdsa.PublicKey); return ok && e.Curve == c }
}

// The ECDSA signatures of the simulator's CAs are RFC 6979's deterministic
// ones: the RFC's own test vectors (appendix A.2.5 to A.2.7, SHA-256).
func TestDeterministicECDSAIsRFC6979(t *testing.T) {
	for _, tc := range []struct {
		curve   elliptic.Curve
		d, x, y string
		msg     string
		r, s    string
	}{
		{elliptic.P256(),
			"C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721",
			"60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6",
			"7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299",
			"sample",
			"EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
			"F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"},
		{elliptic.P256(),
			"C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721",
			"60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6",
			"7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299",
			"test",
			"F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367",
			"019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083"},
		{elliptic.P384(),
			"6B9D3DAD2E1B8C1C05B19875B6659F4DE23C3B667BF297BA9AA47740787137D896D5724E4C70A825F872C9EA60D2EDF5",
			"EC3A4E415B4E19A4568618029F427FA5DA9A8BC4AE92E02E06AAE5286B300C64DEF8F0EA9055866064A254515480BC13",
			"8015D9B72D7D57244EA8EF9AC0C621896708A59367F9DFB9F54CA84B3F1C9DB1288B231C3AE0D4FE7344FD2533264720",
			"sample",
			"21B13D1E013C7FA1392D03C5F99AF8B30C570C6F98D4EA8E354B63A21D3DAA33BDE1E888E63355D92FA2B3C36D8FB2CD",
			"F3AA443FB107745BF4BD77CB3891674632068A10CA67E3D45DB2266FA7D1FEEBEFDC63ECCD1AC42EC0CB8668A4FA0AB0"},
		{elliptic.P521(),
			"0FAD06DAA62BA3B25D2FB40133DA757205DE67F5BB0018FEE8C86E1B68C7E75CAA896EB32F1F47C70855836A6D16FCC1466F6D8FBEC67DB89EC0C08B0E996B83538",
			"1894550D0785932E00EAA23B694F213F8C3121F86DC97A04E5A7167DB4E5BCD371123D46E45DB6B5D5370A7F20FB633155D38FFA16D2BD761DCAC474B9A2F5023A4",
			"0493101C962CD4D2FDDF782285E64584139C2F91B47F87FF82354D6630F746A28A0DB25741B5B34A828008B22ACC23F924FAAFBD4D33F81EA66956DFEAA2BFDFCF5",
			"sample",
			"1511BB4D675114FE266FC4372B87682BAECC01D3CC62CF2303C92B3526012659D16876E25C7C1E57648F23B73564D67F61C6F14D527D54972810421E7D87589E1A7",
			"04A171143A83163D6DF460AAF61522695F207A58B95C0644D87E52AA1A347916E4F7A72930B1BC06DBE22CE3F58264AFD23704CBB63B29B931F7DE6C9D949A7ECFC"},
	} {
		priv, err := ecdsa.ParseRawPrivateKey(tc.curve, fromHex(tc.d).FillBytes(make([]byte, (tc.curve.Params().BitSize+7)/8)))
		require.NoError(t, err)
		pub, err := priv.PublicKey.Bytes() // 0x04, X, Y
		require.NoError(t, err)
		n := (len(pub) - 1) / 2
		assert.Equal(t, 0, new(big.Int).SetBytes(pub[1:1+n]).Cmp(fromHex(tc.x)), "the RFC's public key, X")
		assert.Equal(t, 0, new(big.Int).SetBytes(pub[1+n:]).Cmp(fromHex(tc.y)), "the RFC's public key, Y")
		h := sha256.Sum256([]byte(tc.msg))
		sig, err := deterministic{priv}.Sign(noRandom{}, h[:], crypto.SHA256)
		require.NoError(t, err, "no randomness is read")
		var rs struct{ R, S *big.Int }
		_, err = asn1.Unmarshal(sig, &rs)
		require.NoError(t, err)
		assert.Equal(t, 0, rs.R.Cmp(fromHex(tc.r)), "%s %q: r", tc.curve.Params().Name, tc.msg)
		assert.Equal(t, 0, rs.S.Cmp(fromHex(tc.s)), "%s %q: s", tc.curve.Params().Name, tc.msg)
	}
}

func fromHex(s string) *big.Int {
	n, ok := new(big.Int).SetString(s, 16)
	if !ok {
		panic(s)
	}
	return n
}

// amazonLike is a two-level hierarchy of the given key type.
func amazonLike(t testing.TB, kt KeyType, name string) *CA {
	t.Helper()
	root, err := NewRootCA(CASpec{Subject: pkix.Name{CommonName: name + " Root", Organization: []string{"Test"}, Country: []string{"US"}},
		KeyType: kt, Key: 0, Seed: []byte("root/" + name), NotBefore: caNotBefore, NotAfter: caNotAfter})
	require.NoError(t, err)
	sub, err := root.NewSubCA(CASpec{Subject: pkix.Name{CommonName: name + " M01", Organization: []string{"Test"}, Country: []string{"US"}},
		KeyType: kt, Key: 1, Seed: []byte("sub/" + name), NotBefore: caNotBefore, NotAfter: caNotAfter})
	require.NoError(t, err)
	return sub
}

// Leaves of every key type, under RSA and ECDSA intermediates: the same
// spec gives the same bytes every time, the key is the type asked for,
// the signature is the issuer's kind, and a verifying client accepts the
// chain a server sends.
func TestTypedLeaves(t *testing.T) {
	issuers := map[KeyType]*CA{
		KeyRSA2048: amazonLike(t, KeyRSA2048, "RSA 2048"),
		KeyECP256:  amazonLike(t, KeyECP256, "ECDSA 256"),
		KeyECP384:  amazonLike(t, KeyECP384, "ECDSA 384"),
	}
	sigs := map[KeyType]x509.SignatureAlgorithm{KeyRSA2048: x509.SHA256WithRSA, KeyECP256: x509.ECDSAWithSHA256, KeyECP384: x509.ECDSAWithSHA384}
	for ikt, ca := range issuers {
		for _, kt := range LeafKeyTypes {
			spec := testSpec(0x77)
			spec.KeyType = kt
			a, b := issue(t, ca, spec), issue(t, ca, spec)
			require.Equal(t, a.DER, b.DER, "%s under %s", kt, ikt)
			assert.Equal(t, sigs[ikt], a.Cert.SignatureAlgorithm)
			assert.Equal(t, string(kt), keyTypeOf(a.Cert.PublicKey), "%s under %s", kt, ikt)
			usage := x509.KeyUsageDigitalSignature
			if _, ok := a.Cert.PublicKey.(*rsa.PublicKey); ok {
				usage |= x509.KeyUsageKeyEncipherment
			}
			assert.Equal(t, usage, a.Cert.KeyUsage)

			// Served: the leaf and the intermediate, not the root.
			require.Len(t, a.TLS.Certificate, 2)
			assert.Equal(t, ca.Certificate().Raw, a.TLS.Certificate[1])
			inter := x509.NewCertPool()
			inter.AddCert(ca.Certificate())
			_, err := a.Cert.Verify(x509.VerifyOptions{Roots: ca.Pool(), Intermediates: inter, DNSName: "example.com", CurrentTime: midValidity})
			require.NoError(t, err, "%s under %s", kt, ikt)

			// ACM's chain: the intermediate, then the root.
			var chain []*x509.Certificate
			for rest := a.ChainPEM(); ; {
				var block *pem.Block
				if block, rest = pem.Decode(rest); block == nil {
					break
				}
				c, err := x509.ParseCertificate(block.Bytes)
				require.NoError(t, err)
				chain = append(chain, c)
			}
			require.Len(t, chain, 2)
			assert.Equal(t, ca.Certificate().Subject.CommonName, chain[0].Subject.CommonName)
			assert.Equal(t, ca.Root().Certificate().Subject.CommonName, chain[1].Subject.CommonName)
		}
	}

	// Another seed may pick another key; another type never the same.
	spec := testSpec(1)
	spec.KeyType = KeyRSA2048
	seen := map[string]bool{}
	for i := range 16 {
		spec.KeySeed = []byte{byte(i)}
		der, _ := x509.MarshalPKIXPublicKey(issue(t, issuers[KeyRSA2048], spec).Cert.PublicKey)
		seen[string(der)] = true
	}
	assert.Greater(t, len(seen), 8, "seeds spread over the pool")
}

func keyTypeOf(pub crypto.PublicKey) string {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return "RSA_" + big.NewInt(int64(k.N.BitLen())).String()
	case *ecdsa.PublicKey:
		return map[string]string{"P-256": "EC_prime256v1", "P-384": "EC_secp384r1", "P-521": "EC_secp521r1"}[k.Curve.Params().Name]
	}
	return "ED25519"
}

// The typed hierarchy's bytes are pinned across processes and Go
// releases, as the Ed25519 ones are (TestGoldenDigests).
func TestTypedGoldenDigests(t *testing.T) {
	for _, tc := range []struct {
		ca, leaf KeyType
		want     string
	}{
		{KeyRSA2048, KeyRSA2048, goldenRSALeaf},
		{KeyECP256, KeyECP256, goldenECLeaf},
	} {
		ca := amazonLike(t, tc.ca, string(tc.ca))
		spec := testSpec(0x0a1b)
		spec.KeyType = tc.leaf
		sum := sha256.Sum256(issue(t, ca, spec).DER)
		assert.Equal(t, tc.want, hex.EncodeToString(sum[:]), "%s leaf under %s", tc.leaf, tc.ca)
	}
}

const (
	goldenRSALeaf = "1e29c49ec770437aa3bf2a5fa5fd3b1d146803dd4ad989ab86b0509277e5982b"
	goldenECLeaf  = "e8e44e9434a5e32063e177d281adb2937827616d987ed9edec9bc3f4d3fb9549"
)

// A typed leaf is served and judged like an Ed25519 one; a client given
// the root verifies through the intermediate the endpoint sends.
func TestProbeTypedChain(t *testing.T) {
	for _, kt := range []KeyType{KeyRSA2048, KeyECP256} {
		ca := amazonLike(t, kt, string(kt))
		spec := testSpec(0x99)
		spec.KeyType = kt
		ep := startEndpoint(t, issue(t, ca, spec))
		res := Probe(context.Background(), ep.Addr(), "www.example.com", ca.Pool(), midValidity)
		assert.True(t, res.Verified, "%s: %s", kt, res.Err)
		assert.Equal(t, "99", res.Serial)
	}
}

func TestCASpecErrors(t *testing.T) {
	_, err := NewRootCA(CASpec{Subject: pkix.Name{CommonName: "x"}, KeyType: KeyRSA4096, Seed: []byte("s"), NotBefore: caNotBefore, NotAfter: caNotAfter})
	assert.ErrorContains(t, err, `CA key type "RSA_4096" is not one of`)
	_, err = NewRootCA(CASpec{KeyType: KeyRSA2048, Seed: []byte("s")})
	assert.ErrorContains(t, err, "CA name must not be empty")
	_, err = NewRootCA(CASpec{Subject: pkix.Name{CommonName: "x"}, KeyType: KeyRSA2048})
	assert.ErrorContains(t, err, "CA seed must not be empty")
	_, err = NewRootCA(CASpec{Subject: pkix.Name{CommonName: "x"}, KeyType: KeyRSA2048, Key: CAKeys, Seed: []byte("s")})
	assert.ErrorContains(t, err, "CA key 8 of RSA_2048: the pool has keys 0 to 7")
	ca := newTestCA(t)
	spec := testSpec(1)
	spec.KeyType = "DSA_1024"
	_, err = ca.Issue(spec)
	assert.ErrorContains(t, err, `leaf key type "DSA_1024" is not one of`)
}
