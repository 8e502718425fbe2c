package route53

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNames(t *testing.T) {
	for _, tc := range []struct{ in, plain, wire string }{
		{"www.Example.COM", "www.example.com.", "www.example.com."},
		{`\052.example.com.`, "*.example.com.", `\052.example.com.`},
		{"*.example.com", "*.example.com.", `\052.example.com.`},
		{"_acme-challenge.example.com", "_acme-challenge.example.com.", "_acme-challenge.example.com."},
		{"a b.example.com", "a b.example.com.", `a\040b.example.com.`},
		{".", ".", "."},
	} {
		plain, ok := plainName(tc.in)
		assert.True(t, ok, tc.in)
		assert.Equal(t, tc.plain, plain, tc.in)
		assert.Equal(t, tc.wire, wireName(plain), tc.in)
	}
	for _, bad := range []string{"", "a..b", `\09.example.com`, `\777.example.com`, `x\05`} {
		_, ok := plainName(bad)
		assert.False(t, ok, bad)
	}
	// Labels reversed, compared as written on the wire: "\" (0x5c) sorts
	// before "_" and the letters, so *.example.com comes before
	// _x.example.com and www.example.com.
	assert.Less(t, sortKey("example.com."), sortKey(`*.example.com.`))
	assert.Less(t, sortKey(`*.example.com.`), sortKey("_x.example.com."))
	assert.Less(t, sortKey("_x.example.com."), sortKey("www.example.com."))
	assert.Less(t, sortKey("www.example.com."), sortKey("example.org."))
	assert.True(t, inZone("a.b.example.com.", "example.com."))
	assert.False(t, inZone("badexample.com.", "example.com."))
}
