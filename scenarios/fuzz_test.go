package scenarios

import (
	"strings"
	"testing"
)

// FuzzParse checks that no input makes Parse panic, that every failure is an
// Errors whose entries carry a position, and that every success is a
// consistent scenario.
func FuzzParse(f *testing.F) {
	for _, name := range LibraryNames() {
		src, _ := LibrarySource(name)
		f.Add(src)
	}
	for _, tc := range brokenCases {
		f.Add([]byte(tc.doc))
	}
	f.Add([]byte("name: x\nstart: 2026-03-01T00:00:00Z\ncertificates: [{id: a, domain: a.example.com, not_after: a.issued-1d}]\n"))
	f.Add([]byte("a: &x [*x, *x]\nb: *x\n"))
	f.Add([]byte("name: [\n"))
	f.Add([]byte("\xff\xfe\x00n"))

	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := Parse("f.yaml", data)
		if err != nil {
			if sc != nil {
				t.Fatalf("scenario and error both returned")
			}
			errs, ok := err.(Errors)
			if !ok {
				t.Fatalf("error is %T, want Errors: %v", err, err)
			}
			if len(errs) == 0 {
				t.Fatalf("empty Errors returned")
			}
			for _, e := range errs {
				if e.File != "f.yaml" || e.Line < 1 || e.Col < 1 {
					t.Fatalf("bad position: %q %d:%d", e.File, e.Line, e.Col)
				}
				if strings.Contains(e.Msg, "internal error") {
					t.Fatalf("panic: %s", e.Msg)
				}
			}
			return
		}
		if sc == nil {
			t.Fatal("nil scenario without error")
		}
		if !sc.Until.After(sc.Start) {
			t.Fatalf("until %v not after start %v", sc.Until, sc.Start)
		}
		if len(sc.Certificates) == 0 {
			t.Fatal("no certificates")
		}
		for _, c := range sc.Certificates {
			if !c.NotAfter.After(c.Issued) || c.Issued.After(sc.Until) {
				t.Fatalf("certificate %q: issued %v, not after %v, until %v", c.ID, c.Issued, c.NotAfter, sc.Until)
			}
		}
		for _, ch := range sc.Timeline {
			if ch.At.Before(sc.Start) || ch.At.After(sc.Until) {
				t.Fatalf("change at %v outside [%v, %v]", ch.At, sc.Start, sc.Until)
			}
		}
		for _, e := range sc.Expect {
			if e.Kind == "" || e.Text == "" || e.Line < 1 {
				t.Fatalf("bad expectation %+v", e)
			}
		}
	})
}
