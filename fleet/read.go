package fleet

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Input names what to read.
type Input struct {
	ACM     []string     // files or directories of ACM exports (JSON, JSON arrays, JSON Lines)
	Zones   []ZoneSource // files or directories of zones (Route 53 JSON or BIND)
	Account string       // optional get-account-configuration output (may also sit among the ACM files)
	// ACMOptional: the caller describes certificates from other sources
	// (package iac), so no ACM export at all is fine.
	ACMOptional bool
}

// Fleet is everything the inputs hold.
type Fleet struct {
	Exports
	Zones     []*Zone // in the order first read
	ACMFiles  []string
	ZoneFiles []string
}

// Read reads every input file. Every problem in every file is reported,
// as Problems; nothing is returned then.
func Read(in Input) (*Fleet, error) {
	c := &collector{}
	f := &Fleet{}
	if len(in.ACM) == 0 && !in.ACMOptional {
		c.at("-acm", 0, 0, "no ACM exports given")
	}
	for _, p := range in.ACM {
		for _, file := range listFiles(p, acmFile, "ACM exports (*.json, *.jsonl)", c) {
			f.ACMFiles = append(f.ACMFiles, file)
			data, err := os.ReadFile(file)
			if err != nil {
				c.at(file, 0, 0, "%v", unwrapPath(err))
				continue
			}
			for _, v := range decodeJSON(file, data, c) {
				f.readValue(v)
			}
		}
	}
	if in.Account != "" {
		data, err := os.ReadFile(in.Account)
		if err != nil {
			c.at(in.Account, 0, 0, "%v", unwrapPath(err))
			data = nil
		}
		for _, v := range decodeIf(err == nil, in.Account, data, c) {
			if m, ok := v.v.(map[string]any); !ok || m["ExpiryEvents"] == nil {
				v.d.bad(v.path, "want the output of aws acm get-account-configuration (\"ExpiryEvents\"), got %s", describe(v.v))
				continue
			}
			f.readAccount(v)
		}
	}
	zs := &zoneSet{byApex: map[string]*Zone{}}
	for _, src := range in.Zones {
		for _, file := range listFiles(src.Path, zoneFile, "zone files", c) {
			f.ZoneFiles = append(f.ZoneFiles, file)
			data, err := os.ReadFile(file)
			if err != nil {
				c.at(file, 0, 0, "%v", unwrapPath(err))
				continue
			}
			zs.readZone(file, data, src.Name, c)
		}
	}
	for _, apex := range zs.order {
		z := zs.byApex[apex]
		z.finish()
		f.Zones = append(f.Zones, z)
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	return f, nil
}

func acmFile(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".json" || ext == ".jsonl" || ext == ".ndjson"
}

func zoneFile(name string) bool { return !strings.HasPrefix(filepath.Base(name), ".") }

// listFiles is path itself, or the files of directory path that keep
// selects, sorted by name.
func listFiles(path string, keep func(string) bool, what string, c *collector) []string {
	st, err := os.Stat(path)
	if err != nil {
		c.at(path, 0, 0, "%v", unwrapPath(err))
		return nil
	}
	if !st.IsDir() {
		return []string{path}
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		c.at(path, 0, 0, "%v", unwrapPath(err))
		return nil
	}
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() && keep(e.Name()) {
			out = append(out, filepath.Join(path, e.Name()))
		}
	}
	slices.Sort(out)
	if len(out) == 0 {
		c.at(path, 0, 0, "no %s in this directory", what)
	}
	return out
}

// unwrapPath drops the path an *os.PathError repeats: the problem already
// names the file.
func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// decodeIf decodes data when ok (the file could be read).
func decodeIf(ok bool, file string, data []byte, c *collector) []jv {
	if !ok {
		return nil
	}
	return decodeJSON(file, data, c)
}
