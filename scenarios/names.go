package scenarios

import (
	"fmt"
	"strings"

	"github.com/renewsim/renewsim/sim"
)

// checkDomain returns what is wrong with a certificate name, or "".
func checkDomain(s string) string { return domainProblem(s, true) }

// DomainProblem says what is wrong with a certificate name (a DNS name,
// perhaps a wildcard) as a scenario would have it, or "": what reads names
// from elsewhere into a scenario checks them with it, so that the scenario
// loads.
func DomainProblem(name string) string { return checkDomain(name) }

// checkHostname returns what is wrong with a DNS name that may not be a
// wildcard, or "".
func checkHostname(s string) string { return domainProblem(s, false) }

func domainProblem(s string, wildcard bool) string {
	like := "like example.com or *.example.com"
	if !wildcard {
		like = "like example.com or www.example.com"
		if strings.HasPrefix(s, "*.") {
			return fmt.Sprintf("%q: a wildcard name is not allowed here (want a DNS name %s)", s, like)
		}
	}
	bad := fmt.Sprintf("%q is not a valid domain name (want labels of letters, digits and hyphens separated by dots, %s)", s, like)
	if strings.HasSuffix(s, ".") && len(s) > 1 {
		return fmt.Sprintf("%q: write the name without the trailing dot", s)
	}
	name := strings.TrimPrefix(s, "*.")
	if len(name) > 253 {
		return fmt.Sprintf("%q is longer than 253 characters", s)
	}
	labels := strings.Split(name, ".")
	if len(labels) < 2 {
		return bad
	}
	for _, lb := range labels {
		if !sim.ValidLabel(lb, false) {
			return bad
		}
	}
	return ""
}
