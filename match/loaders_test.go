package match

import (
	"encoding/csv"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/unifyhq/unify/match/eval"
	"github.com/unifyhq/unify/profile"
)

func txt(s string) profile.Text {
	s = strings.TrimSpace(s)
	k := strings.ToLower(s)
	return profile.Text{Raw: s, Norm: s, Key: k}
}

func parseDate(s string) profile.Date {
	s = strings.ReplaceAll(strings.TrimSpace(s), "-", "")
	if len(s) != 8 {
		return profile.Date{}
	}
	y, _ := strconv.Atoi(s[:4])
	m, _ := strconv.Atoi(s[4:6])
	d, _ := strconv.Atoi(s[6:])
	dt := profile.Date{Year: y, Month: m, Day: d}
	if !dt.Valid() {
		return profile.Date{}
	}
	return dt
}

// loadCSV reads a benchmark file into records with a simple normalization,
// and the truth.
func loadCSV(t testing.TB, path, source string) ([]*profile.Record, eval.Truth) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.TrimLeadingSpace = true
	head, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimSpace(h)] = i
	}
	get := func(row []string, name string) string {
		if i, ok := col[name]; ok {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	var recs []*profile.Record
	truth := eval.Truth{}
	for {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rec := &profile.Record{Source: source}
		if _, ok := col["rec_id"]; ok {
			rec.Key = get(row, "rec_id")
			truth[rec.Ref()] = strings.Split(rec.Key, "-")[1]
			rec.Name.Given = txt(get(row, "given_name"))
			rec.Name.Family = txt(get(row, "surname"))
			rec.BirthDate.Date = parseDate(get(row, "date_of_birth"))
			rec.Addresses = []profile.Address{{
				HouseNumber: txt(get(row, "street_number")),
				Street:      txt(get(row, "address_1")),
				Line2:       txt(get(row, "address_2")),
				Locality:    txt(get(row, "suburb")),
				Postcode:    txt(get(row, "postcode")),
				Region:      txt(get(row, "state")),
			}}
			if v := get(row, "soc_sec_id"); v != "" {
				rec.IDs = []profile.Identifier{{Type: "national", Raw: v, Value: v}}
			}
		} else {
			rec.Key = get(row, "unique_id")
			truth[rec.Ref()] = get(row, "cluster")
			rec.Name.Given = txt(get(row, "first_name"))
			rec.Name.Family = txt(get(row, "surname"))
			rec.BirthDate.Date = parseDate(get(row, "dob"))
			rec.Addresses = []profile.Address{{Locality: txt(get(row, "city"))}}
			if e := strings.ToLower(get(row, "email")); e != "" {
				rec.Emails = []profile.Email{{Raw: e, Address: e, Canonical: e}}
			}
		}
		recs = append(recs, rec)
	}
	return recs, truth
}

type dataset struct {
	name  string
	files [][2]string
}

var datasets = []dataset{
	{"febrl1", [][2]string{{"../testdata/febrl1.csv", "febrl1"}}},
	{"febrl4", [][2]string{{"../testdata/febrl4a.csv", "febrl4a"}, {"../testdata/febrl4b.csv", "febrl4b"}}},
	{"fake_1000", [][2]string{{"../testdata/fake_1000.csv", "fake_1000"}}},
}
