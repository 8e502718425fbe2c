package fleet

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"
)

// shardOf keeps the entries of shard i of n. Certificates that share a
// resource run together, because what a resource serves, and so its
// outage, depends on all of them; every other certificate is a group of
// its own. Groups go round-robin to the shards in the order of their first
// certificate, so each part gets about as many and the split depends on
// nothing but the fleet.
func shardOf(entries []*Entry, i, n int) []*Entry {
	parent := make([]int, len(entries))
	for k := range parent {
		parent[k] = k
	}
	find := func(k int) int {
		for parent[k] != k {
			parent[k] = parent[parent[k]]
			k = parent[k]
		}
		return k
	}
	byResource := map[string]int{}
	for k, e := range entries {
		if !e.Simulated {
			continue
		}
		for _, arn := range e.InUseBy {
			if j, ok := byResource[arn]; ok {
				a, b := find(j), find(k)
				// The group is named by its first entry.
				parent[max(a, b)] = min(a, b)
			} else {
				byResource[arn] = k
			}
		}
	}
	group := map[int]int{} // root -> group number, in order of first entries
	var out []*Entry
	for k, e := range entries {
		root := find(k)
		g, ok := group[root]
		if !ok {
			g = len(group)
			group[root] = g
		}
		if g%n == i {
			out = append(out, e)
		}
	}
	return out
}

// shardJSON is one part of a split check (check -shard i/n): its
// certificates with what merging needs to order them and sum up the fleet,
// and the whole fleet's shared records and notes.
type shardJSON struct {
	Shard        shardID        `json:"shard"`
	Account      string         `json:"account"`
	Region       string         `json:"region"`
	Profile      string         `json:"profile"`
	Now          time.Time      `json:"now"`
	Until        time.Time      `json:"until"`
	Assumptions  []string       `json:"assumptions"`
	Certificates []shardCert    `json:"certificates"`
	Shared       []SharedRecord `json:"shared_records"`
	Notes        []string       `json:"notes"` // the plan's, without those the run adds
}

type shardID struct {
	Index int `json:"index"`
	Of    int `json:"of"`
}

// shardCert is a certificate of the -json document with what merging
// needs besides: the fields Entry leaves out of that document.
type shardCert struct {
	*Entry
	Method      string    `json:"method"`
	NotAfter    time.Time `json:"not_after"`
	InUseBy     []string  `json:"in_use_by"`
	Approaching int       `json:"approaching_before_renewal"`
}

// WriteShard writes one part of a split check, for MergeShards.
func WriteShard(w io.Writer, r *Report) error {
	if r.Shards == 0 {
		return fmt.Errorf("write shard: the report is of the whole fleet")
	}
	out := shardJSON{
		Shard: shardID{r.Shard, r.Shards}, Account: r.Account, Region: r.Region, Profile: r.Profile, Now: r.Now, Until: r.Until,
		Assumptions: orEmpty(r.Assumptions), Certificates: []shardCert{}, Shared: orEmpty(r.Shared), Notes: orEmpty(r.planNotes),
	}
	for _, e := range r.Certificates {
		out.Certificates = append(out.Certificates, shardCert{Entry: e, Method: e.Method, NotAfter: e.NotAfter,
			InUseBy: orEmpty(e.InUseBy), Approaching: e.ApproachingBeforeRenewal})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// IsShard tells whether data is a part written by WriteShard.
func IsShard(data []byte) bool {
	var probe struct {
		Shard *shardID `json:"shard"`
	}
	return json.Unmarshal(data, &probe) == nil && probe.Shard != nil
}

// MergeShards joins the parts of a split check into the report of the whole
// fleet: the same report, and so the same output, as check without -shard.
// Every part of one split must be there once.
func MergeShards(parts ...[]byte) (*Report, error) {
	var shards []shardJSON
	for k, data := range parts {
		var s shardJSON
		if err := json.Unmarshal(data, &s); err != nil {
			return nil, fmt.Errorf("part %d: %w", k+1, err)
		}
		shards = append(shards, s)
	}
	if len(shards) == 0 {
		return nil, fmt.Errorf("no parts to merge")
	}
	first := shards[0]
	n := first.Shard.Of
	seen := make([]bool, max(n, 0))
	for k, s := range shards {
		switch {
		case s.Shard.Of != n || n <= 0:
			return nil, fmt.Errorf("part %d is shard %d/%d, part 1 is of %d shards", k+1, s.Shard.Index, s.Shard.Of, n)
		case s.Shard.Index < 0 || s.Shard.Index >= n:
			return nil, fmt.Errorf("part %d: shard %d/%d is out of range", k+1, s.Shard.Index, s.Shard.Of)
		case seen[s.Shard.Index]:
			return nil, fmt.Errorf("shard %d/%d is given twice", s.Shard.Index, n)
		case s.Account != first.Account || s.Region != first.Region || s.Profile != first.Profile ||
			!s.Now.Equal(first.Now) || !s.Until.Equal(first.Until):
			return nil, fmt.Errorf("shard %d/%d is of another check (account, region, profile, -now or -until differ)", s.Shard.Index, n)
		}
		seen[s.Shard.Index] = true
	}
	if i := slices.Index(seen, false); i >= 0 {
		return nil, fmt.Errorf("shard %d/%d is missing", i, n)
	}
	r := &Report{Account: first.Account, Region: first.Region, Profile: first.Profile, Now: first.Now, Until: first.Until,
		Assumptions: first.Assumptions, Shared: first.Shared, planNotes: first.Notes}
	for _, s := range shards {
		for _, c := range s.Certificates {
			e := c.Entry
			if e == nil { // a certificate with none of Entry's fields
				e = &Entry{}
			}
			e.Method, e.NotAfter, e.InUseBy, e.ApproachingBeforeRenewal = c.Method, c.NotAfter, c.InUseBy, c.Approaching
			r.Certificates = append(r.Certificates, e)
		}
	}
	r.finish()
	return r, nil
}
