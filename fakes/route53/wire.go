package route53

import (
	"encoding/xml"
	"time"
)

// Namespace is the XML namespace of every Route 53 request and response
// body (API version 2013-04-01).
const Namespace = "https://route53.amazonaws.com/doc/2013-04-01/"

// The shapes below follow the Route 53 API reference and the SDK's
// deserializers (aws-sdk-go-v2 service/route53 deserializers.go), which are
// what clients parse. Lists are always sent, empty when there is nothing,
// as Route 53 sends them.

type wireHostedZone struct {
	ID                     string         `xml:"Id"`
	Name                   string         `xml:"Name"`
	CallerReference        string         `xml:"CallerReference"`
	Config                 wireZoneConfig `xml:"Config"`
	ResourceRecordSetCount int            `xml:"ResourceRecordSetCount"`
}

type wireZoneConfig struct {
	Comment     string `xml:"Comment,omitempty"`
	PrivateZone bool   `xml:"PrivateZone"`
}

type wireHostedZones struct {
	Zones []wireHostedZone `xml:"HostedZone"`
}

type listHostedZonesResponse struct {
	XMLName     xml.Name        `xml:"https://route53.amazonaws.com/doc/2013-04-01/ ListHostedZonesResponse"`
	HostedZones wireHostedZones `xml:"HostedZones"`
	Marker      string          `xml:"Marker,omitempty"`
	IsTruncated bool            `xml:"IsTruncated"`
	NextMarker  string          `xml:"NextMarker,omitempty"`
	MaxItems    int             `xml:"MaxItems"`
}

type listHostedZonesByNameResponse struct {
	XMLName          xml.Name        `xml:"https://route53.amazonaws.com/doc/2013-04-01/ ListHostedZonesByNameResponse"`
	HostedZones      wireHostedZones `xml:"HostedZones"`
	DNSName          string          `xml:"DNSName,omitempty"`
	HostedZoneID     string          `xml:"HostedZoneId,omitempty"`
	IsTruncated      bool            `xml:"IsTruncated"`
	NextDNSName      string          `xml:"NextDNSName,omitempty"`
	NextHostedZoneID string          `xml:"NextHostedZoneId,omitempty"`
	MaxItems         int             `xml:"MaxItems"`
}

type getHostedZoneResponse struct {
	XMLName       xml.Name           `xml:"https://route53.amazonaws.com/doc/2013-04-01/ GetHostedZoneResponse"`
	HostedZone    wireHostedZone     `xml:"HostedZone"`
	DelegationSet *wireDelegationSet `xml:"DelegationSet,omitempty"`
	VPCs          *wireVPCs          `xml:"VPCs,omitempty"`
}

type wireDelegationSet struct {
	NameServers []string `xml:"NameServers>NameServer"`
}

type wireVPCs struct {
	VPCs []wireVPC `xml:"VPC"`
}

type wireVPC struct {
	VPCRegion string `xml:"VPCRegion"`
	VPCID     string `xml:"VPCId"`
}

type wireRecordSet struct {
	Name            string          `xml:"Name"`
	Type            string          `xml:"Type"`
	TTL             *uint32         `xml:"TTL,omitempty"`
	ResourceRecords *wireRecordList `xml:"ResourceRecords,omitempty"`
}

type wireRecordList struct {
	Records []wireRecord `xml:"ResourceRecord"`
}

type wireRecord struct {
	Value string `xml:"Value"`
}

type wireRecordSets struct {
	Sets []wireRecordSet `xml:"ResourceRecordSet"`
}

type listResourceRecordSetsResponse struct {
	XMLName              xml.Name       `xml:"https://route53.amazonaws.com/doc/2013-04-01/ ListResourceRecordSetsResponse"`
	ResourceRecordSets   wireRecordSets `xml:"ResourceRecordSets"`
	IsTruncated          bool           `xml:"IsTruncated"`
	NextRecordName       string         `xml:"NextRecordName,omitempty"`
	NextRecordType       string         `xml:"NextRecordType,omitempty"`
	NextRecordIdentifier string         `xml:"NextRecordIdentifier,omitempty"`
	MaxItems             int            `xml:"MaxItems"`
}

type wireChangeInfo struct {
	ID          string `xml:"Id"`
	Status      string `xml:"Status"`
	SubmittedAt string `xml:"SubmittedAt"`
	Comment     string `xml:"Comment,omitempty"`
}

type changeResourceRecordSetsResponse struct {
	XMLName    xml.Name       `xml:"https://route53.amazonaws.com/doc/2013-04-01/ ChangeResourceRecordSetsResponse"`
	ChangeInfo wireChangeInfo `xml:"ChangeInfo"`
}

type getChangeResponse struct {
	XMLName    xml.Name       `xml:"https://route53.amazonaws.com/doc/2013-04-01/ GetChangeResponse"`
	ChangeInfo wireChangeInfo `xml:"ChangeInfo"`
}

type wireError struct {
	Type    string `xml:"Type"`
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

type errorResponse struct {
	XMLName   xml.Name  `xml:"https://route53.amazonaws.com/doc/2013-04-01/ ErrorResponse"`
	Error     wireError `xml:"Error"`
	RequestID string    `xml:"RequestId"`
}

// changeRequest is ChangeResourceRecordSetsRequest. Members this server
// does not simulate (alias targets, routing policies, health checks) are
// read so that a request using them is refused by name rather than
// silently changed into a plain record set.
type changeRequest struct {
	XMLName     xml.Name `xml:"ChangeResourceRecordSetsRequest"`
	ChangeBatch *struct {
		Comment string `xml:"Comment"`
		Changes *struct {
			Changes []wireChange `xml:"Change"`
		} `xml:"Changes"`
	} `xml:"ChangeBatch"`
}

type wireChange struct {
	Action            string             `xml:"Action"`
	ResourceRecordSet *wireChangeRecords `xml:"ResourceRecordSet"`
}

type wireChangeRecords struct {
	Name            *string         `xml:"Name"`
	Type            *string         `xml:"Type"`
	TTL             *string         `xml:"TTL"`
	ResourceRecords *wireRecordList `xml:"ResourceRecords"`
	// Other holds every member not listed above: AliasTarget,
	// SetIdentifier, Weight, Region, GeoLocation, Failover,
	// MultiValueAnswer, HealthCheckId, TrafficPolicyInstanceId, ...
	Other []struct {
		XMLName xml.Name
	} `xml:",any"`
}

// wireTime is a timestamp as Route 53 writes it: ISO 8601 in UTC with
// milliseconds.
func wireTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
