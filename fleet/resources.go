package fleet

import "strings"

// resource is what an InUseBy ARN says about the resource behind it.
type resource struct {
	kind  string // elb | cloudfront | apigateway | other
	id    string // scenario id, before de-duplication
	label string // short name for messages
}

// resourceOf reads an InUseBy ARN: the service names the kind, the
// resource part the name.
//
//	arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web-prod/50dc6c495c0c9188
//	arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL
//	arn:aws:apigateway:us-east-1::/domainnames/api.example.com
func resourceOf(arn string) resource {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return resource{kind: "other", id: sanitizeID("other-"+arn, "other"), label: arn}
	}
	service, res := parts[2], parts[5]
	segs := strings.FieldsFunc(res, func(r rune) bool { return r == '/' || r == ':' })
	last := ""
	if len(segs) > 0 {
		last = segs[len(segs)-1]
	}
	switch service {
	case "elasticloadbalancing":
		// loadbalancer/app/NAME/ID, loadbalancer/net/NAME/ID, loadbalancer/NAME
		name := last
		if len(segs) >= 4 {
			name = segs[2]
		}
		return resource{kind: "elb", id: sanitizeID("elb-"+name, "elb"), label: "load balancer " + name}
	case "cloudfront":
		return resource{kind: "cloudfront", id: sanitizeID("cloudfront-"+last, "cloudfront"), label: "CloudFront distribution " + last}
	case "apigateway":
		return resource{kind: "apigateway", id: sanitizeID("apigateway-"+last, "apigateway"), label: "API Gateway domain " + last}
	}
	return resource{kind: "other", id: sanitizeID(service+"-"+last, "other"), label: service + " " + last}
}
