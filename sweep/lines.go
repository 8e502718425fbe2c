package sweep

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/renewsim/renewsim/sim"
	"io"
	"slices"
	"strconv"
	"strings"
)

// WriteJSON writes v as one line of JSON Lines. The same variant always
// gives the same bytes.
func WriteJSON(w io.Writer, v *Variant) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// WriteJSONLines writes one line per variant, in the order given.
func WriteJSONLines(w io.Writer, vs []Variant) error {
	bw := bufio.NewWriter(w)
	for i := range vs {
		if err := WriteJSON(bw, &vs[i]); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Read reads JSON Lines written by WriteJSON. Blank lines are skipped;
// anything else that is not a variant is an error naming its line.
func Read(r io.Reader) ([]Variant, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 64*1024*1024)
	var out []Variant
	line := 0
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		var v Variant
		dec := json.NewDecoder(bytes.NewReader(text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("line %d: not a sweep variant: %v", line, err)
		}
		if v.Of <= 0 || v.Index < 0 || v.Index >= v.Of {
			return nil, fmt.Errorf("line %d: variant index %d of %d is out of range", line, v.Index, v.Of)
		}
		if v.Params == nil {
			v.Params = Params{}
		}
		if v.Certificates == nil {
			v.Certificates = []Cert{}
		}
		if v.Resources == nil {
			v.Resources = []Resource{}
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Merge combines the shards of one sweep into the variants in index
// order, exactly as the unsharded sweep gives them. Every variant from 0 to
// Of-1 must be there once, and all must belong to the same scenario and
// sweep size.
func Merge(shards ...[]Variant) ([]Variant, error) {
	var all []Variant
	for _, s := range shards {
		all = append(all, s...)
	}
	if len(all) == 0 {
		return nil, errors.New("no variants to merge")
	}
	of, name := all[0].Of, all[0].Scenario
	for _, v := range all {
		if v.Of != of {
			return nil, fmt.Errorf("variant %d belongs to a sweep of %d variants, variant %d to one of %d: these are not shards of one sweep", all[0].Index, of, v.Index, v.Of)
		}
		if v.Scenario != name {
			return nil, fmt.Errorf("variant %d is of scenario %q, variant %d of %q: these are not shards of one sweep", all[0].Index, name, v.Index, v.Scenario)
		}
	}
	slices.SortStableFunc(all, func(a, b Variant) int { return a.Index - b.Index })
	var missing []string
	nMissing := 0
	next := 0
	for i, v := range all {
		if i > 0 && all[i-1].Index == v.Index {
			return nil, fmt.Errorf("variant %d appears twice (a shard given twice, or shards of different -shard n?)", v.Index)
		}
		for ; next < v.Index; next++ {
			nMissing++
			if len(missing) < 10 {
				missing = append(missing, strconv.Itoa(next))
			}
		}
		next = v.Index + 1
	}
	for ; next < of; next++ {
		nMissing++
		if len(missing) < 10 {
			missing = append(missing, strconv.Itoa(next))
		}
	}
	if nMissing > 0 {
		more := ""
		if nMissing > len(missing) {
			more = fmt.Sprintf(", … (%d in all)", nMissing)
		}
		return nil, fmt.Errorf("%d of %s %s missing: %s%s (is a shard missing?)", nMissing, sim.Count(of, "variant"), sim.Verb(nMissing, "is", "are"), strings.Join(missing, ", "), more)
	}
	return all, nil
}
