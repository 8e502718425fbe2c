package scenarios

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fidelityBroken are scenarios the keys and checks of issue 10 refuse, each
// with every message the loader gives (file:line:col).
var fidelityBroken = []struct {
	name string
	doc  string
	want string
}{
	{"a sign inside an offset", validDoc + `timeline:
  - at: web.expiry-58d+30m
    do: export
    cert: web
`, `t.yaml:10:9: at: bad offset: duration "-58d+30m" has a sign inside it (at "+30m"): a duration takes one sign, in front; for -58d + 30m write -57d23h30m in "web.expiry-58d+30m"`},
}

func TestFidelityBroken(t *testing.T) {
	for _, tc := range fidelityBroken {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := Parse("t.yaml", []byte(tc.doc))
			require.Error(t, err)
			assert.Nil(t, sc)
			_, ok := err.(Errors)
			require.True(t, ok, "error is %T, want Errors", err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}
