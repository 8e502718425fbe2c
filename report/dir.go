package report

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/renewsim/renewsim/result"
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
func WriteDir(dir string, s *result.Summary, opt DirOptions) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	out := &outDir{dir: dir}
	names := uniqueNames(s)
	svgs := make([][]byte, len(s.Scenarios))
	for i := range s.Scenarios {
		sc := &s.Scenarios[i]
		if opt.Progress != nil {
			opt.Progress(sc.Name)
		}
		tl := TimelineOf(sc)
		b, err := tl.svg()
		if err != nil {
			return out.written, fmt.Errorf("plot %s: %w", sc.Name, err)
		}
		svgs[i] = b
		if err := out.bytes(names[i]+".svg", b); err != nil {
			return out.written, err
		}
		if opt.PNG {
			if err := out.write(names[i]+".png", tl.WritePNG); err != nil {
				return out.written, fmt.Errorf("plot %s: %w", sc.Name, err)
			}
		}
	}
	err := out.all(
		file{"index.html", func(w io.Writer) error { return writeHTML(w, s, svgs) }},
		file{"results.json", func(w io.Writer) error { return WriteJSON(w, s) }},
		file{"events.jsonl", func(w io.Writer) error { return WriteEvents(w, s) }},
	)
	return out.written, err
}

// outDir writes the files of a report directory and lists them, relative
// to it, in the order written.
type outDir struct {
	dir     string
	written []string
}

// file is one file of a report directory and what writes it.
type file struct {
	name string
	fn   func(io.Writer) error
}

func (o *outDir) bytes(name string, data []byte) error {
	if err := os.WriteFile(filepath.Join(o.dir, name), data, 0o644); err != nil {
		return err
	}
	o.written = append(o.written, name)
	return nil
}

// write writes what fn writes; the file appears only when fn succeeded.
func (o *outDir) write(name string, fn func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := fn(&buf); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return o.bytes(name, buf.Bytes())
}

// all writes the files in order and stops at the first that fails.
func (o *outDir) all(files ...file) error {
	for _, f := range files {
		if err := o.write(f.name, f.fn); err != nil {
			return err
		}
	}
	return nil
}
