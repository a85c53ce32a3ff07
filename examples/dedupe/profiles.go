package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/unifyhq/unify/profile"
)

// Formats of the -profiles file.
const (
	profilesCSV = iota
	profilesJSONL
)

// profilesFormat picks the -profiles format from the file's extension.
func profilesFormat(path string) (int, error) {
	if path == stdoutName {
		return profilesCSV, nil
	}
	switch ext(path) {
	case ".csv":
		return profilesCSV, nil
	case ".jsonl", ".ndjson":
		return profilesJSONL, nil
	}
	return 0, fmt.Errorf("-profiles %s: the extension must be .csv, .jsonl or .ndjson", path)
}

// valueSep joins the values of a multi-valued field in a CSV cell.
const valueSep = "; "

// profileColumns are the field columns of the -profiles CSV: the fixed
// vocabulary in its documented order (so that the header does not depend
// on the data, and fields the normalizer derives, such as given_name from
// a full name, have a place), then the identifier, consent and attribute
// fields the records had, each group sorted.
func profileColumns(fed map[profile.Field]bool) []profile.Field {
	cols := slices.Clone(profile.Fields)
	var open []profile.Field
	for f := range fed {
		if !slices.Contains(profile.Fields, f) {
			open = append(open, f)
		}
	}
	group := func(f profile.Field) int {
		switch {
		case strings.HasPrefix(string(f), profile.IDPrefix):
			return 0
		case strings.HasPrefix(string(f), profile.ConsentPrefix):
			return 1
		}
		return 2
	}
	slices.SortFunc(open, func(a, b profile.Field) int {
		if ga, gb := group(a), group(b); ga != gb {
			return ga - gb
		}
		return strings.Compare(string(a), string(b))
	})
	return append(cols, open...)
}

// writeProfiles writes every golden profile, in profile ID order, and
// returns how many it wrote. A CSV row holds profile_id, the number of
// records, the sources they came from, and a cell per field; JSON Lines
// hold each profile.Profile as it is, provenance included. Values of a
// field a CSV column does not have are counted in missed, so the summary
// can say so; there should be none, as the columns come from the records.
func (j *job) writeProfiles(ctx context.Context, w io.Writer, format int) (n, missed int64, err error) {
	var done atomic.Int64
	total := group(int64(j.eng.NumProfiles()))
	j.prog.set(func() string {
		return fmt.Sprintf("writing golden profiles: %s of %s", group(done.Load()), total)
	})
	var (
		enc    *json.Encoder
		cw     *csv.Writer
		cols   []profile.Field
		row    []string
		colOf  map[profile.Field]int
		values []string
	)
	if format == profilesJSONL {
		enc = json.NewEncoder(w)
		enc.SetEscapeHTML(false)
	} else {
		cw = csv.NewWriter(w)
		cols = profileColumns(j.fields)
		colOf = make(map[profile.Field]int, len(cols))
		header := []string{"profile_id", "records", "sources"}
		for i, f := range cols {
			colOf[f] = 3 + i
			header = append(header, string(f))
		}
		if err := cw.Write(header); err != nil {
			return 0, 0, err
		}
		row = make([]string, len(header))
	}
	var sources []string
	for p, err := range j.eng.Profiles(ctx) {
		if err != nil {
			return n, missed, err
		}
		n++
		done.Store(n)
		if enc != nil {
			if err := enc.Encode(p); err != nil {
				return n, missed, err
			}
			continue
		}
		clear(row)
		row[0] = p.ID
		row[1] = strconv.Itoa(len(p.Members))
		sources = sources[:0]
		for _, m := range p.Members {
			if !slices.Contains(sources, m.Source) {
				sources = append(sources, m.Source)
			}
		}
		slices.Sort(sources)
		row[2] = strings.Join(sources, valueSep)
		for f, vs := range p.Fields {
			i, ok := colOf[f]
			if !ok {
				missed += int64(len(vs))
				continue
			}
			values = values[:0]
			for _, v := range vs {
				values = append(values, v.Value)
			}
			row[i] = strings.Join(values, valueSep)
		}
		if err := cw.Write(row); err != nil {
			return n, missed, err
		}
	}
	if cw != nil {
		cw.Flush()
		if err := cw.Error(); err != nil {
			return n, missed, err
		}
	}
	return n, missed, nil
}
