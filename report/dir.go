package report

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// DirOptions say what WriteDir writes besides its defaults.
type DirOptions struct {
	// PNG also writes every timeline as a PNG image. Rasterizing is far
	// slower than writing SVG.
	PNG bool
	// Progress, when set, is called before each timeline is drawn.
	Progress func(scenario string)
}

// WriteDir writes a report directory: index.html (the HTML report, with
// every timeline inline), one NAME.svg per scenario (and NAME.png with
// opt.PNG), results.json and events.jsonl. NAME is the scenario name made
// safe for a file name and unique. It returns the files written, relative
// to dir, in the order written. The same summary gives the same bytes.
func WriteDir(dir string, s *Summary, opt DirOptions) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var written []string
	write := func(name string, data []byte) error {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
		written = append(written, name)
		return nil
	}
	names := uniqueNames(s)
	svgs := make([][]byte, len(s.Scenarios))
	for i := range s.Scenarios {
		sc := &s.Scenarios[i]
		if opt.Progress != nil {
			opt.Progress(sc.Name)
		}
		tl := sc.Timeline()
		b, err := tl.svg()
		if err != nil {
			return written, fmt.Errorf("plot %s: %w", sc.Name, err)
		}
		svgs[i] = b
		if err := write(names[i]+".svg", b); err != nil {
			return written, err
		}
		if opt.PNG {
			var buf bytes.Buffer
			if err := tl.WritePNG(&buf); err != nil {
				return written, fmt.Errorf("plot %s: %w", sc.Name, err)
			}
			if err := write(names[i]+".png", buf.Bytes()); err != nil {
				return written, err
			}
		}
	}
	for _, f := range []struct {
		name string
		fn   func(io.Writer) error
	}{
		{"index.html", func(w io.Writer) error { return writeHTML(w, s, svgs) }},
		{"results.json", func(w io.Writer) error { return WriteJSON(w, s) }},
		{"events.jsonl", func(w io.Writer) error { return WriteEvents(w, s) }},
	} {
		var buf bytes.Buffer
		if err := f.fn(&buf); err != nil {
			return written, fmt.Errorf("%s: %w", f.name, err)
		}
		if err := write(f.name, buf.Bytes()); err != nil {
			return written, err
		}
	}
	return written, nil
}
