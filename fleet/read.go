package fleet

import (
	"fmt"
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

	// Documents held in memory, read after the files as if they were
	// files of those names (check -aws reads the account into them). For
	// a check of the same documents written to disk to print the same
	// bytes, give them the names they have there, in the order listFiles
	// would read them (sorted by name within a directory).
	ACMDocs    []Doc
	ZoneDocs   []Doc
	AccountDoc *Doc
}

// Doc is one input held in memory: what a file of that name would hold.
type Doc struct {
	Name string
	Data []byte
}

// Fleet is everything the inputs hold.
type Fleet struct {
	Exports
	Zones []*Zone // in the order first read
	// PrivateZones are the private hosted zones a list-hosted-zones
	// output among the zone files named: reported, never used.
	PrivateZones []PrivateZone
	ACMFiles     []string
	ZoneFiles    []string
}

// Read reads every input file. Every problem in every file is reported,
// as Problems; nothing is returned then.
func Read(in Input) (*Fleet, error) {
	c := &collector{}
	f := &Fleet{}
	// The zones are read while the ACM exports are: a fleet's thousands of
	// zone files cost file system calls and a zone parser each, the exports
	// a JSON decoder. Their problems follow the exports' as if read after.
	zc := &collector{}
	zs := &zoneSet{byApex: map[string]*Zone{}}
	zonesRead := make(chan struct{})
	go func() {
		defer close(zonesRead)
		readZone := func(file string, data []byte, name string) {
			f.ZoneFiles = append(f.ZoneFiles, file)
			if data, ok := toUTF8(file, data, zc); ok && !notJSON(file, data, zc) {
				zs.readZone(file, data, name, zc)
			}
		}
		for _, src := range in.Zones {
			for _, file := range listFiles(src.Path, zoneFile, "zone files", zc) {
				if data, ok := readFile(file, zc); ok {
					readZone(file, data, src.Name)
				}
			}
		}
		for _, d := range in.ZoneDocs {
			readZone(d.Name, d.Data, "")
		}
	}()
	if len(in.ACM) == 0 && len(in.ACMDocs) == 0 && !in.ACMOptional {
		c.at("-acm", 0, 0, "no ACM exports given")
	}
	readACM := func(file string, data []byte) {
		f.ACMFiles = append(f.ACMFiles, file)
		if data, ok := toUTF8(file, data, c); ok && !notJSON(file, data, c) {
			for _, v := range decodeJSON(file, data, c) {
				f.readValue(v)
			}
		}
	}
	for _, p := range in.ACM {
		for _, file := range listFiles(p, acmFile, "ACM exports (*.json, *.jsonl)", c) {
			if data, ok := readFile(file, c); ok {
				readACM(file, data)
			}
		}
	}
	for _, d := range in.ACMDocs {
		readACM(d.Name, d.Data)
	}
	readAccount := func(file string, data []byte) {
		data, ok := toUTF8(file, data, c)
		if !ok || notJSON(file, data, c) {
			return
		}
		for _, v := range decodeJSON(file, data, c) {
			if m, ok := v.v.(map[string]any); !ok || m["ExpiryEvents"] == nil {
				v.d.bad(v.path, "want the output of aws acm get-account-configuration (\"ExpiryEvents\"), got %s", describe(v.v))
				continue
			}
			f.readAccount(v)
		}
	}
	if in.Account != "" {
		if data, ok := readFile(in.Account, c); ok {
			readAccount(in.Account, data)
		}
	}
	if in.AccountDoc != nil {
		readAccount(in.AccountDoc.Name, in.AccountDoc.Data)
	}
	<-zonesRead
	c.probs = append(c.probs, zc.probs...)
	f.PrivateZones = zs.private
	if len(zs.order) == 0 && len(zs.listings) > 0 {
		// Only a list of public zones: the user meant to give their
		// records. (A list of private zones alone is what -aws exports
		// when no public zone holds a certificate's name.)
		c.at(zs.listings[0], 0, 0, "list-hosted-zones output names the zones but holds none of their records: export each public zone with aws route53 list-resource-record-sets --hosted-zone-id ID and pass those files too")
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

// listFiles is ListFiles with its problem collected.
func listFiles(path string, keep func(string) bool, what string, c *collector) []string {
	files, p := ListFiles(path, keep, what)
	if p != nil {
		c.add(p)
	}
	return files
}

// ListFiles is path itself, or the files of directory path that keep
// selects, sorted by name; a path that cannot be read, or a directory with
// no such file (what names them), is a problem.
func ListFiles(path string, keep func(string) bool, what string) ([]string, *Problem) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, &Problem{File: path, Msg: UnwrapPath(err).Error()}
	}
	if !st.IsDir() {
		return []string{path}, nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, &Problem{File: path, Msg: UnwrapPath(err).Error()}
	}
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() && keep(e.Name()) {
			out = append(out, filepath.Join(path, e.Name()))
		}
	}
	slices.Sort(out)
	if len(out) == 0 {
		return nil, &Problem{File: path, Msg: fmt.Sprintf("no %s in this directory", what)}
	}
	return out, nil
}

// UnwrapPath drops the path an *os.PathError repeats: the problem already
// names the file.
func UnwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// readFile reads file; a failure is a problem.
func readFile(file string, c *collector) ([]byte, bool) {
	data, err := os.ReadFile(file)
	if err != nil {
		c.at(file, 0, 0, "%v", UnwrapPath(err))
		return nil, false
	}
	return data, true
}
