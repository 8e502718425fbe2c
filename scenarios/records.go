package scenarios

import (
	"github.com/renewsim/renewsim/sim"
)

// validationRecordPerName reads validation_record written as a mapping of
// a certificate's names to the state of their records
// ({api.example.net: absent, example.net: present}), so that a scenario
// need not spell a hashed record name to say which one is missing. Names
// left out keep the default (present). For dns a wildcard and its parent
// share one record: both may be given only with the same state.
func (l *loader) validationRecordPerName(f *field, method string, names []string) map[string]string {
	vm := l.mapping(f.val, f.vpos, "validation_record", nil)
	if vm == nil {
		return nil
	}
	out := map[string]string{}
	byBase := map[string]string{} // dns: base name -> the name that set its state
	l.perName(vm, "validation_record", names, func(kf *field, name string) {
		st, ok := l.validationRecord(kf, method)
		if !ok {
			return
		}
		if method == sim.ValidationDNS {
			base := sim.BaseName(name)
			if first, seen := byBase[base]; seen && out[first] != st {
				l.errf(kf.vpos, "validation_record: %q and %q share one validation record in ACM, so they cannot differ (%s and %s)", first, name, out[first], st)
				return
			} else if !seen {
				byBase[base] = name
			}
		}
		out[name] = st
	})
	return out
}
