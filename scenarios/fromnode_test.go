package scenarios

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// lookup returns the value of key in mapping n.
func lookup(t *testing.T, n *yaml.Node, key string) *yaml.Node {
	t.Helper()
	if n.Kind == yaml.DocumentNode {
		n = n.Content[0]
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	t.Fatalf("no key %q", key)
	return nil
}

func happyNode(t *testing.T) *yaml.Node {
	t.Helper()
	src, ok := LibrarySource("dns-happy")
	require.True(t, ok)
	var doc yaml.Node
	require.NoError(t, yaml.Unmarshal(src, &doc))
	return &doc
}

func scalar(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: v} }

func TestFromNode(t *testing.T) {
	want, err := LoadLibrary("dns-happy")
	require.NoError(t, err)

	doc := happyNode(t)
	before, err := yaml.Marshal(doc)
	require.NoError(t, err)
	sc, err := FromNode("library/dns-happy.yaml", doc)
	require.NoError(t, err)
	assert.Equal(t, want, sc)
	after, err := yaml.Marshal(doc)
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after), "FromNode must not change the tree")

	// The top mapping works as well as the document.
	sc, err = FromNode("x.yaml", doc.Content[0])
	require.NoError(t, err)
	assert.Equal(t, "x.yaml", sc.File)
	assert.Equal(t, want.Certificates, sc.Certificates)
}

func TestFromNodeEdited(t *testing.T) {
	doc := happyNode(t)
	web := lookup(t, doc, "certificates").Content[0]

	// Edit a value in place, as a what-if sweep does.
	lookup(t, web, "validation_record").Value = "absent"
	// Add keys built by a program: they have no position.
	top := doc.Content[0]
	top.Content = append(top.Content, scalar("overrides"), &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
		scalar("retry_interval"), scalar("3h"),
		scalar("action_required_days"), {Kind: yaml.SequenceNode, Content: []*yaml.Node{scalar("20"), scalar("10")}},
	}})
	lookup(t, doc, "until").Value = "web.expiry+30d"
	top.Content = append(top.Content, scalar("dns"), &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
		scalar("records"), {Kind: yaml.SequenceNode, Content: []*yaml.Node{scalar("example.com. 300 IN A 192.0.2.1")}},
	}})

	sc, err := FromNode("sweep.yaml", doc)
	require.NoError(t, err)
	assert.Equal(t, "absent", sc.Certificates[0].ValidationRecord)
	assert.Equal(t, 3*time.Hour, sc.Profile.RetryInterval)
	assert.Equal(t, []int{20, 10}, sc.Profile.ActionRequiredDays)
	assert.Equal(t, sc.Certificates[0].NotAfter.Add(30*24*time.Hour), sc.Until)
	assert.Equal(t, []string{"example.com. 300 IN A 192.0.2.1"}, sc.DNSRecords)
	assert.Equal(t, []int{0}, sc.DNSLines, "built nodes have no line")
}

func TestFromNodeErrorsWithoutPositions(t *testing.T) {
	doc := happyNode(t)
	// A new value node without a position is reported at its key…
	alb := lookup(t, doc, "resources").Content[0]
	alb.Content[5] = scalar("-1h")
	// …and a new key at the mapping that holds it.
	web := lookup(t, doc, "certificates").Content[0]
	web.Content = append(web.Content, scalar("colour"), scalar("blue"))

	_, err := FromNode("sweep.yaml", doc)
	assert.EqualError(t, err, `sweep.yaml:17:5: deploy_delay: must not be negative, got "-1h"
sweep.yaml:20:5: unknown key "colour" in certificate (expected one of: id, domain, sans, validation, type, issued, not_after, in_use_by, exported, validation_record, validation_domain, arn, validation_cnames, key_algorithm, account, region)`)

	// A tree built entirely by a program still gets positions >= 1.
	built := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{scalar("name"), scalar("Built")}}
	_, err = FromNode("built.yaml", built)
	assert.EqualError(t, err, `built.yaml:1:1: missing required key "start" in scenario
built.yaml:1:1: missing required key "certificates" in scenario
built.yaml:1:1: name: want lower-case letters, digits and hyphens (like dns-missing-cname), got "Built"`)
}

func TestFromNodeEmpty(t *testing.T) {
	for _, n := range []*yaml.Node{nil, {}, {Kind: yaml.DocumentNode}, scalar("")} {
		_, err := FromNode("n.yaml", n)
		assert.EqualError(t, err, "n.yaml:1:1: "+emptyMsg)
	}
	_, err := FromNode("n.yaml", &yaml.Node{Kind: yaml.AliasNode})
	assert.EqualError(t, err, "n.yaml:1:1: "+emptyMsg)
}
