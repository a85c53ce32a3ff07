package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// This file keeps the encoding/json flattener that flattenJSON replaced,
// as a second implementation to compare against.

// flattenJSONRef decodes one JSON object into key/value pairs in document
// order: nested objects become "parent.child" keys, arrays give one pair
// per element under the same key, numbers keep their text, booleans are
// "true"/"false", and null is no value.
func flattenJSONRef(data []byte, out []kv) ([]kv, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return out, malformed(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return out, fmt.Errorf("%w: not an object (starts with %s)", ErrMalformedJSON, describeToken(tok))
	}
	out, err = flattenObject(dec, "", out, 1)
	if err != nil {
		return out, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return out, fmt.Errorf("%w: text after the object", ErrMalformedJSON)
	}
	return out, nil
}

func describeToken(tok any) string {
	switch t := tok.(type) {
	case json.Delim:
		return fmt.Sprintf("%q", string(t))
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", tok)
}

func flattenObject(dec *json.Decoder, prefix string, out []kv, depth int) ([]kv, error) {
	if depth > maxJSONDepth {
		return out, fmt.Errorf("%w: nested deeper than %d", ErrMalformedJSON, maxJSONDepth)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return out, malformed(err)
		}
		k, ok := tok.(string)
		if !ok {
			return out, fmt.Errorf("%w: object key is %s", ErrMalformedJSON, describeToken(tok))
		}
		out, err = flattenValue(dec, prefix+k, out, depth)
		if err != nil {
			return out, err
		}
	}
	if _, err := dec.Token(); err != nil { // '}'
		return out, malformed(err)
	}
	return out, nil
}

func flattenValue(dec *json.Decoder, key string, out []kv, depth int) ([]kv, error) {
	tok, err := dec.Token()
	if err != nil {
		return out, malformed(err)
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			return flattenObject(dec, key+".", out, depth+1)
		case '[':
			if depth+1 > maxJSONDepth {
				return out, fmt.Errorf("%w: nested deeper than %d", ErrMalformedJSON, maxJSONDepth)
			}
			for dec.More() {
				out, err = flattenValue(dec, key, out, depth+1)
				if err != nil {
					return out, err
				}
			}
			if _, err := dec.Token(); err != nil { // ']'
				return out, malformed(err)
			}
			return out, nil
		}
		return out, fmt.Errorf("%w: unexpected %q", ErrMalformedJSON, string(t))
	case string:
		return append(out, kv{key, t}), nil
	case json.Number:
		return append(out, kv{key, string(t)}), nil
	case bool:
		if t {
			return append(out, kv{key, "true"}), nil
		}
		return append(out, kv{key, "false"}), nil
	case nil:
		return out, nil
	}
	return out, fmt.Errorf("%w: unexpected token %v", ErrMalformedJSON, tok)
}
