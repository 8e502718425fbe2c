package iac

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"slices"
	"strings"

	"github.com/miekg/dns"

	"github.com/renewsim/renewsim/sim"
)

// certARNRE is an ACM certificate ARN: partition, region, account and id.
var certARNRE = regexp.MustCompile(`^arn:(aws[a-z-]*):acm:([a-z0-9-]+):([0-9]{12}):certificate/([A-Za-z0-9-]+)$`)

// anyARNRE is any ARN: its region and account.
var anyARNRE = regexp.MustCompile(`^arn:aws[a-z-]*:[a-z0-9-]+:([a-z0-9-]*):([0-9]*):`)

// baseName is a certificate name without its wildcard label, lower case.
func baseName(n string) string { return sim.BaseName(n) }

// canon is a DNS name absolute and lower case.
func canon(n string) string { return dns.CanonicalName(dns.Fqdn(n)) }

// digest is a short stable hex digest of parts: placeholders must be the
// same on every run.
func digest(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:])
}

// placeholderARN is the ARN a certificate that does not exist yet stands
// under in the fleets: marked by its all-zero start.
func placeholderARN(region, account, id string) string {
	d := digest("renewsim placeholder certificate", id)
	return "arn:aws:acm:" + region + ":" + account + ":certificate/00000000-0000-4000-8000-" + d[:12]
}

// andList joins "a", "a and b", "a, b and c".
func andList(s []string) string {
	if len(s) <= 1 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// addresses lists resource addresses, later ones that share the first's
// resource type shortened to their name: aws_acm_certificate.www, .apex
// and .wild.
func addresses(list []string) string {
	out := slices.Clone(list)
	for i := 1; i < len(out); i++ {
		if p, ok := typePrefix(list[0]); ok {
			if q, ok := typePrefix(list[i]); ok && p == q {
				out[i] = strings.TrimPrefix(list[i], p)
			}
		}
	}
	return andList(out)
}

// typePrefix is the part of a root-module Terraform address up to its
// name: "aws_acm_certificate" of aws_acm_certificate.www.
func typePrefix(addr string) (string, bool) {
	if strings.HasPrefix(addr, "module.") || strings.HasPrefix(addr, "data.") || strings.HasPrefix(addr, "arn:") {
		return "", false
	}
	i := strings.IndexByte(addr, '.')
	if i <= 0 || strings.ContainsAny(addr[:i], "/ ") {
		return "", false
	}
	return addr[:i], true
}
