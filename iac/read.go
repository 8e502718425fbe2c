package iac

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/renewsim/renewsim/fleet"
)

// Input names the infrastructure code to read: files, or directories of
// them.
type Input struct {
	// Terraform: terraform show -json of a plan or of a state, or raw
	// terraform.tfstate files (format version 4). Several files (root
	// modules, workspaces) form one fleet.
	Terraform []string
	// CloudFormation: templates (JSON or YAML, short intrinsic tags
	// included), cdk synth output (cdk.out/*.template.json), aws
	// cloudformation describe-change-set and describe-stack-resources
	// output.
	CloudFormation []string
}

// Model is what the infrastructure code says: the resources that bear on
// certificates before the change and after it, and the planned changes.
// Fleets turns it into fleets.
type Model struct {
	Files []string // every file read, in the order read
	// Change: some input is a plan or a change set, so the fleet before
	// and the fleet after differ (or could).
	Change bool

	before, after *side
	changes       []*change
	notes         []string
}

// change is one planned change of a resource, from a plan or a change set.
type change struct {
	id, addr, typ string
	file, path    string
	kind          ActionKind
	reason        string
	// deleteFirst: a replacement that destroys the old object before it
	// creates the new one.
	deleteFirst bool
}

// Read reads every file. Every problem in every file is reported, as
// fleet.Problems (file, and JSON path or line and column); nothing is
// returned then.
func Read(in Input) (*Model, error) {
	c := &collector{}
	m := &Model{before: &side{}, after: &side{}}
	if len(in.Terraform) == 0 && len(in.CloudFormation) == 0 {
		c.line("-terraform", 0, 0, "no infrastructure code given")
	}
	var docs []*tfDoc
	for _, p := range in.Terraform {
		for _, file := range listFiles(p, tfFile, "Terraform JSON files (*.json, *.tfstate)", c) {
			m.Files = append(m.Files, file)
			data, err := os.ReadFile(file)
			if err != nil {
				c.line(file, 0, 0, "%v", fleet.UnwrapPath(err))
				continue
			}
			if d := readTerraform(file, data, c); d != nil {
				docs = append(docs, d)
			}
		}
	}
	id := tfIDs(docs)
	for _, d := range docs {
		newTFSide(d, d.before, false, id, c).extract(m.before)
		newTFSide(d, d.after, true, id, c).extract(m.after)
		if d.kind == "plan" {
			m.Change = true
		}
		for _, ch := range d.changes {
			m.changes = append(m.changes, &change{id: id(d, ch.addr), addr: ch.addr, typ: ch.typ, file: d.file, path: ch.path,
				kind: ch.kind, reason: ch.reason, deleteFirst: ch.deleteFirst})
		}
	}
	readCloudFormation(in.CloudFormation, m, c)
	if err := c.err(); err != nil {
		return nil, err
	}
	return m, nil
}

// tfIDs names every resource instance uniquely among the files: by its
// address, followed by its file when another file has the same address
// (two root modules both with aws_acm_certificate.www).
func tfIDs(docs []*tfDoc) func(*tfDoc, string) string {
	files := map[string][]string{}
	for _, d := range docs {
		seen := map[string]bool{}
		for _, list := range [][]*tfInst{d.before, d.after} {
			for _, in := range list {
				if !seen[in.addr] {
					seen[in.addr] = true
					files[in.addr] = append(files[in.addr], d.file)
				}
			}
		}
	}
	return func(d *tfDoc, addr string) string {
		if len(files[addr]) > 1 {
			return addr + " (" + d.file + ")"
		}
		return addr
	}
}

func tfFile(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".json" || ext == ".tfstate"
}

// listFiles is fleet.ListFiles with its problem collected.
func listFiles(path string, keep func(string) bool, what string, c *collector) []string {
	files, p := fleet.ListFiles(path, keep, what)
	if p != nil {
		c.probs = append(c.probs, p)
	}
	return files
}
