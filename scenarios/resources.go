package scenarios

import (
	"strings"

	"github.com/renewsim/renewsim/sim"
)

// resDraft is one resource while its keys are read.
type resDraft struct {
	r      sim.Resource
	line   int  // where it is declared
	kindOK bool // the kind was read
}

// resourceTable is how a resource is read.
var resourceTable = newKeyTable("resource", []keyRow[resDraft]{
	{key: "id", required: true, read: (*loader).resourceID},
	{key: "kind", required: true, read: (*loader).resourceKind},
	{key: "deploy_delay", read: (*loader).deployDelay, absent: defaultDeployDelay},
	{key: "hostnames", read: (*loader).resourceHostnames},
	{key: "arn", read: (*loader).resourceARNKey},
})

func (l *loader) resources(b *build, f *field) {
	items, _ := l.list(f)
	d := new(resDraft) // reused: a fleet has thousands of resources
	for _, it := range items {
		rm := resourceTable.mapping(l, it.n, it.pos)
		if rm == nil {
			continue
		}
		*d = resDraft{line: rm.pos.line}
		resourceTable.read(l, b, rm, d)
		b.sc.Resources = append(b.sc.Resources, d.r)
	}
}

func (l *loader) resourceID(b *build, d *resDraft, f *field) {
	id, ok := l.scalar(f)
	if !ok {
		return
	}
	d.r.ID = id
	if !sim.ValidID(id) {
		l.errf(f.vpos, "id: want letters, digits, '-' and '_' (like alb-prod), got %q", id)
	}
	l.firstResourceID(b, f, id, d.line)
}

func (l *loader) resourceKind(b *build, d *resDraft, f *field) {
	d.r.Kind, d.kindOK = l.oneOf(f, "resource kind", sim.ResourceKinds)
	if d.kindOK && d.r.ID != "" {
		b.resourceKind(d.r.ID, d.r.Kind)
	}
}

func (l *loader) deployDelay(_ *build, d *resDraft, f *field) {
	if v, ok := l.duration(f); ok {
		d.r.DeployDelay = v
	}
}

// defaultDeployDelay is the usual delay of the resource's kind.
func defaultDeployDelay(_ *loader, _ *build, d *resDraft, _ *field) {
	if d.kindOK {
		d.r.DeployDelay = sim.DefaultDeployDelay(d.r.Kind)
	}
}

func (l *loader) resourceHostnames(b *build, d *resDraft, f *field) {
	d.r.Hostnames = l.hostnames(b, f, d.r.ID)
}

func (l *loader) resourceARNKey(_ *build, d *resDraft, f *field) {
	d.r.ARN = l.resourceARN(f)
}

// hostnames reads the names whose A record points at resource id; each
// name points at one resource only.
func (l *loader) hostnames(b *build, f *field, id string) []string {
	var out []string
	for _, s := range l.stringList(f) {
		if msg := checkHostname(s.s); msg != "" {
			l.errf(s.pos, "hostnames: %s", msg)
			continue
		}
		key := strings.ToLower(s.s)
		if other, dup := b.hostnames[key]; dup {
			if other == id {
				l.errf(s.pos, "hostnames: %q is listed twice", s.s)
			} else {
				l.errf(s.pos, "hostnames: %q already points at resource %q; a name has one A record", s.s, other)
			}
			continue
		}
		b.hostnames[key] = id
		out = append(out, s.s)
	}
	return out
}
