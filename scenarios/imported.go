package scenarios

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/renewsim/renewsim/sim"
)

// Keys that carry what an account's exports say (renewsim check writes
// them): real ARNs and the validation records ACM gave.
var validationCNAMEKeys = []string{"name", "value"}

var (
	// resourceARNRE is any AWS ARN: the resource part is the service's
	// business.
	resourceARNRE = regexp.MustCompile(`^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:[0-9]*:\S+$`)
)

// certARN reads a certificate's arn; ARNs are unique in a scenario.
func (l *loader) certARN(b *build, f *field, id string) string {
	s, ok := l.scalar(f)
	if !ok {
		return ""
	}
	if _, ok := sim.ParseCertARN(s); !ok {
		l.errf(f.vpos, "arn: want an ACM certificate ARN like arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012, got %q", s)
		return ""
	}
	if other, dup := b.arns[s]; dup {
		l.errf(f.vpos, "arn: %q is already the ARN of certificate %q", s, other)
		return ""
	}
	b.arns[s] = id
	return s
}

// resourceARN reads a resource's arn (shown, never interpreted).
func (l *loader) resourceARN(f *field) string {
	s, ok := l.scalar(f)
	if !ok {
		return ""
	}
	if !resourceARNRE.MatchString(s) {
		l.errf(f.vpos, "arn: want an AWS ARN like arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188, got %q", s)
		return ""
	}
	return s
}

// validationCNAMEs reads the validation record of each name, as
// DescribeCertificate's ResourceRecord gives it: {name: _x.example.com.,
// value: _y.acm-validations.aws.}. Names that share a record in ACM
// (*.example.com and example.com) must give the same one.
func (l *loader) validationCNAMEs(f *field, names []string, bad map[string]bool) map[string]sim.ValidationCNAME {
	vm := l.mapping(f.val, f.vpos, "validation_cnames", nil)
	if vm == nil {
		return nil
	}
	out := map[string]sim.ValidationCNAME{}
	byBase := map[string]string{} // base name -> the name whose record it took first
	l.perName(vm, "validation_cnames", names, func(kf *field, name string) {
		rm := l.mapping(kf.val, kf.vpos, "validation record of "+name, validationCNAMEKeys)
		if rm == nil || !l.require(rm, validationCNAMEKeys...) || bad[name] {
			return
		}
		rec, okName := l.recordName(rm.get("name"))
		val, okValue := l.recordName(rm.get("value"))
		if !okName || !okValue {
			return
		}
		base := sim.BaseName(name)
		if !strings.HasSuffix(strings.ToLower(rec), "."+base+".") {
			l.errf(rm.get("name").vpos, "validation_cnames: the record of %q must be a name under %s. (ACM gives _<hash>.%s.), got %q", name, base, base, rec)
			return
		}
		r := sim.ValidationCNAME{Name: rec, Value: val}
		if first, seen := byBase[base]; seen && !sameRecord(out[first], r) {
			l.errf(rm.pos, "validation_cnames: %q and %q share one validation record in ACM, but the records differ (%s CNAME %s, %s CNAME %s)",
				first, name, out[first].Name, out[first].Value, rec, val)
			return
		} else if !seen {
			byBase[base] = name
		}
		out[name] = r
	})
	return out
}

// perName calls fn for each key of a mapping from a certificate's names
// (validation_domain, validation_cnames, validation_record) that is one of
// its names, with the name as the certificate spells it, and has a value;
// it reports the other keys.
func (l *loader) perName(vm *mapping, what string, names []string, fn func(kf *field, name string)) {
	for _, kf := range vm.fields {
		name := ""
		for _, n := range names {
			if strings.EqualFold(n, kf.name) {
				name = n
			}
		}
		if name == "" {
			l.errf(kf.kpos, "%s: %q is not a name of this certificate (its names: %s)", what, kf.name, known(names))
			continue
		}
		if kf.null() {
			l.errf(kf.vpos, "key %q in %s has no value", kf.name, what)
			continue
		}
		fn(kf, name)
	}
}

func sameRecord(a, b sim.ValidationCNAME) bool {
	return strings.EqualFold(a.Name, b.Name) && strings.EqualFold(a.Value, b.Value)
}

// recordName reads an absolute DNS name whose labels may start with an
// underscore, as validation records do.
func (l *loader) recordName(f *field) (string, bool) {
	s, ok := l.scalar(f)
	if !ok {
		return "", false
	}
	if msg := recordNameProblem(s); msg != "" {
		l.errf(f.vpos, "%s: %s", f.name, msg)
		return "", false
	}
	return s, true
}

func recordNameProblem(s string) string {
	if !strings.HasSuffix(s, ".") {
		return fmt.Sprintf("%q: write the absolute name, ending with a dot (like _3639ac514e785e898d2646601fa951d5.example.com.)", s)
	}
	name := strings.TrimSuffix(s, ".")
	if len(name) > 253 {
		return fmt.Sprintf("%q is longer than 253 characters", s)
	}
	labels := strings.Split(name, ".")
	if len(labels) < 2 {
		return fmt.Sprintf("%q is not a DNS name with at least two labels", s)
	}
	for _, lb := range labels {
		if !sim.ValidLabel(lb, true) {
			return fmt.Sprintf("%q is not a valid DNS record name (want labels of letters, digits, '-' and '_' separated by dots)", s)
		}
	}
	return ""
}
