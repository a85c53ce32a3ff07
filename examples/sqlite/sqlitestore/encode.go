package sqlitestore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"unicode/utf8"
)

// replacementEscape is how encoding/json writes a byte that is not valid
// UTF-8. A valid U+FFFD in the input is written as itself, so the escape
// in the output means the input held bad bytes (or, rarely, a literal
// backslash before "ufffd", which the slow check below clears).
var replacementEscape = []byte(`\ufffd`)

// marshal encodes v as JSON, refusing what JSON would not keep as given.
// The check costs one bytes.Contains unless the output holds the
// replacement escape.
func marshal(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if bytes.Contains(b, replacementEscape) {
		if where := invalidUTF8(reflect.ValueOf(v), ""); where != "" {
			return nil, fmt.Errorf("%w: invalid UTF-8 in %s, which JSON would replace", ErrUnstorable, where)
		}
	}
	return b, nil
}

// invalidUTF8 returns the path to the first string in v that is not valid
// UTF-8, or "" if there is none. It walks what encoding/json encodes:
// exported struct fields, slices, arrays, maps (keys and values), and
// what pointers and interfaces hold.
func invalidUTF8(v reflect.Value, path string) string {
	switch v.Kind() {
	case reflect.String:
		if !utf8.ValidString(v.String()) {
			if path == "" {
				return "a string"
			}
			return path
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return invalidUTF8(v.Elem(), path)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			if !t.Field(i).IsExported() {
				continue
			}
			if p := invalidUTF8(v.Field(i), join(path, t.Field(i).Name)); p != "" {
				return p
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			return "" // []byte encodes as base64
		}
		for i := range v.Len() {
			if p := invalidUTF8(v.Index(i), path+"["+strconv.Itoa(i)+"]"); p != "" {
				return p
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			k := it.Key()
			if k.Kind() == reflect.String && !utf8.ValidString(k.String()) {
				return path + " (a map key)"
			}
			if p := invalidUTF8(it.Value(), path+"["+strconv.Quote(fmt.Sprint(k.Interface()))+"]"); p != "" {
				return p
			}
		}
	}
	return ""
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
