package fleet

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/renewsim/renewsim/scenarios"
	"github.com/renewsim/renewsim/sim"
)

// SyntheticExports writes the synthetic fleet f (scenarios.NewSynthetic) as
// the AWS CLI exports of its account at f.Start, the same fleet its
// scenario describes: acm is one describe-certificate output per line (JSON
// Lines), zones one BIND file per zone, by file name. Benchmarks and tests
// check it (renewsim check -acm … -zones DIR -now START) beside the
// scenario run (renewsim run), shape for shape.
//
// What a snapshot cannot hold is written as what it will be: a
// certificate whose validation CNAME the scenario deletes during the run
// has none in its zone. Lifetimes follow acm-2026 (395 days when issued
// before 2026-02-18), as the scenario's loader computes them.
func SyntheticExports(f *scenarios.Synthetic) (acm []byte, zones map[string][]byte) {
	p, _ := sim.LookupProfile("acm-2026")
	const account, region = "123456789012", "us-east-1"
	zoneText := make([]strings.Builder, len(f.Zones))
	zoneIndex := map[string]int{}
	for i, z := range f.Zones {
		zoneIndex[z] = i
		fmt.Fprintf(&zoneText[i], "$ORIGIN %s.\n@ 300 IN SOA ns1.%s. hostmaster.%s. 1 7200 3600 1209600 300\n@ 300 IN NS ns1.%s.\n", z, z, z, z)
	}
	for _, z := range f.AmazonCAA {
		zoneText[zoneIndex[z]].WriteString("@ 300 IN CAA 0 issue \"amazon.com\"\n")
	}
	resARN := make([]string, len(f.Resources))
	for i, r := range f.Resources {
		switch r.Kind {
		case "elb":
			resARN[i] = fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/%s/%016x", region, account, r.ID, i)
		case "cloudfront":
			resARN[i] = fmt.Sprintf("arn:aws:cloudfront::%s:distribution/E%013X", account, i)
		case "apigateway":
			resARN[i] = fmt.Sprintf("arn:aws:apigateway:%s::/domainnames/%s.api.example", region, r.ID)
		default:
			resARN[i] = fmt.Sprintf("arn:aws:appsync:%s:%s:domainnames/%s", region, account, r.ID)
		}
	}
	var b strings.Builder
	for i, c := range f.Certs {
		z := &zoneText[zoneIndex[c.Zone]]
		names := []string{c.Domain}
		if c.Wildcard {
			names = append(names, "*."+c.Domain)
		}
		typ := sim.TypeAmazonIssued
		switch c.Trap {
		case scenarios.TrapImported:
			typ = sim.TypeImported
		case scenarios.TrapPrivate:
			typ = sim.TypePrivate
		}
		notAfter := c.Issued.Add(p.Validity(typ, c.Issued))
		if c.Trap == scenarios.TrapImported {
			notAfter = c.Issued.AddDate(1, 0, 0)
		}
		d := synthDescribe{CertificateArn: fmt.Sprintf("arn:aws:acm:%s:%s:certificate/%08x-0000-4000-8000-%012x", region, account, i, i),
			DomainName: c.Domain, SubjectAlternativeNames: names, Status: "ISSUED", InUseBy: []string{},
			NotBefore: c.Issued.Format(time.RFC3339), NotAfter: notAfter.Format(time.RFC3339), KeyAlgorithm: "RSA_2048",
			RenewalEligibility: "ELIGIBLE"}
		switch typ {
		case sim.TypeImported:
			d.Type = "IMPORTED"
		case sim.TypePrivate:
			d.Type = "PRIVATE"
			d.CertificateAuthorityArn = fmt.Sprintf("arn:aws:acm-pca:%s:%s:certificate-authority/00000000-0000-4000-8000-000000000001", region, account)
		default:
			d.Type = "AMAZON_ISSUED"
		}
		if c.Resource >= 0 {
			d.InUseBy = []string{resARN[c.Resource]}
		} else if typ != sim.TypeImported {
			d.RenewalEligibility = "INELIGIBLE"
		}
		record := fmt.Sprintf("_%x.%s.", uint32(i)*2654435761, c.Domain)
		value := fmt.Sprintf("_%x.%x.acm-validations.aws.", uint32(i)*40503, uint32(i)^0x5eed)
		if typ == sim.TypeAmazonIssued {
			for _, n := range names {
				v := synthValidation{DomainName: n, ValidationDomain: n, ValidationStatus: "SUCCESS", ValidationMethod: "DNS"}
				if c.Trap == scenarios.TrapEmail {
					v.ValidationMethod = "EMAIL"
					base := strings.TrimPrefix(n, "*.")
					v.ValidationDomain = base
					v.ValidationEmails = []string{"admin@" + base, "administrator@" + base, "hostmaster@" + base, "postmaster@" + base, "webmaster@" + base}
				} else {
					v.ResourceRecord = &synthRecord{Name: record, Type: "CNAME", Value: value}
				}
				d.DomainValidationOptions = append(d.DomainValidationOptions, v)
			}
		}
		switch c.Trap {
		case scenarios.TrapWrong:
			fmt.Fprintf(z, "%s 300 IN CNAME _wrong.acm-validations.aws.\n", record)
		case scenarios.TrapDeleted, scenarios.TrapEmail, scenarios.TrapImported, scenarios.TrapPrivate:
		default:
			fmt.Fprintf(z, "%s 300 IN CNAME %s\n", record, value)
		}
		if c.Trap == scenarios.TrapCAA {
			fmt.Fprintf(z, "%s. 300 IN CAA 0 issue \"letsencrypt.org\"\n", c.Domain)
		}
		line, err := json.Marshal(struct {
			Certificate synthDescribe
		}{d})
		if err != nil {
			panic(err) // plain strings and slices always encode
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	zones = map[string][]byte{}
	for i, z := range f.Zones {
		zones["db."+z] = []byte(zoneText[i].String())
	}
	return []byte(b.String()), zones
}

// synthDescribe is the part of aws acm describe-certificate's output the
// synthetic exports fill, in the CLI's field order.
type synthDescribe struct {
	CertificateArn          string            `json:"CertificateArn"`
	DomainName              string            `json:"DomainName"`
	SubjectAlternativeNames []string          `json:"SubjectAlternativeNames"`
	DomainValidationOptions []synthValidation `json:"DomainValidationOptions,omitempty"`
	Status                  string            `json:"Status"`
	NotBefore               string            `json:"NotBefore"`
	NotAfter                string            `json:"NotAfter"`
	KeyAlgorithm            string            `json:"KeyAlgorithm"`
	InUseBy                 []string          `json:"InUseBy"`
	Type                    string            `json:"Type"`
	RenewalEligibility      string            `json:"RenewalEligibility,omitempty"`
	CertificateAuthorityArn string            `json:"CertificateAuthorityArn,omitempty"`
}

type synthValidation struct {
	DomainName       string       `json:"DomainName"`
	ValidationEmails []string     `json:"ValidationEmails,omitempty"`
	ValidationDomain string       `json:"ValidationDomain"`
	ValidationStatus string       `json:"ValidationStatus"`
	ResourceRecord   *synthRecord `json:"ResourceRecord,omitempty"`
	ValidationMethod string       `json:"ValidationMethod"`
}

type synthRecord struct {
	Name  string `json:"Name"`
	Type  string `json:"Type"`
	Value string `json:"Value"`
}
