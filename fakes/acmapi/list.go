package acmapi

import (
	"encoding/base64"
	"sort"
	"strconv"
	"strings"
	"time"
)

// maxItems is the MaxItems shape's maximum, and the page size when a
// request gives none.
const maxItems = 1000

// tokenPrefix marks this server's NextToken values. A token is the offset
// of the next item in the filtered and sorted list: the same request
// always yields the same token.
const tokenPrefix = "acmapi:"

func pageToken(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(tokenPrefix + strconv.Itoa(offset)))
}

func parseToken(tok string) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	s, ok := strings.CutPrefix(string(b), tokenPrefix)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

func (s *Server) listCertificates(body []byte, rec *Request) (any, error) {
	var in listRequest
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if e := in.validate(); e != nil {
		return nil, e
	}
	if (in.SortBy == "") != (in.SortOrder == "") {
		return nil, InvalidArgs("SortBy and SortOrder must be specified together.")
	}
	offset := 0
	if in.NextToken != nil {
		var ok bool
		if offset, ok = parseToken(*in.NextToken); !ok {
			return nil, InvalidArgs("The NextToken is not valid.")
		}
	}

	var list []Certificate
	for _, c := range s.backend.Certificates() {
		if inRegion(c.ARN, rec) && in.matches(c) {
			list = append(list, c)
		}
	}
	if in.SortBy != "" {
		desc := in.SortOrder == "DESCENDING"
		sort.SliceStable(list, func(i, j int) bool {
			a, b := createdAt(list[i]), createdAt(list[j])
			if desc {
				return a.After(b)
			}
			return a.Before(b)
		})
	}

	size := maxItems
	if in.MaxItems != nil {
		size = *in.MaxItems
	}
	out := struct {
		CertificateSummaryList []wireSummary
		NextToken              string `json:",omitempty"`
	}{CertificateSummaryList: []wireSummary{}}
	if offset < len(list) {
		end := min(offset+size, len(list))
		for _, c := range list[offset:end] {
			out.CertificateSummaryList = append(out.CertificateSummaryList, summaryOf(c))
		}
		if end < len(list) {
			out.NextToken = pageToken(end)
		}
	}
	return out, nil
}

// createdAt is what SortBy CREATED_AT orders by; imported certificates
// have an ImportedAt instead.
func createdAt(c Certificate) time.Time {
	if c.CreatedAt.IsZero() {
		return c.ImportedAt
	}
	return c.CreatedAt
}

func (in *listRequest) validate() *Error {
	var v validationErrors
	v.enum("certificateStatuses", in.CertificateStatuses, allStatuses)
	v.enum("certificateKeyPairOrigins", in.CertificateKeyPairOrigins, allKeyPairOrigins)
	if inc := in.Includes; inc != nil {
		v.enum("includes.keyTypes", inc.KeyTypes, allKeyTypes)
		v.enum("includes.keyUsage", inc.KeyUsage, allKeyUsages)
		v.enum("includes.extendedKeyUsage", inc.ExtendedKeyUsage, allExtendedKeyUsages)
		if inc.ExportOption != "" {
			v.enum("includes.exportOption", []string{inc.ExportOption}, allExportOptions)
		}
		if inc.ManagedBy != "" {
			v.enum("includes.managedBy", []string{inc.ManagedBy}, allManagedBy)
		}
	}
	if n := in.MaxItems; n != nil && *n < 1 {
		v.add("Value '%d' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1", *n)
	} else if n != nil && *n > maxItems {
		v.add("Value '%d' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to %d", *n, maxItems)
	}
	if t := in.NextToken; t != nil && *t == "" {
		v.add("Value '' at 'nextToken' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	if in.SortBy != "" {
		v.enum("sortBy", []string{in.SortBy}, allSortBy)
	}
	if in.SortOrder != "" {
		v.enum("sortOrder", []string{in.SortOrder}, allSortOrders)
	}
	return v.err()
}

// matches applies ListCertificates' filters. Filters given as lists match
// a certificate that has any of the listed values.
func (in *listRequest) matches(c Certificate) bool {
	if len(in.CertificateStatuses) > 0 && !contains(in.CertificateStatuses, c.Status) {
		return false
	}

	origin := c.KeyPairOrigin
	if origin == "" {
		origin = "AWS_MANAGED"
		if c.Type == TypeImported {
			origin = "CUSTOMER_PROVIDED"
		}
	}
	if len(in.CertificateKeyPairOrigins) == 0 {
		// "By default, this action does not return certificates with a
		// CertificateKeyPairOrigin of ACME."
		if origin == "ACME" {
			return false
		}
	} else if !contains(in.CertificateKeyPairOrigins, origin) {
		return false
	}

	inc := in.Includes
	if inc == nil || len(inc.KeyTypes) == 0 {
		// "Default filtering returns only RSA_1024 and RSA_2048
		// certificates that have at least one domain."
		if !contains(defaultKeyTypes, c.KeyAlgorithm) || (c.DomainName == "" && len(c.SubjectAlternativeNames) == 0) {
			return false
		}
	} else if !contains(inc.KeyTypes, c.KeyAlgorithm) {
		return false
	}
	if inc == nil {
		return true
	}

	if len(inc.KeyUsage) > 0 && !anyOf(c.KeyUsages, inc.KeyUsage) {
		return false
	}
	if len(inc.ExtendedKeyUsage) > 0 {
		names := make([]string, 0, len(c.ExtendedKeyUsages))
		for _, u := range c.ExtendedKeyUsages {
			names = append(names, u.Name)
		}
		if !anyOf(names, inc.ExtendedKeyUsage) {
			return false
		}
	}
	if inc.ExportOption != "" {
		export := c.Options.Export
		if export == "" {
			export = "DISABLED"
		}
		if export != inc.ExportOption {
			return false
		}
	}
	if inc.ManagedBy != "" && inc.ManagedBy != c.ManagedBy {
		return false
	}
	return true
}

func anyOf(have, want []string) bool {
	for _, h := range have {
		if contains(want, h) {
			return true
		}
	}
	return false
}
