package report_test

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/renewsim/renewsim/internal/fixture"
	"github.com/renewsim/renewsim/report"
)

// svgTexts parses an SVG document as XML and returns the text of its <text>
// elements; it fails the test if the document is not well-formed.
func svgTexts(t *testing.T, svg []byte) []string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var texts []string
	inText := false
	root := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "the SVG is not well-formed XML")
		switch tok := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = tok.Name.Local
			}
			inText = tok.Name.Local == "text"
			if inText {
				texts = append(texts, "")
			}
		case xml.CharData:
			if inText {
				texts[len(texts)-1] += string(tok)
			}
		case xml.EndElement:
			inText = false
		}
	}
	require.Equal(t, "svg", root)
	return texts
}

func TestSVGHasALanePerCertificateAndResource(t *testing.T) {
	sum := runLibrary(t, "dns-missing-cname")
	sc := &sum.Scenarios[0]
	var buf bytes.Buffer
	require.NoError(t, report.TimelineOf(sc).WriteSVG(&buf))
	texts := svgTexts(t, buf.Bytes())
	require.NotEmpty(t, sc.Certificates)
	require.NotEmpty(t, sc.Resources)
	for _, c := range sc.Certificates {
		assert.Contains(t, texts, c.ID, "a lane for certificate %s", c.ID)
		assert.Contains(t, texts, "certificate · "+c.Domain)
	}
	for _, r := range sc.Resources {
		assert.Contains(t, texts, r.ID, "a lane for resource %s", r.ID)
	}
	assert.Contains(t, texts, "dns-missing-cname", "the title names the scenario")
	assert.True(t, slices.ContainsFunc(texts, func(s string) bool { return strings.Contains(s, "profile acm-2026") }), "and its profile")
	assert.True(t, slices.ContainsFunc(texts, func(s string) bool { return strings.HasPrefix(s, "OUTAGE 7d") }), "the outage is labelled")
	assert.Contains(t, texts, "CNAME deleted", "world changes are marked")
	assert.Contains(t, texts, "Action Required ×5 (30d…1d)", "repeated notices share a label")
	assert.Contains(t, texts, "2026-04-01", "dates on the x axis, at month starts")
	assert.Contains(t, buf.String(), "font-family:'Liberation Sans',Arial,Helvetica,sans-serif;", "a font family browsers have")
	assert.Contains(t, buf.String(), `width="900pt" height="450pt"`, "1200×600 CSS pixels")
}

func TestSVGOfABusyRecord(t *testing.T) {
	tl := report.NewTimeline("busy", fixture.Busy())
	var buf bytes.Buffer
	require.NoError(t, tl.WriteSVG(&buf))
	texts := svgTexts(t, buf.Bytes())
	for _, lane := range []string{"world", "web", "api", "alb-prod", "cdn", "apigw"} {
		assert.Contains(t, texts, lane)
	}
	for _, label := range []string{"frobnicate", "CAA record added", "detached from apigw", "attached to apigw", "approved",
		"renewed 20d before expiry", "approval e-mail sent · approval e-mail refused"} {
		assert.Contains(t, texts, label)
	}
	_, h := tl.Size()
	assert.Greater(t, float64(h), 450.0, "six lanes make the plot taller")
}

func TestPNGIs1200PixelsWide(t *testing.T) {
	sum := runLibrary(t, "dns-happy")
	var buf bytes.Buffer
	require.NoError(t, report.TimelineOf(&sum.Scenarios[0]).WritePNG(&buf))
	img, err := png.Decode(&buf)
	require.NoError(t, err)
	assert.Equal(t, 1200, img.Bounds().Dx())
	assert.Equal(t, 600, img.Bounds().Dy())
}

func BenchmarkRenderSVG(b *testing.B) {
	sc := &runLibrary(b, "dns-missing-cname").Scenarios[0]
	b.ReportAllocs()
	for b.Loop() {
		if err := report.TimelineOf(sc).WriteSVG(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderPNG(b *testing.B) {
	sc := &runLibrary(b, "dns-missing-cname").Scenarios[0]
	b.ReportAllocs()
	for b.Loop() {
		if err := report.TimelineOf(sc).WritePNG(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
