package awsread

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"time"
)

// member is one member of a JSON object being written, in order.
type member struct {
	key string
	val any
}

// object is a JSON object whose members keep their order, as the AWS CLI
// keeps the order of the service's response.
type object []member

// cliJSON writes v as the AWS CLI v2 writes a command's output with
// --output json: four-space indentation, members in the order of the API
// shape, absent members left out, timestamps in ISO 8601 with the UTC
// offset. v is an object built here or a value of an SDK type: its
// exported fields are the API's members under the same names.
func cliJSON(v any) []byte {
	var b bytes.Buffer
	writeValue(&b, reflect.ValueOf(v), 0)
	b.WriteByte('\n')
	return b.Bytes()
}

var timeType = reflect.TypeOf(time.Time{})

// present tells whether an SDK field holds a value the response had: nil
// pointers, slices and maps, and empty enum strings, are members the
// service left out.
func present(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
		return !v.IsNil()
	case reflect.String:
		return v.Len() > 0
	case reflect.Struct:
		return v.Type() != timeType || !v.Interface().(time.Time).IsZero()
	}
	return true
}

func writeValue(b *bytes.Buffer, v reflect.Value, depth int) {
	if !v.IsValid() {
		b.WriteString("null")
		return
	}
	if v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
		if v.IsNil() {
			b.WriteString("null")
			return
		}
		if o, ok := v.Interface().(object); ok {
			writeObject(b, o, depth)
			return
		}
		writeValue(b, v.Elem(), depth)
		return
	}
	if o, ok := v.Interface().(object); ok {
		writeObject(b, o, depth)
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == timeType {
			b.WriteString(strconv.Quote(cliTime(v.Interface().(time.Time))))
			return
		}
		var o object
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() || f.Name == "ResultMetadata" || !present(v.Field(i)) {
				continue
			}
			o = append(o, member{f.Name, v.Field(i).Interface()})
		}
		writeObject(b, o, depth)
	case reflect.Slice, reflect.Array:
		if v.Len() == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[\n")
		for i := range v.Len() {
			indent(b, depth+1)
			writeValue(b, v.Index(i), depth+1)
			if i < v.Len()-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		indent(b, depth)
		b.WriteByte(']')
	case reflect.Map:
		// The SDK's maps (tags) have no order of their own: sorted keys.
		keys := v.MapKeys()
		var o object
		for _, k := range sortedKeys(keys) {
			o = append(o, member{k.String(), v.MapIndex(k).Interface()})
		}
		writeObject(b, o, depth)
	case reflect.String:
		enc, _ := json.Marshal(v.String())
		b.Write(enc)
	case reflect.Bool:
		b.WriteString(strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		b.WriteString(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		b.WriteString(strconv.FormatUint(v.Uint(), 10))
	case reflect.Float32, reflect.Float64:
		b.WriteString(strconv.FormatFloat(v.Float(), 'g', -1, 64))
	default:
		// Nothing in the shapes read here; written rather than dropped.
		b.WriteString(strconv.Quote(fmt.Sprint(v.Interface())))
	}
}

func writeObject(b *bytes.Buffer, o object, depth int) {
	if len(o) == 0 {
		b.WriteString("{}")
		return
	}
	b.WriteString("{\n")
	for i, m := range o {
		indent(b, depth+1)
		k, _ := json.Marshal(m.key)
		b.Write(k)
		b.WriteString(": ")
		writeValue(b, reflect.ValueOf(m.val), depth+1)
		if i < len(o)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	indent(b, depth)
	b.WriteByte('}')
}

func indent(b *bytes.Buffer, depth int) {
	for range depth {
		b.WriteString("    ")
	}
}

func sortedKeys(keys []reflect.Value) []reflect.Value {
	out := append([]reflect.Value(nil), keys...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].String() < out[j-1].String(); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// cliTime is a timestamp as the AWS CLI v2 prints it:
// 2026-03-01T00:00:00+00:00, with microseconds when there are any.
func cliTime(t time.Time) string {
	t = t.UTC()
	if t.Nanosecond() == 0 {
		return t.Format("2006-01-02T15:04:05+00:00")
	}
	return t.Format("2006-01-02T15:04:05.000000+00:00")
}
