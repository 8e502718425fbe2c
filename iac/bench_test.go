package iac_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/renewsim/renewsim/iac"
)

// BenchmarkFleets reads an input and builds its fleets, as a check does
// before it runs them.
func BenchmarkFleets(b *testing.B) {
	for _, bc := range []struct {
		name string
		in   iac.Input
	}{
		{"terraform-plan", iac.Input{Terraform: []string{tfExample + "plan-harmless.json"}}},
		{"terraform-state", iac.Input{Terraform: []string{tfExample + "terraform.tfstate"}}},
		{"cloudformation", iac.Input{CloudFormation: []string{"../examples/cloudformation", "../examples/cloudformation/cdk.out"}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				m, err := iac.Read(bc.in)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := m.Fleets(nil, iac.Options{Now: now}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Whatever the bytes, reading ends in fleets or in problems, never in a
// panic. The seeds are the examples and fixtures, whole and cut short.
func FuzzRead(f *testing.F) {
	for _, pattern := range []string{"../examples/terraform/*.json", "../examples/terraform/*.tfstate", "testdata/terraform/*", "../examples/cloudformation/*.*", "testdata/cloudformation/*/*.*"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				continue
			}
			f.Add(data, filepath.Ext(file))
			f.Add(data[:len(data)*2/3], filepath.Ext(file))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, ext string) {
		if ext != ".yaml" && ext != ".json" && ext != ".tfstate" {
			ext = ".json"
		}
		file := filepath.Join(t.TempDir(), "input"+ext)
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, in := range []iac.Input{{Terraform: []string{file}}, {CloudFormation: []string{file}}} {
			m, err := iac.Read(in)
			if err != nil {
				continue
			}
			if _, err := m.Fleets(nil, iac.Options{Now: now}); err != nil {
				t.Fatal(err)
			}
		}
	})
}
