package iac_test

import (
	"testing"

	"go.uber.org/goleak"
)

// The end-to-end tests run fleets with sim/run, which starts the fakes on
// loopback: none may outlive its run.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
