package report

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

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
// opt.PNG), results.json and the event log: events.jsonl, or, when a
// scenario is at fleet size (more than 50 certificates or resources),
// events.jsonl.gz — the same lines gzip-compressed, since a fleet's record
// runs to hundreds of megabytes of JSON that compresses about twentyfold.
// NAME is the scenario name made safe for a file name and unique. It
// returns the files written, relative to dir, in the order written. The
// same summary gives the same bytes.
func WriteDir(dir string, s *result.Summary, opt DirOptions) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	out := &outDir{dir: dir}
	names := uniqueNames(s)
	tls := make([]*Timeline, len(s.Scenarios))
	svgs := make([][]byte, len(s.Scenarios))
	events := "events.jsonl"
	for i := range s.Scenarios {
		sc := &s.Scenarios[i]
		if opt.Progress != nil {
			opt.Progress(sc.Name)
		}
		tl := TimelineOf(sc)
		tls[i] = tl
		if tl.AtFleetSize() {
			events = "events.jsonl.gz"
		}
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
		file{"index.html", func(w io.Writer) error { return writeHTML(w, s, tls, svgs, events) }},
		file{"results.json", func(w io.Writer) error { return WriteJSON(w, s) }},
	)
	if err != nil {
		return out.written, err
	}
	write := func(w io.Writer) error { return WriteEvents(w, s) }
	if strings.HasSuffix(events, ".gz") {
		write = func(w io.Writer) error { return WriteEventsGzip(w, s) }
	}
	return out.written, out.stream(events, write)
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

// stream writes what fn writes straight to a file beside the named one,
// which it becomes when fn succeeded: the event log of a fleet is too
// large to hold in memory a second time.
func (o *outDir) stream(name string, fn func(io.Writer) error) error {
	path := filepath.Join(o.dir, name)
	f, err := os.CreateTemp(o.dir, "."+name+".*")
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	err = fn(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("%s: %w", name, err)
	}
	o.written = append(o.written, name)
	return nil
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
